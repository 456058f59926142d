import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchEngine, FinishedSequence } from './batch-engine.js';
import { loadModel, type LoadedModel } from './load-model.js';
import { GREEDY, type SamplingParams } from './sampler.js';
import { buildTestModel } from './test-model/build-test-model.js';
import { recomputeGreedy } from './test-model/reference.js';

let root: string;
const models: Partial<Record<'plain' | 'merged' | 'gqa' | 'fp16', LoadedModel>> = {};
let reference: ort.InferenceSession;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'parley-engine-'));
  for (const variant of ['plain', 'merged', 'gqa'] as const) {
    buildTestModel(join(root, variant), { variant, seed: 7 });
    models[variant] = await loadModel({ dir: join(root, variant), intraOpThreads: 1 });
  }
  buildTestModel(join(root, 'fp16'), { variant: 'plain', seed: 7, kvType: 'float16' });
  models.fp16 = await loadModel({ dir: join(root, 'fp16'), intraOpThreads: 1 });
  reference = await ort.InferenceSession.create(join(root, 'plain', 'onnx', 'model.onnx'), { logSeverityLevel: 3 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PLAYER_LINES = ['Hello there!', 'Tell me everything you know about the old castle on the hill, and the road.', 'Who are you?', 'I need a room for the night, and some bread and wine if you have it. What does it cost?', 'Farewell.'];
const prompt = (m: LoadedModel, line: string) => m.codec.encodeChat([{ role: 'system', content: 'You are Marta, an innkeeper.' }, { role: 'user', content: line }], m.info.maxContext, 64).ids;

interface Outcome {
  text: string;
  finish: FinishedSequence;
}

/** Steps the engine until every listed id finished; `onStep(n)` runs before step n (to submit or cancel mid-flight). */
async function drive(engine: BatchEngine, ids: number[], onStep?: (n: number) => void): Promise<Map<number, Outcome>> {
  const texts = new Map<number, string>();
  const done = new Map<number, Outcome>();
  for (let n = 0; done.size < ids.length; n++) {
    onStep?.(n);
    if (!engine.hasWork) continue;
    const r = await engine.step();
    for (const [id, t] of r.deltas) texts.set(id, (texts.get(id) ?? '') + t);
    for (const f of r.finished) done.set(f.id, { text: texts.get(f.id) ?? '', finish: f });
    if (n > 10_000) throw new Error('engine did not finish');
  }
  return done;
}

describe('BatchEngine', () => {
  it.each([
    ['plain', true],
    ['plain', false],
    ['merged', true],
    ['gqa', true],
    ['gqa', false],
  ] as const)('%s (prompts prefilled together: %s): batched, padded, KV-cached greedy decoding equals full recomputation', async (variant, prefillTogether) => {
    const m = models[variant]!;
    const engine = m.createEngine({ maxBatch: 8, maxPrefillTokens: 4096, prefillTogether });
    const prompts = PLAYER_LINES.map((l) => prompt(m, l));
    expect(new Set(prompts.map((p) => p.length)).size).toBeGreaterThan(3); // really different lengths: real padding
    prompts.forEach((p, id) => engine.submit({ id, promptIds: p, sampling: GREEDY, maxNewTokens: 20 }));
    const out = await drive(engine, prompts.map((_, i) => i));
    for (const [id, p] of prompts.entries()) {
      const expected = await recomputeGreedy(reference, p, 20, m.codec.eosIds, m.geometry);
      expect(out.get(id)!.finish.tokenIds).toEqual(expected);
      expect(out.get(id)!.text).toBe(m.codec.decode(expected));
    }
    // Not a degenerate model: the replies differ.
    expect(new Set([...out.values()].map((o) => o.text)).size).toBeGreaterThan(3);
  });

  it.each(['plain', 'gqa', 'fp16'] as const)('%s: a sequence that joins or leaves mid-flight produces exactly what it produces alone', async (variant) => {
    const m = models[variant]!;
    const sampled: SamplingParams = { temperature: 0.9, topK: 40, topP: 0.95, repetitionPenalty: 1.1, seed: 1234 };
    const reqs = PLAYER_LINES.map((l, id) => ({ id, promptIds: prompt(m, l), sampling: id % 2 ? sampled : GREEDY, maxNewTokens: id === 2 ? 3 : 16 + id }));
    const alone = new Map<number, number[]>();
    for (const r of reqs) {
      const e = m.createEngine({ maxBatch: 1, maxPrefillTokens: 4096 });
      e.submit(r);
      alone.set(r.id, (await drive(e, [r.id])).get(r.id)!.finish.tokenIds);
    }
    const engine = m.createEngine({ maxBatch: 8, maxPrefillTokens: 4096 });
    // 0 and 1 start; 2 joins at step 3 and leaves after 3 tokens; 3 joins at step 5; 4 at step 9.
    const joinAt = new Map([[0, [0, 1]], [3, [2]], [5, [3]], [9, [4]]]);
    const out = await drive(engine, reqs.map((r) => r.id), (n) => joinAt.get(n)?.forEach((id) => engine.submit(reqs[id]!)));
    for (const r of reqs) expect(out.get(r.id)!.finish.tokenIds, `sequence ${r.id}`).toEqual(alone.get(r.id));
    expect(engine.stats.repacks).toBeGreaterThan(3);
  });

  it('seeded sampling is reproducible and the seed matters', async () => {
    const m = models.plain!;
    const run = async (seed: number, companions: number) => {
      const e = m.createEngine({ maxBatch: 8, maxPrefillTokens: 4096 });
      const sampling = { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed };
      e.submit({ id: 0, promptIds: prompt(m, PLAYER_LINES[1]!), sampling, maxNewTokens: 24 });
      for (let i = 1; i <= companions; i++) e.submit({ id: i, promptIds: prompt(m, PLAYER_LINES[i % 5]!), sampling: { ...sampling, seed: seed + i }, maxNewTokens: 5 * i });
      return (await drive(e, Array.from({ length: companions + 1 }, (_, i) => i))).get(0)!.text;
    };
    const a = await run(42, 0);
    expect(await run(42, 3)).toBe(a);
    expect(await run(43, 0)).not.toBe(a);
  });

  it('cancellation frees the slot for a waiting sequence at the next step', async () => {
    const m = models.plain!;
    const engine = m.createEngine({ maxBatch: 2, maxPrefillTokens: 4096 });
    for (let id = 0; id < 3; id++) engine.submit({ id, promptIds: prompt(m, PLAYER_LINES[id]!), sampling: GREEDY, maxNewTokens: 200 });
    let cancelled = false;
    const out = await drive(engine, [0, 1, 2], (n) => {
      if (n === 2) {
        expect(engine.size).toEqual({ waiting: 1, running: 2 });
        expect(engine.cancel(0)).toBe(true);
        cancelled = true;
      }
      if (n === 3) expect(engine.size.waiting).toBe(0); // 2 took 0's slot
      if (n === 4) {
        engine.cancel(1);
        engine.cancel(2);
      }
    });
    expect(cancelled).toBe(true);
    expect(out.get(0)!.finish.reason).toBe('cancelled');
    expect(out.get(0)!.finish.completionTokens).toBe(3); // prefill token + 2 decode steps (steps 0, 1), nothing after
    expect(out.get(2)!.finish.reason).toBe('cancelled');
    expect(engine.cancel(2)).toBe(false);
    expect(engine.hasWork).toBe(false);
  });

  it('a token limit ends the reply with reason "length"', async () => {
    const m = models.plain!;
    const engine = m.createEngine({ maxBatch: 4, maxPrefillTokens: 4096 });
    engine.submit({ id: 1, promptIds: prompt(m, 'Hello'), sampling: GREEDY, maxNewTokens: 5 });
    const out = await drive(engine, [1]);
    expect(out.get(1)!.finish).toMatchObject({ reason: 'length', completionTokens: 5 });
  });

  it('a prompt longer than the context is refused', () => {
    const m = models.plain!;
    const engine = m.createEngine({ maxBatch: 4, maxPrefillTokens: 4096 });
    expect(() => engine.submit({ id: 1, promptIds: new Array(2100).fill(5), sampling: GREEDY, maxNewTokens: 5 })).toThrow(/context/);
  });
});

describe('long prompts', () => {
  it.each(['plain', 'merged', 'gqa', 'fp16'] as const)('%s: a prompt prefilled in slices through the KV cache gives the same reply as in one piece', async (variant) => {
    const m = models[variant]!;
    const p = prompt(m, PLAYER_LINES[3]!);
    const run = async (chunk: number) => {
      m.runner.prefillChunk = chunk;
      const e = m.createEngine({ maxBatch: 2, maxPrefillTokens: 4096 });
      e.submit({ id: 1, promptIds: p, sampling: GREEDY, maxNewTokens: 12 });
      return (await drive(e, [1])).get(1)!.finish.tokenIds;
    };
    try {
      const whole = await run(4096);
      expect(p.length).toBeGreaterThan(40);
      expect(await run(17)).toEqual(whole);
    } finally {
      m.runner.prefillChunk = 256;
    }
  });
});

describe('prompt prefix cache', () => {
  const PERSONA = 'You are Marta, the innkeeper of the Gilded Goose in Eastwatch. You are warm but shrewd, you remember faces, and you never give rooms away for free.';
  const personaPrompt = (m: LoadedModel, line: string) => m.codec.encodeChat([{ role: 'system', content: PERSONA }, { role: 'user', content: line }], m.info.maxContext, 64).ids;

  it.each(['plain', 'merged', 'gqa', 'fp16'] as const)('%s: prompts that start alike reuse the cached prefix and reply exactly as without it', async (variant) => {
    const m = models[variant]!;
    const prompts = [...PLAYER_LINES, PLAYER_LINES[1]!].map((l) => personaPrompt(m, l)); // the last repeats an earlier prompt in full
    const run = async (prefixCacheBytes: number, chunk: number) => {
      m.runner.prefillChunk = chunk;
      const e = m.createEngine({ maxBatch: 4, maxPrefillTokens: 4096, prefixCacheBytes });
      prompts.forEach((p, id) => e.submit({ id, promptIds: p, sampling: GREEDY, maxNewTokens: 12 }));
      const out = await drive(e, prompts.map((_, id) => id));
      return { ids: prompts.map((_, id) => out.get(id)!.finish.tokenIds), stats: e.stats };
    };
    try {
      const without = await run(0, 256);
      expect(without.stats.prefixReusedTokens).toBe(0);
      const withCache = await run(64 << 20, 256);
      expect(withCache.ids).toEqual(without.ids);
      // Every prompt after the first reuses at least the persona; the repeated one all but its last token.
      const shared = prompts[0]!.findIndex((t, i) => t !== prompts[2]![i]);
      expect(withCache.stats.prefixReusedTokens).toBeGreaterThanOrEqual(shared * (prompts.length - 2) + prompts[1]!.length - 1);
      expect(withCache.stats.prefillTokens + withCache.stats.prefixReusedTokens).toBe(without.stats.prefillTokens);
      // The rest of a prompt after a hit can itself go through in slices.
      expect((await run(64 << 20, 5)).ids).toEqual(without.ids);
    } finally {
      m.runner.prefillChunk = 256;
    }
  });

  it.each(['plain', 'gqa'] as const)('%s, prompts prefilled together (GPU mode): rows are cached from the padded batch, later prompts start from them, replies unchanged', async (variant) => {
    const m = models[variant]!;
    const prompts = PLAYER_LINES.map((l) => personaPrompt(m, l));
    const run = async (prefixCacheBytes: number) => {
      const e = m.createEngine({ maxBatch: 3, maxPrefillTokens: 4096, prefillTogether: true, prefixCacheBytes });
      prompts.forEach((p, id) => e.submit({ id, promptIds: p, sampling: GREEDY, maxNewTokens: 10 + id }));
      const out = await drive(e, prompts.map((_, id) => id));
      return { ids: prompts.map((_, id) => out.get(id)!.finish.tokenIds), stats: e.stats };
    };
    const without = await run(0);
    const withCache = await run(64 << 20);
    expect(withCache.ids).toEqual(without.ids);
    expect(withCache.stats.prefixReusedTokens).toBeGreaterThan(0); // the 4th and 5th joined after the first three were cached
    for (const [id, p] of prompts.entries()) if (variant === 'plain') expect(withCache.ids[id]).toEqual(await recomputeGreedy(reference, p, 10 + id, m.codec.eosIds, m.geometry));
  });

  it('plain: a reply after a cache hit equals full recomputation without any cache', async () => {
    const m = models.plain!;
    const e = m.createEngine({ maxBatch: 2, maxPrefillTokens: 4096, prefixCacheBytes: 64 << 20 });
    const a = personaPrompt(m, 'Who are you?'), b = personaPrompt(m, 'Is there a room free tonight?');
    e.submit({ id: 0, promptIds: a, sampling: GREEDY, maxNewTokens: 4 });
    await drive(e, [0]);
    e.submit({ id: 1, promptIds: b, sampling: GREEDY, maxNewTokens: 16 });
    const out = await drive(e, [1]);
    expect(e.stats.prefixReusedTokens).toBeGreaterThan(30);
    expect(out.get(1)!.finish.tokenIds).toEqual(await recomputeGreedy(reference, b, 16, m.codec.eosIds, m.geometry));
  });
});
