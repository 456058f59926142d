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

/**
 * Indices of the k largest values, largest first (ties: lower index first). One pass with a
 * sorted top-k buffer: almost every value is rejected by one comparison with the current k-th,
 * so it costs about one compare per vocabulary entry (a 150 K vocabulary in well under 1 ms).
 */
export function topKIndices(logits: Float32Array, k: number): Uint32Array {
  const n = logits.length;
  k = Math.min(k, n);
  const idx = new Uint32Array(k);
  const val = new Float32Array(k);
  let size = 0;
  // The value to beat: the current k-th largest once the buffer is full (kept in a local: the hot loop is one compare).
  let threshold = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = logits[i]!;
    // Strictly greater: equal values keep the earlier (lower) index.
    if (!(v > threshold) && size === k) continue;
    let j = size < k ? size++ : k - 1;
    while (j > 0 && v > val[j - 1]!) {
      val[j] = val[j - 1]!;
      idx[j] = idx[j - 1]!;
      j--;
    }
    val[j] = v;
    idx[j] = i;
    if (size === k) threshold = val[k - 1]!;
  }
  return idx;
}

/** With top-k off, top-p still needs candidates in order; beyond this many the tail mass is negligible. */
const TOP_P_CANDIDATES = 1024;

export class Sampler {
  private readonly rng: () => number;

  constructor(readonly params: SamplingParams) {
    this.rng = createRng(params.seed);
  }

  /**
   * Picks the next token from one row of logits (modified in place by the penalty).
   * `seen` holds the ids already in the sequence, each once.
   */
  sample(logits: Float32Array, seen: readonly number[]): number {
    const p = this.params;
    const penalty = p.repetitionPenalty;
    if (penalty !== 1) {
      for (let i = 0; i < seen.length; i++) {
        const id = seen[i]!;
        if (id >= logits.length) continue;
        const v = logits[id]!;
        logits[id] = v > 0 ? v / penalty : v * penalty;
      }
    }
    if (p.temperature <= 0 || p.topK === 1) return argmax(logits);

    const vocab = logits.length;
    // Candidates, most likely first (top-k, or a generous top-p shortlist); plain sampling uses all.
    const k = p.topK > 0 ? Math.min(p.topK, vocab) : p.topP < 1 ? Math.min(TOP_P_CANDIDATES, vocab) : vocab;
    const cand = k < vocab || p.topP < 1 ? topKIndices(logits, k) : undefined;
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
