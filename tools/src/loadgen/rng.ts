/** Small seeded PRNG (sfc32) so a scenario with a seed replays the same schedule. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Exponential with the given mean (Poisson process inter-arrival time). */
  exp(mean: number): number;
}

export function createRng(seed: number): Rng {
  // Mix the seed so nearby seeds give unrelated streams (splitmix32).
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (min, max) => min + next() * (max - min),
    exp: (mean) => -Math.log(1 - next()) * mean,
  };
}

/** Derives a child seed (e.g. per process or per conversation) from a base seed. */
export const deriveSeed = (seed: number, ...parts: number[]): number => {
  let h = seed >>> 0;
  for (const p of parts) h = Math.imul(h ^ (p + 0x9e3779b9 + (h << 6) + (h >>> 2)), 0x01000193) >>> 0;
  return h;
};
