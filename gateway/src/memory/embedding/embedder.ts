/**
 * Embeddings turn a summary, a fact or the player's words into a unit-length vector, so
 * retrieval can rank memories by cosine similarity. Every embedder behind this interface is
 * deterministic for a given input and model, and returns vectors of `dimensions` length.
 */
export interface Embedder {
  /** Short name stored beside the vectors it made (e.g. "hash-256"). */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<number[][]>;
  close(): Promise<void>;
}

/**
 * Cosine similarity of `a` (any length: a unit vector or a stored int8 quantization) and a
 * unit-length `b`, in one pass without allocating; 0 when the lengths differ or `a` is zero.
 */
export function cosine(a: ArrayLike<number>, b: readonly number[]): number {
  if (a.length !== b.length) return 0;
  let dot = 0, norm = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    dot += x * b[i]!;
    norm += x * x;
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalize(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  const n = Math.sqrt(sum);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}
