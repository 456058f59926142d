import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelLoadError } from './model-errors.js';
import { GenerationError, ModelHost } from './model-host.js';
import { GREEDY } from './sampler.js';
import { buildTestModel, testModelCodec } from './test-model/build-test-model.js';
import type { ChatMessage } from './text-codec.js';

const HELLO: ChatMessage[] = [{ role: 'system', content: 'You are the innkeeper.' }, { role: 'user', content: 'Hello!' }];
const REPLY = 'Welcome, traveller — a room is 5€. 🍺';

let root: string;
let host: ModelHost;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'parley-host-'));
  const promptTokens = testModelCodec().encodeChat(HELLO, 512, 0).ids.length;
  buildTestModel(root, { scripts: [{ text: REPLY, promptTokens }] });
  host = await ModelHost.start({ load: { dir: root, intraOpThreads: 1 }, maxBatch: 8 });
});
afterAll(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

describe('ModelHost (model in a worker thread)', () => {
  it('streams a reply from the model thread while the I/O thread keeps running', async () => {
    expect(host.info).toMatchObject({ provider: 'cpu', layers: 2 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const g = host.generate({ messages: HELLO, sampling: GREEDY, maxNewTokens: 50 });
    const parts: string[] = [];
    for await (const d of g) parts.push(d);
    clearInterval(timer);
    expect(parts.join('')).toBe(REPLY);
    expect(parts.length).toBeGreaterThan(3);
    expect(await g.result).toMatchObject({ reason: 'stop', completionTokens: testModelCodec().encode(REPLY).length, droppedTurns: 0 });
    expect(ticks).toBeGreaterThan(0);
  });

  it('runs many generations at once and ends each with its own reason', async () => {
    const gens = Array.from({ length: 12 }, (_, i) =>
      host.generate({ messages: [{ role: 'user', content: `Question number ${i}?` }], sampling: { temperature: 0.9, topK: 20, topP: 0.9, repetitionPenalty: 1.1, seed: i }, maxNewTokens: 10 + i }),
    );
    const results = await Promise.all(gens.map(async (g) => { let n = 0; for await (const _ of g) n++; return { n, r: await g.result }; }));
    results.forEach(({ r }, i) => expect(r.completionTokens).toBeLessThanOrEqual(10 + i));
    expect(results.filter(({ r }) => r.reason === 'length').length).toBeGreaterThan(6);
  });

  it('an abort ends the stream at once and frees the sequence in the thread', async () => {
    const ctrl = new AbortController();
    const g = host.generate({ messages: [{ role: 'user', content: 'Talk forever.' }], sampling: GREEDY, maxNewTokens: 400 }, ctrl.signal);
    let n = 0;
    await expect(
      (async () => {
        for await (const _ of g) if (++n === 3) ctrl.abort();
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(n).toBe(3);
    await expect(g.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(host.inFlight).toBe(0);
    for (let i = 0; i < 50 && (await host.stats()).running > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect((await host.stats()).running).toBe(0);
    // And the host keeps serving.
    const again = host.generate({ messages: HELLO, sampling: GREEDY, maxNewTokens: 50 });
    let text = '';
    for await (const d of again) text += d;
    expect(text).toBe(REPLY);
  });

  it('refuses a prompt that cannot fit the context', async () => {
    const g = host.generate({ messages: [{ role: 'user', content: 'word '.repeat(2000) }], sampling: GREEDY, maxNewTokens: 10 });
    await expect(g.result).rejects.toBeInstanceOf(GenerationError);
    await expect(g.result).rejects.toMatchObject({ code: 'prompt_too_long' });
  });

  it('fails to start with the loader’s error for a bad folder', async () => {
    const err = await ModelHost.start({ load: { dir: join(root, 'missing') } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err).toMatchObject({ code: 'missing_folder' });
  });
});
