/**
 * `npm run bench:models -w @parley/gpu-worker` — the ONNX dialogue backend's numbers, same model,
 * same run:
 *
 *   - aggregate tokens/s at 1, 4, 16 and 32 concurrent conversations, continuously batched
 *     (one model thread, batch up to 32) vs one at a time (batch 1, the others queue);
 *   - time to first token (from the request reaching the model thread), p50 and p95;
 *   - the worker's cost per decode step over the `session.run` calls of the same steps (the
 *     worker also builds feeds, samples, detokenizes, checks stop strings and posts text to the
 *     I/O thread), and a bare `session.run` loop with the same batch and KV length for reference
 *     (it only swaps present→past and grows the mask).
 *
 * Each measurement is the best of --repeat runs (default 2), batched and one-at-a-time runs
 * alternating: the shared CI machines are noisy.
 * The model is a Llama-shaped ONNX graph with seeded weights built on the spot (default: the
 * GroupQueryAttention export of about 91 M parameters — hidden 1024, 8 layers, 16 heads, 4 KV
 * heads — whose weights outgrow the CPU caches, so batch 1 is bound by memory bandwidth as with
 * real models), or a real model folder with
 * --model DIR. Flags: --model DIR, --size small|medium|tiny, --variant plain|gqa, --tokens N, --sizes 1,4,16,32,
 * --threads N (ORT intra-op), --provider cpu|cuda, --repeat N, --prefix-cache-mb N (0 = off), --json PATH.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import type { EngineStats } from '../src/models/batch-engine.js';
import { loadModel } from '../src/models/load-model.js';
import { ModelHost, type GenerationResult } from '../src/models/model-host.js';
import { DEFAULT_PREFIX_CACHE_MB } from '../src/models/prefix-cache.js';
import type { ExecutionProvider } from '../src/models/session.js';
import { buildTestModel, type TestModelVariant } from '../src/models/test-model/build-test-model.js';
import type { ChatMessage } from '../src/models/text-codec.js';

/** Built model sizes: `medium` (default) and `small` are memory-bound at batch 1 like real models; `tiny` is the test models' size, overhead-bound. */
export const BENCH_SIZES = {
  tiny: {},
  small: { hidden: 512, layers: 8, heads: 8, kvHeads: 2, headDim: 64, intermediate: 1408, maxPositions: 2048 },
  /** ~90 M parameters: weights no longer fit in cache, so a decode step at batch 1 is bound by memory bandwidth, as with real models. */
  medium: { hidden: 1024, layers: 8, heads: 16, kvHeads: 4, headDim: 64, intermediate: 2816, maxPositions: 2048 },
} as const;

export interface ModelBenchOptions {
  modelDir?: string;
  size?: keyof typeof BENCH_SIZES;
  variant?: TestModelVariant;
  tokens?: number;
  sizes?: number[];
  threads?: number;
  provider?: ExecutionProvider;
  repeat?: number;
  /** Prompt prefix cache per model thread, MiB (0 = off); default as the worker's. */
  prefixCacheMb?: number;
}

export interface ModelBenchRow {
  concurrency: number;
  batchedTokensPerSec: number;
  sequentialTokensPerSec: number;
  speedup: number;
  /** Tokens per CPU-second of the whole process (all threads): steadier than wall time on a shared machine. */
  batchedTokensPerCpuSec: number;
  sequentialTokensPerCpuSec: number;
  cpuSpeedup: number;
  ttftBatchedMs: { p50: number; p95: number };
  ttftSequentialMs: { p50: number; p95: number };
  /** Worker: wall time per decode step seen from the I/O thread (prefill excluded). */
  workerStepMs: number;
  /** Inside the model thread: decode step wall time and its session.run part. */
  engineStepMs: number;
  engineRunMs: number;
  /** (workerStepMs − engineRunMs) ÷ engineRunMs: everything the worker adds to session.run. */
  overhead: number;
  /** Bare session.run loop, same batch size and KV length. */
  rawStepMs: number;
  /** Share of prompt tokens the prefix cache supplied in the batched run. */
  prefixReuse: number;
}

export interface ModelBenchResult {
  model: string;
  provider: string;
  params: string;
  tokens: number;
  promptTokens: { min: number; max: number };
  prefixCacheMb: number;
  repeat: number;
  rows: ModelBenchRow[];
}

const LINES = [
  'Good evening! Who are you?',
  'Tell me about the old castle on the hill and the road to the north.',
  'I need a room for the night.',
  'Have you heard any rumours about the dragon, or about the missing miller and his wife?',
  'What does a mug of ale cost here?',
  'Farewell, friend.',
  'Why are the guards so nervous tonight?',
  'Can you keep a secret?',
];
let runNo = 0;
/** Every conversation of every run says something new (the persona is what prompts share), so a prefix cache only saves what it would in play. */
const messagesFor = (i: number, run: number): ChatMessage[] => [
  { role: 'system', content: 'You are Bess, the warm innkeeper of the Gilded Goose. Answer in one to three sentences.' },
  { role: 'user', content: `(${run}.${i}) ${LINES[i % LINES.length]}` },
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const diff = (a: EngineStats, b: EngineStats) => Object.fromEntries(Object.keys(a).map((k) => [k, b[k as keyof EngineStats] - a[k as keyof EngineStats]])) as unknown as EngineStats;

async function runConversations(host: ModelHost, n: number, tokens: number): Promise<{ wallMs: number; cpuMs: number; results: GenerationResult[]; stats: EngineStats }> {
  const before = (await host.stats()).stats;
  const run = runNo++;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const gens = Array.from({ length: n }, (_, i) => host.generate({ messages: messagesFor(i, run), sampling: { temperature: 0.8, topK: 40, topP: 0.95, repetitionPenalty: 1.1, seed: i + 1 }, maxNewTokens: tokens, ignoreEos: true }));
  const results = await Promise.all(
    gens.map(async (g) => {
      for await (const _ of g); // consume the stream as a client would
      return g.result;
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, results, stats: diff(before, (await host.stats()).stats) };
}

/** A bare decode loop: batch B, past of `past` positions, `steps` steps, present fed back as past. */
async function rawDecode(dir: string, provider: ExecutionProvider, threads: number, B: number, past: number, steps: number): Promise<number> {
  const m = await loadModel({ dir, provider, intraOpThreads: threads });
  const { session } = m.session;
  const { kvHeads, headDim, kvType } = m.geometry;
  const i64 = (n: number, v: bigint) => new ort.Tensor('int64', new BigInt64Array(n).fill(v), [B, n / B]);
  const zeros = (p: number) => (kvType === 'float16' ? new Uint16Array(B * kvHeads * p * headDim) : new Float32Array(B * kvHeads * p * headDim));
  let kv: Array<Float32Array | Uint16Array> = m.io.pastNames.map(() => zeros(past));
  let P = past;
  let total = 0;
  for (let s = -3; s < steps; s++) {
    const feeds: Record<string, ort.Tensor> = { input_ids: i64(B, 5n), attention_mask: i64(B * (P + 1), 1n) };
    if (m.io.positionType) feeds.position_ids = i64(B, BigInt(P));
    if (m.io.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [true], [1]);
    m.io.pastNames.forEach((n, i) => (feeds[n] = new ort.Tensor(kvType, kv[i]!, [B, kvHeads, P, headDim])));
    const t0 = performance.now();
    const out = await session.run(feeds);
    if (s >= 0) total += performance.now() - t0; // three warm-up steps
    kv = m.io.presentNames.map((n) => out[n]!.data as Float32Array | Uint16Array);
    P = Number(out[m.io.presentNames[0]!]!.dims[2]);
  }
  await session.release();
  return total / steps;
}

export async function benchModels(o: ModelBenchOptions = {}): Promise<ModelBenchResult> {
  const tokens = o.tokens ?? 96;
  const repeat = o.repeat ?? 2;
  const sizes = o.sizes ?? [1, 4, 16, 32];
  const threads = o.threads ?? 0;
  const provider = o.provider ?? 'cpu';
  let dir = o.modelDir;
  let scratch: string | undefined;
  let params = 'folder';
  if (!dir) {
    scratch = mkdtempSync(join(tmpdir(), 'parley-bench-model-'));
    dir = scratch;
    const t0 = performance.now();
    const built = buildTestModel(dir, { variant: o.variant ?? 'gqa', dims: BENCH_SIZES[o.size ?? 'medium'] });
    const dims = built.dims;
    const n = dims.vocabSize * dims.hidden * 2 + dims.layers * (dims.hidden * dims.heads * dims.headDim * 2 + dims.hidden * dims.kvHeads * dims.headDim * 2 + 3 * dims.hidden * dims.intermediate);
    params = `${(n / 1e6).toFixed(2)} M parameters (hidden ${dims.hidden}, ${dims.layers} layers, ${dims.heads} heads, ${dims.kvHeads} KV heads, vocab ${built.dims.vocabSize}, ${o.variant ?? 'gqa'}), built in ${Math.round(performance.now() - t0)} ms`;
  }
  const maxBatch = Math.max(...sizes);
  const load = { dir, provider, intraOpThreads: threads };
  const prefixCacheMb = o.prefixCacheMb ?? DEFAULT_PREFIX_CACHE_MB;
  const rows: ModelBenchRow[] = [];
  let providerUsed = provider as string;
  const promptTokens = { min: Infinity, max: 0 };
  try {
    for (const c of sizes) {
      // Both modes loaded side by side and run alternately, so a slow spell on the shared machine
      // (other tenants' memory traffic slows batch-1 steps most) hits both rather than one.
      const batched = await ModelHost.start({ load, maxBatch, prefixCacheMb });
      const single = await ModelHost.start({ load, maxBatch: 1, prefixCacheMb });
      providerUsed = batched.info.provider;
      let b: Awaited<ReturnType<typeof runConversations>> | undefined;
      let s: typeof b;
      try {
        await runConversations(batched, c, 12); // warm-up: JIT, ORT's first runs at this batch size
        await runConversations(single, 1, 12);
        for (let r = 0; r < repeat; r++) {
          const rb = await runConversations(batched, c, tokens);
          const rs = await runConversations(single, c, tokens);
          if (!b || rb.wallMs < b.wallMs) b = rb;
          if (!s || rs.wallMs < s.wallMs) s = rs;
        }
      } finally {
        await batched.close();
        await single.close();
      }
      if (!b || !s) throw new Error('--repeat must be at least 1');

      const sum = (r: GenerationResult[]) => r.reduce((n, x) => n + x.completionTokens, 0);
      const bTps = (sum(b.results) / b.wallMs) * 1000;
      const sTps = (sum(s.results) / s.wallMs) * 1000;
      const workerStepMs = (b.wallMs - b.stats.prefillMs) / Math.max(1, b.stats.decodeSteps);
      const promptLen = Math.max(...b.results.map((r) => r.promptTokens));
      for (const r of b.results) (promptTokens.min = Math.min(promptTokens.min, r.promptTokens)), (promptTokens.max = Math.max(promptTokens.max, r.promptTokens));
      let rawStepMs = Infinity;
      for (let i = 0; i < repeat; i++) rawStepMs = Math.min(rawStepMs, await rawDecode(dir, provider, threads, c, promptLen + Math.floor(tokens / 2), Math.max(8, Math.min(tokens, 32))));
      const engineRunMs = b.stats.decodeRunMs / Math.max(1, b.stats.decodeSteps);
      rows.push({
        concurrency: c,
        batchedTokensPerSec: bTps,
        sequentialTokensPerSec: sTps,
        speedup: bTps / sTps,
        batchedTokensPerCpuSec: (sum(b.results) / b.cpuMs) * 1000,
        sequentialTokensPerCpuSec: (sum(s.results) / s.cpuMs) * 1000,
        cpuSpeedup: (sum(b.results) / b.cpuMs) * 1000 / ((sum(s.results) / s.cpuMs) * 1000),
        ttftBatchedMs: { p50: pct(b.results.map((r) => r.firstTokenMs ?? NaN), 50), p95: pct(b.results.map((r) => r.firstTokenMs ?? NaN), 95) },
        ttftSequentialMs: { p50: pct(s.results.map((r) => r.firstTokenMs ?? NaN), 50), p95: pct(s.results.map((r) => r.firstTokenMs ?? NaN), 95) },
        workerStepMs,
        engineStepMs: b.stats.decodeMs / Math.max(1, b.stats.decodeSteps),
        engineRunMs,
        overhead: (workerStepMs - engineRunMs) / engineRunMs,
        rawStepMs,
        prefixReuse: b.stats.prefixReusedTokens / Math.max(1, b.stats.prefixReusedTokens + b.stats.prefillTokens),
      });
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return { model: o.modelDir ?? 'built test model', provider: providerUsed, params, tokens, promptTokens, prefixCacheMb, repeat, rows };
}

export function printModelBench(r: ModelBenchResult): void {
  const f1 = (x: number) => x.toFixed(1);
  const f2 = (x: number) => x.toFixed(2);
  console.log(`Model: ${r.model} — ${r.params}; provider ${r.provider}; prompts of ${r.promptTokens.min}–${r.promptTokens.max} tokens, ${r.tokens} tokens per reply (sampled, temperature 0.8), prefix cache ${r.prefixCacheMb ? `${r.prefixCacheMb} MiB` : 'off'}, best of ${r.repeat}`);
  console.table(
    r.rows.map((x) => ({
      conversations: x.concurrency,
      'batched tok/s': f1(x.batchedTokensPerSec),
      'one-at-a-time tok/s': f1(x.sequentialTokensPerSec),
      speedup: `${f2(x.speedup)}×`,
      'tok/CPU-s batched · one-at-a-time': `${f1(x.batchedTokensPerCpuSec)} · ${f1(x.sequentialTokensPerCpuSec)} (${f2(x.cpuSpeedup)}×)`,
      'TTFT p50/p95 batched ms': `${f1(x.ttftBatchedMs.p50)} / ${f1(x.ttftBatchedMs.p95)}`,
      'TTFT p50/p95 one-at-a-time ms': `${f1(x.ttftSequentialMs.p50)} / ${f1(x.ttftSequentialMs.p95)}`,
      'worker ms/step': f2(x.workerStepMs),
      'its session.run ms': f2(x.engineRunMs),
      overhead: `${(x.overhead * 100).toFixed(1)}%`,
      'bare loop ms/step': f2(x.rawStepMs),
      'prompt from prefix cache': `${Math.round(x.prefixReuse * 100)}%`,
    })),
  );
  console.log('worker ms/step: decode wall time seen from the I/O thread ÷ decode steps (prefill excluded); overhead: over the session.run calls of the same steps;');
  console.log('bare loop: session.run alone, same batch and KV length, for reference.');
  console.log('Inside the model thread, per decode step: ' + r.rows.map((x) => `B=${x.concurrency} ${f2(x.engineStepMs)} ms`).join(' · '));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, size: { type: 'string' }, variant: { type: 'string' }, tokens: { type: 'string' }, sizes: { type: 'string' }, threads: { type: 'string' }, provider: { type: 'string' }, repeat: { type: 'string' }, 'prefix-cache-mb': { type: 'string' }, json: { type: 'string' } },
  });
  const variant = values.variant as TestModelVariant | undefined;
  const size = values.size as keyof typeof BENCH_SIZES | undefined;
  if (size && !(size in BENCH_SIZES)) throw new Error('--size must be tiny, small or medium');
  if (variant && !['plain', 'gqa', 'merged'].includes(variant)) throw new Error('--variant must be plain, gqa or merged');
  console.log(`Parley model bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0]!.toFixed(1)}\n`);
  const r = await benchModels({
    ...(values.model ? { modelDir: values.model } : {}),
    ...(variant ? { variant } : {}),
    ...(size ? { size } : {}),
    ...(values.tokens ? { tokens: Number(values.tokens) } : {}),
    ...(values.sizes ? { sizes: values.sizes.split(',').map(Number) } : {}),
    ...(values.threads ? { threads: Number(values.threads) } : {}),
    ...(values.provider ? { provider: values.provider as ExecutionProvider } : {}),
    ...(values.repeat ? { repeat: Number(values.repeat) } : {}),
    ...(values['prefix-cache-mb'] !== undefined ? { prefixCacheMb: Number(values['prefix-cache-mb']) } : {}),
  });
  printModelBench(r);
  console.log(`load average at the end: ${loadavg()[0]!.toFixed(1)} (other work on the machine slows both modes unevenly; tok/CPU-s is the steadier comparison)`);
  const out = values.json ?? join('out', 'bench-models.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), ...r }, null, 2));
  console.log(`\nwrote ${out}`);
}
