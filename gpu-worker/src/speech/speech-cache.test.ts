import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeechPool } from './synth-pool.js';
import { SpeechCache } from './speech-cache.js';

let pool: SpeechPool;
beforeAll(async () => {
  pool = new SpeechPool({ threads: 1, warmup: false });
  await pool.start();
}, 30_000);
afterAll(() => pool.close());

describe('SpeechCache', () => {
  it('speaks a repeated sentence once', async () => {
    const cache = new SpeechCache(pool, { maxBytes: 8 << 20 });
    const a = await cache.speak('Braaains.', 'growl');
    const b = await cache.speak('Braaains.', 'growl');
    expect(b).toBe(a);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    const other = await cache.speak('Braaains.', 'male-deep');
    expect(other).not.toBe(a); // the voice is part of the key
  });

  it('joins concurrent requests for the same sentence', async () => {
    const cache = new SpeechCache(pool, { maxBytes: 8 << 20 });
    const [a, b, c] = await Promise.all([cache.speak('Who goes there?', 'male-gruff'), cache.speak('Who goes there?', 'male-gruff'), cache.speak('Who goes there?', 'male-gruff')]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(cache.stats).toMatchObject({ misses: 1, joined: 2 });
  });

  it('an aborted caller does not cancel the synthesis another caller waits for', async () => {
    const cache = new SpeechCache(pool, { maxBytes: 8 << 20 });
    const ctrl = new AbortController();
    const first = cache.speak('The night is long.', 'elder', ctrl.signal);
    const second = cache.speak('The night is long.', 'elder');
    ctrl.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect((await second).pcm.length).toBeGreaterThan(0);
  });

  it('stays within its byte budget, evicting the least recently used', async () => {
    const one = await pool.speak('A short line to size the cache.', 'narrator');
    const cache = new SpeechCache(pool, { maxBytes: one.pcm.byteLength * 2.5 });
    for (const line of ['First line here.', 'Second line here.', 'Third line here.', 'Fourth line here.']) await cache.speak(line, 'narrator');
    expect(cache.stats.bytes).toBeLessThanOrEqual(one.pcm.byteLength * 2.5);
    expect(cache.stats.entries).toBeLessThan(4);
  });

  it('passes unknown voices and failures through without caching them', async () => {
    const cache = new SpeechCache(pool, { maxBytes: 8 << 20 });
    await expect(cache.speak('hi', 'no-such-voice')).rejects.toMatchObject({ code: 'unknown_voice' });
    expect(cache.stats.entries).toBe(0);
  });
});
