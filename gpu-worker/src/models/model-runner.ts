/**
 * Runs the decoder: a prefill pass for new prompts and a decode pass for one token per row.
 * It only computes — building feeds from plain token lists and a KvBatch, returning each row's
 * next-token logits and the new KvBatch; which sequences run is the engine's decision.
 */
import * as ort from 'onnxruntime-node';
import { halfToFloat } from './half-float.js';
import { allocKv, type KvBatch, type KvGeometry } from './kv-batch.js';
import type { IndexElementType, ModelIo } from './model-io.js';

export interface RunOutput {
  /** Next-token logits per row (float32; a view into the output where possible). */
  logits: Float32Array[];
  kv: KvBatch;
}

function indexTensor(type: IndexElementType, values: ArrayLike<number>, dims: number[]): ort.Tensor {
  if (type === 'int32') return new ort.Tensor('int32', Int32Array.from(values), dims);
  const a = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) a[i] = BigInt(values[i]!);
  return new ort.Tensor('int64', a, dims);
}

/** An attention mask of ones over [from, from + count) in each row, built without per-element conversions. */
function maskTensor(type: IndexElementType, rows: number, width: number, from: (b: number) => number, count: (b: number) => number): ort.Tensor {
  const a = type === 'int32' ? new Int32Array(rows * width) : new BigInt64Array(rows * width);
  for (let b = 0; b < rows; b++) {
    const start = b * width + from(b);
    if (a instanceof Int32Array) a.fill(1, start, start + count(b));
    else a.fill(1n, start, start + count(b));
  }
  return new ort.Tensor(type, a, [rows, width]);
}

export class ModelRunner {
  /** Time spent inside session.run, ms (for the overhead figures). */
  runMs = 0;
  runs = 0;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly io: ModelIo,
    readonly geometry: KvGeometry,
    readonly vocabSize: number,
  ) {}

  /**
   * Longest slice of a single prompt per run: a long prompt goes through the KV cache in slices,
   * so the logits output holds slice × vocabulary floats, not prompt × vocabulary (300 MB for a
   * 500-token prompt and a 150 K vocabulary).
   */
  prefillChunk = 256;

  /** Processes whole prompts (padded to the longest); returns each row's logits after its last prompt token. */
  async prefill(prompts: readonly (readonly number[])[]): Promise<RunOutput> {
    if (prompts.length === 1 && prompts[0]!.length > this.prefillChunk) return this.prefillOne(prompts[0]!);
    const B = prompts.length;
    const S = Math.max(...prompts.map((p) => p.length));
    const left = this.geometry.layout === 'left';
    const ids = new Array<number>(B * S).fill(0);
    const mask = new Array<number>(B * S).fill(0);
    const pos = new Array<number>(B * S).fill(1);
    prompts.forEach((p, b) => {
      const off = left ? S - p.length : 0;
      for (let i = 0; i < p.length; i++) {
        ids[b * S + off + i] = p[i]!;
        mask[b * S + off + i] = 1;
        pos[b * S + off + i] = i;
      }
    });
    const empty: KvBatch = { rows: B, pastLen: 0, lens: new Array<number>(B).fill(0), data: this.io.pastNames.map(() => allocKv(this.geometry.kvType, 0)) };
    const out = await this.run(empty, ids, indexTensor(this.io.maskType, mask, [B, S]), pos, S);
    const rowsAt = prompts.map((p) => (left ? S - 1 : p.length - 1));
    return { logits: this.rowLogits(out.logits, rowsAt, S), kv: this.presentKv(out, B, prompts.map((p) => p.length)) };
  }

  /**
   * Prefills one prompt, optionally after `cached` positions whose KV cache is given (a prefix
   * cache hit), in slices of at most `prefillChunk` tokens. The KV returned covers the whole prompt.
   */
  async prefillOne(prompt: readonly number[], cached?: { tokens: number; kv: KvBatch }): Promise<RunOutput> {
    const from = cached?.tokens ?? 0;
    if (from >= prompt.length) throw new RangeError('prefillOne: at least one prompt token must be computed');
    let kv: KvBatch = cached?.kv ?? { rows: 1, pastLen: 0, lens: [0], data: this.io.pastNames.map(() => allocKv(this.geometry.kvType, 0)) };
    let out: ort.InferenceSession.ReturnType | undefined;
    let S = 0;
    for (let start = from; start < prompt.length; start += this.prefillChunk) {
      const slice = prompt.slice(start, start + this.prefillChunk);
      S = slice.length;
      const total = start + S;
      out = await this.run(kv, slice, maskTensor(this.io.maskType, 1, total, () => 0, () => total), slice.map((_, i) => start + i), S);
      kv = this.presentKv(out, 1, [total]);
    }
    return { logits: this.rowLogits(out!.logits, [S - 1], S), kv };
  }

  /** Feeds one token per row after the cached ones. */
  async decode(kv: KvBatch, tokens: readonly number[]): Promise<RunOutput> {
    const B = kv.rows;
    const T = kv.pastLen + 1;
    const left = this.geometry.layout === 'left';
    const mask = maskTensor(this.io.maskType, B, T, (b) => (left ? T - kv.lens[b]! - 1 : 0), (b) => kv.lens[b]! + 1);
    const out = await this.run(kv, tokens, mask, kv.lens, 1);
    return { logits: this.rowLogits(out.logits, new Array<number>(B).fill(0), 1), kv: this.presentKv(out, B, kv.lens.map((l) => l + 1)) };
  }

  private async run(kv: KvBatch, ids: ArrayLike<number>, mask: ort.Tensor, pos: ArrayLike<number>, S: number): Promise<ort.InferenceSession.ReturnType> {
    const B = kv.rows;
    const { kvHeads, headDim, kvType } = this.geometry;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: indexTensor(this.io.idsType, ids, [B, S]),
      attention_mask: mask,
    };
    if (this.io.positionType) feeds.position_ids = indexTensor(this.io.positionType, pos, [B, S]);
    if (this.io.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', [kv.pastLen > 0], [1]);
    this.io.pastNames.forEach((name, i) => (feeds[name] = new ort.Tensor(kvType, kv.data[i]!, [B, kvHeads, kv.pastLen, headDim])));
    const t0 = performance.now();
    const out = await this.session.run(feeds);
    this.runMs += performance.now() - t0;
    this.runs++;
    return out;
  }

  private rowLogits(t: ort.Tensor | undefined, positions: readonly number[], S: number): Float32Array[] {
    if (!t) throw new Error('model returned no logits');
    const V = Number(t.dims[2]);
    const fp16 = t.type === 'float16';
    const data = t.data as Float32Array | Uint16Array;
    return positions.map((p, b) => {
      const start = (b * S + p) * V;
      const row = data.subarray(start, start + V);
      return fp16 ? halfToFloat(row as Uint16Array) : (row as Float32Array);
    });
  }

  private presentKv(out: ort.InferenceSession.ReturnType, rows: number, lens: number[]): KvBatch {
    const first = out[this.io.presentNames[0]!];
    if (!first) throw new Error(`model returned no ${this.io.presentNames[0]}`);
    const pastLen = Number(first.dims[2]);
    if (pastLen < Math.max(...lens)) throw new Error(`model returned a KV cache of ${pastLen} positions for ${Math.max(...lens)} tokens`);
    return { rows, pastLen, lens, data: this.io.presentNames.map((n) => out[n]!.data as Float32Array | Uint16Array) };
  }
}
