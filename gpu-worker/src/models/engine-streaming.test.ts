import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, type LoadedModel } from './load-model.js';
import { GREEDY } from './sampler.js';
import { buildTestModel, testModelCodec } from './test-model/build-test-model.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// The scripted test model says a chosen reply after a prompt of a known length.
const codec = testModelCodec();
const promptFor = (line: string) => codec.encodeChat([{ role: 'user', content: line }], 512, 64).ids;
const SHORT = promptFor('Hi!');
const LONG = promptFor('Tell me about the dragon, the old castle, the road to the north and the price of bread and wine in this town, please, and quickly.');
const UTF8_REPLY = 'Café ж 🐉 costs 5€, 日本語! 👩‍👩‍👧';
const STOP_REPLY = 'Well met, stranger. END and then more text';

let root: string;
let model: LoadedModel;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'parley-stream-'));
  expect(LONG.length).toBeGreaterThan(SHORT.length + codec.encode(UTF8_REPLY).length + 1); // the two scripted replies do not overlap
  buildTestModel(root, { scripts: [{ text: UTF8_REPLY, promptTokens: SHORT.length }, { text: STOP_REPLY, promptTokens: LONG.length }] });
  model = await loadModel({ dir: root, intraOpThreads: 1 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(reqs: Array<{ id: number; prompt: number[]; stop?: string[]; temperature?: number }>) {
  const engine = model.createEngine({ maxBatch: 4, maxPrefillTokens: 4096 });
  for (const r of reqs) engine.submit({ id: r.id, promptIds: r.prompt, sampling: { ...GREEDY, temperature: r.temperature ?? 0, seed: r.id }, maxNewTokens: 100, stop: r.stop ?? [] });
  const deltas = new Map<number, string[]>();
  const finish = new Map<number, string>();
  while (engine.hasWork) {
    const s = await engine.step();
    for (const [id, t] of s.deltas) deltas.set(id, [...(deltas.get(id) ?? []), t]);
    for (const f of s.finished) finish.set(f.id, f.reason);
  }
  return { deltas, finish };
}

describe('streaming through the engine', () => {
  it('multi-byte characters split across tokens arrive intact, in every delta', async () => {
    const { deltas, finish } = await run([{ id: 1, prompt: SHORT, temperature: 0.8 }, { id: 2, prompt: LONG }]);
    const parts = deltas.get(1)!;
    expect(parts.join('')).toBe(UTF8_REPLY);
    for (const p of parts) {
      expect(p).not.toContain('\uFFFD');
      expect(p).not.toMatch(LONE_SURROGATE);
    }
    expect(parts.length).toBeLessThan(codec.encode(UTF8_REPLY).length); // some tokens were held back until their character completed
    expect(finish.get(1)).toBe('stop'); // the end-of-sequence token
  });

  it('a stop string ends the reply; neither it nor what follows is streamed', async () => {
    const { deltas, finish } = await run([{ id: 1, prompt: LONG, stop: [' END'] }]);
    expect(deltas.get(1)!.join('')).toBe('Well met, stranger.');
    expect(finish.get(1)).toBe('stop');
  });
});
