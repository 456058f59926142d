/**
 * mulberry32: a well-known four-line seeded 32-bit PRNG, uniform in [0, 1). Math.random cannot
 * be seeded; phrase picking, test weights and benchmark traffic need reproducibility, not
 * statistical quality, so a hand-written one is enough and needs no dependency.
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
