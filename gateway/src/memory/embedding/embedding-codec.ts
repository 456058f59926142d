/**
 * Compact storage form of an embedding for the 30-day window: int8-quantized, base64. A 256-d
 * vector takes 344 characters instead of ~2.5 KB of JSON floats, which keeps the hot read of a
 * pair with a few hundred memories small. Cosine similarity changes by < 0.01.
 */
export function packEmbedding(v: ArrayLike<number>): string {
  const q = new Int8Array(v.length);
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  const scale = max > 0 ? 127 / max : 0;
  for (let i = 0; i < v.length; i++) q[i] = Math.round(v[i]! * scale);
  return Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64');
}

/**
 * The stored int8 vector as a view on the decoded bytes (no per-element copy): the hot read
 * decodes every memory of a pair on every turn, and `cosine()` normalises as it goes.
 */
export function unpackEmbedding(s: string): Int8Array {
  const b = Buffer.from(s, 'base64');
  return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Plain floats of any embedding (for storage as real[]): number arrays pass through, int8 ones are re-normalised. */
export function embeddingToArray(v: readonly number[] | Int8Array): readonly number[] {
  if (!(v instanceof Int8Array)) return v;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return Array.from(v, (x) => x * inv);
}
