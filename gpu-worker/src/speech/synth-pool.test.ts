import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rms } from '@parley/protocol';
import { EspeakEngine } from './espeak.js';
import { SpeechPool, warmupVoices, type SpeechResult } from './synth-pool.js';
import { phonemesToVisemes } from './visemes.js';
import { UnknownVoiceError, resolveVoice } from './voices.js';

const LONG = 'Listen well, traveller, for I shall say this only once. The northern road is closed, the bridge has fallen, and the dead walk the marshes every night until the bells of the old chapel ring again at dawn. '.repeat(3);

function expectSane(r: SpeechResult): void {
  expect(r.sampleRate).toBe(22050);
  expect(r.durationMs).toBeCloseTo((r.pcm.length / r.sampleRate) * 1000, 6);
  expect(rms(r.pcm)).toBeGreaterThan(0.01);
  expect(r.pcm.byteOffset).toBe(0);
  expect(r.pcm.buffer.byteLength).toBe(r.pcm.byteLength); // its own (transferred) buffer
  const first = r.phonemes[0]!;
  const last = r.phonemes.at(-1)!;
  expect(Math.abs(last.endMs - r.durationMs)).toBeLessThan(5);
  expect(r.visemes[0]!.startMs).toBe(first.startMs);
  expect(r.visemes.at(-1)!.endMs).toBe(last.endMs);
  for (let i = 1; i < r.visemes.length; i++) expect(r.visemes[i]!.startMs).toBe(r.visemes[i - 1]!.endMs);
}

const isAbortError = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

describe('SpeechPool', () => {
  const pools: SpeechPool[] = [];
  const make = (opts: ConstructorParameters<typeof SpeechPool>[0]): SpeechPool => {
    const p = new SpeechPool(opts);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('runs concurrent requests on several threads', async () => {
    const pool = make({ threads: 2 });
    await pool.start();
    expect(pool.stats.threads).toBe(2);
    const texts: Array<[string, string | undefined]> = [
      ['Good evening. Do come in.', 'male-deep'],
      ['Braaains.', 'growl'],
      ['What can I get you, love?', 'female-warm'],
      ['Fresh apples, two for a copper!', 'female-bright'],
      ['Halt! Who goes there?', 'male-gruff'],
      ['In my day the river ran clear.', 'elder'],
      ['Welcome.', undefined],
    ];
    const pending = texts.map(([t, v]) => pool.speak(t, v));
    expect(pool.stats.busy).toBe(2);
    expect(pool.stats.queued).toBe(texts.length - 2);
    const results = await Promise.all(pending);
    for (const r of results) expectSane(r);
    // slower voices produce longer audio than their word count alone suggests
    expect(results[1]!.durationMs).toBeGreaterThan(results[6]!.durationMs);
    expect(pool.stats).toMatchObject({ busy: 0, queued: 0, restarts: 0 });
  });

  it('returns exactly what a direct synthesize() gives', async () => {
    const pool = make({ threads: 1, warmup: true });
    const direct = await EspeakEngine.create();
    direct.warmUp(warmupVoices()); // the same history as the pool's thread
    const text = 'You should not have come here, mortal.';
    const [viaPool, expected] = [await pool.speak(text, 'male-deep'), direct.synthesize(text, resolveVoice('male-deep'))];
    expect(viaPool.sampleRate).toBe(expected.sampleRate);
    expect(viaPool.durationMs).toBe(expected.durationMs);
    expect(viaPool.phonemes).toEqual(expected.phonemes);
    expect(viaPool.words).toEqual(expected.words);
    expect(viaPool.visemes).toEqual(phonemesToVisemes(expected.phonemes));
    expect(Buffer.from(viaPool.pcm.buffer).equals(Buffer.from(expected.pcm.buffer))).toBe(true);
  });

  it('drops a queued request at once when it is aborted', async () => {
    const pool = make({ threads: 1, warmup: false });
    await pool.start();
    const busy = pool.speak(LONG, 'narrator');
    const ctrl = new AbortController();
    const queued = pool.speak('This never gets spoken.', 'narrator', ctrl.signal);
    const after = pool.speak('But this does.', 'narrator');
    expect(pool.stats.queued).toBe(2);
    ctrl.abort();
    expect(pool.stats.queued).toBe(1);
    let settledFirst: string | undefined;
    await Promise.race([queued.catch(() => (settledFirst ??= 'aborted')), busy.then(() => (settledFirst ??= 'busy'))]);
    expect(settledFirst).toBe('aborted');
    await expect(queued).rejects.toSatisfy(isAbortError);
    expectSane(await busy);
    expectSane(await after);
  });

  it('rejects a request whose signal is already aborted without queueing it', async () => {
    const pool = make({ threads: 1, warmup: false });
    await pool.start();
    await expect(pool.speak('hello', undefined, AbortSignal.abort())).rejects.toSatisfy(isAbortError);
    expect(pool.stats.queued).toBe(0);
    expect(pool.stats.busy).toBe(0);
  });

  it('stops an in-flight request on abort and keeps the thread', async () => {
    const pool = make({ threads: 1, warmup: false });
    await pool.start();
    const ctrl = new AbortController();
    const t0 = performance.now();
    const running = pool.speak(LONG.repeat(4), 'narrator', ctrl.signal);
    setTimeout(() => ctrl.abort(), 5);
    await expect(running).rejects.toSatisfy(isAbortError);
    expect(performance.now() - t0).toBeLessThan(1000);
    expectSane(await pool.speak('Still talking.', 'narrator'));
    expect(pool.stats.restarts).toBe(0);
  });

  it('rejects unknown voices with UnknownVoiceError', async () => {
    const pool = make({ threads: 1, warmup: false });
    await expect(pool.speak('hello', 'dragon')).rejects.toBeInstanceOf(UnknownVoiceError);
  });

  it('starts lazily on the first speak()', async () => {
    const pool = make({ threads: 1, warmup: false });
    expectSane(await pool.speak('Lazy start.'));
  });

  it('rejects everything after close()', async () => {
    const pool = make({ threads: 1, warmup: false });
    await pool.start();
    const running = expect(pool.speak(LONG, 'narrator')).rejects.toThrow(/closed/);
    const queued = expect(pool.speak('queued', 'narrator')).rejects.toThrow(/closed/);
    await pool.close();
    await running;
    await queued;
    await expect(pool.speak('late')).rejects.toThrow(/closed/);
    expect(pool.stats.threads).toBe(0);
  });

  it('rejects bad sizes', () => {
    expect(() => new SpeechPool({ threads: 0 })).toThrow(RangeError);
    expect(() => new SpeechPool({ threads: 1.5 })).toThrow(RangeError);
  });

  describe('with fault-injecting thread entries', () => {
    let dir: string;
    const threadUrl = new URL('./synth-thread.ts', import.meta.url).href;
    const fixture = (name: string, code: string): URL => {
      const file = join(dir, name);
      writeFileSync(file, code);
      return pathToFileURL(file);
    };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'parley-speech-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('rejects the in-flight request of a crashed thread and replaces the thread', async () => {
      const crashing = fixture(
        'crashing-thread.mts',
        // Wraps the real thread's message handler: "crash now" throws inside it (uncaught).
        `import { parentPort } from 'node:worker_threads';
const port = parentPort!;
const on = port.on.bind(port);
port.on = ((event: string, handler: (m: { type: string; text?: string }) => void) =>
  on(event, event !== 'message' ? handler : (m: { type: string; text?: string }) => {
    if (m.type === 'speak' && m.text === 'crash now') throw new Error('boom');
    handler(m);
  })) as typeof port.on;
await import(${JSON.stringify(threadUrl)});
`,
      );
      const pool = make({ threads: 1, threadUrl: crashing, warmup: false });
      await pool.start();
      const queued = ['first', 'second'];
      const crash = pool.speak('crash now', 'narrator');
      const after = Promise.all(queued.map((t) => pool.speak(t, 'narrator')));
      after.catch(() => {}); // asserted below; keep a failure above from leaving it unhandled
      await expect(crash).rejects.toThrow(/speech thread 0 crashed \(boom\)/);
      for (const r of await after) expectSane(r);
      expect(pool.stats).toMatchObject({ threads: 1, restarts: 1, busy: 0, queued: 0 });
    });

    it('start() rejects with a clear error when a thread cannot initialise', async () => {
      const broken = fixture('broken-thread.mts', `throw new Error('no wasm today');\n`);
      const pool = make({ threads: 2, threadUrl: broken });
      await expect(pool.start()).rejects.toThrow(/speech thread \d failed to start: .*no wasm today/);
      await expect(pool.speak('hello')).rejects.toThrow(/failed to start/);
      expect(pool.stats.threads).toBe(0);
    });

    it('start() rejects when the thread reports init-error', async () => {
      const failing = fixture(
        'failing-thread.mts',
        `import { parentPort } from 'node:worker_threads';
parentPort!.postMessage({ type: 'init-error', message: 'espeak-ng.data missing' });
`,
      );
      const pool = make({ threads: 1, threadUrl: failing });
      await expect(pool.start()).rejects.toThrow('SpeechPool: speech thread 0 failed to start: espeak-ng.data missing');
    });

    it('start() times out on a thread that never becomes ready', async () => {
      const silent = fixture('silent-thread.mts', `setInterval(() => {}, 1000);\n`);
      const pool = make({ threads: 1, threadUrl: silent, initTimeoutMs: 500 });
      await expect(pool.start()).rejects.toThrow(/not ready after 500 ms/);
    });
  });
});
