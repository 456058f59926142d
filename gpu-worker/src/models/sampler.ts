/**
 * Per-sequence token sampling: repetition penalty, temperature, top-k, top-p, from a seeded
 * random stream, so the same request with the same seed yields the same tokens whatever else
 * runs in the batch. Temperature 0 is greedy (argmax, lowest id on ties).
 */

export interface SamplingParams {
  /** 0 = greedy. */
  temperature: number;
  /** Keep the k most likely tokens; 0 = all. */
  topK: number;
  /** Keep the smallest set of tokens whose probability reaches p; 1 = all. */
  topP: number;
  /** > 1 discourages tokens already in the sequence (prompt and reply), as in HF transformers and vLLM; 1 = off. */
  repetitionPenalty: number;
  /** Seeds this sequence's random stream. */
  seed: number;
}

export const GREEDY: SamplingParams = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 };

/** sfc32 seeded through splitmix32 from all 53 bits of `seed`: small, fast, well-mixed. */
export function createRng(seed: number): () => number {
  let s = (Math.trunc(seed) >>> 0) ^ Math.imul(Math.floor(Math.trunc(seed) / 4294967296) | 0, 0x9e3779b9);
  const splitmix = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]!;
    if (v > max) {
      max = v;
      best = i;
    }
  }
  return best;
}

/** Indices of the k largest values, largest first (ties: lower index first). O(V log k). */
export function topKIndices(logits: Float32Array, k: number): Uint32Array {
  const heap = new Uint32Array(k); // min-heap by (value, -index): root is the weakest kept
  let size = 0;
  const weaker = (i: number, j: number) => logits[i]! < logits[j]! || (logits[i] === logits[j] && i > j);
  const siftDown = (pos: number) => {
    for (;;) {
      const l = 2 * pos + 1;
      const r = l + 1;
      let m = pos;
      if (l < size && weaker(heap[l]!, heap[m]!)) m = l;
      if (r < size && weaker(heap[r]!, heap[m]!)) m = r;
      if (m === pos) return;
      [heap[pos], heap[m]] = [heap[m]!, heap[pos]!];
      pos = m;
    }
  };
  for (let i = 0; i < logits.length; i++) {
    if (size < k) {
      let pos = size++;
      heap[pos] = i;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!weaker(heap[pos]!, heap[parent]!)) break;
        [heap[pos], heap[parent]] = [heap[parent]!, heap[pos]!];
        pos = parent;
      }
    } else if (weaker(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  const out = heap.slice(0, size);
  out.sort((i, j) => logits[j]! - logits[i]! || i - j);
  return out;
}

export class Sampler {
  private readonly rng: () => number;

  constructor(readonly params: SamplingParams) {
    this.rng = createRng(params.seed);
  }

  /**
   * Picks the next token from one row of logits (modified in place by the penalty).
   * `seen` holds the ids already in the sequence.
   */
  sample(logits: Float32Array, seen: ReadonlySet<number>): number {
    const p = this.params;
    if (p.repetitionPenalty !== 1) {
      for (const id of seen) {
        const v = logits[id];
        if (v !== undefined) logits[id] = v > 0 ? v / p.repetitionPenalty : v * p.repetitionPenalty;
      }
    }
    if (p.temperature <= 0 || p.topK === 1) return argmax(logits);

    const vocab = logits.length;
    const k = p.topK > 0 && p.topK < vocab ? p.topK : vocab;
    // Candidates, most likely first: needed for top-k and top-p; plain sampling skips the sort.
    const sorted = k < vocab || p.topP < 1;
    const cand = k < vocab ? topKIndices(logits, k) : sorted ? topKIndices(logits, vocab) : undefined;
    const n = cand ? cand.length : vocab;
    const at = (i: number) => (cand ? cand[i]! : i);

    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, logits[at(i)]!);
    const probs = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += probs[i] = Math.exp((logits[at(i)]! - max) / p.temperature);

    let keep = n;
    if (p.topP < 1) {
      let cum = 0;
      for (let i = 0; i < n; i++) {
        cum += probs[i]! / total;
        if (cum >= p.topP) {
          keep = i + 1;
          break;
        }
      }
      total = 0;
      for (let i = 0; i < keep; i++) total += probs[i]!;
    }
    let u = this.rng() * total;
    for (let i = 0; i < keep; i++) {
      u -= probs[i]!;
      if (u < 0) return at(i);
    }
    return at(keep - 1);
  }
}
