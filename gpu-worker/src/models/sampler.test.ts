import { describe, expect, it } from 'vitest';
import { argmax, createRng, Sampler, topKIndices } from './sampler.js';

const logits = () => Float32Array.from([1, 5, 3, 5, -2, 0.5, 4]);

describe('sampler', () => {
  it('greedy picks the largest logit, the lowest id on ties', () => {
    expect(argmax(logits())).toBe(1);
    expect(new Sampler({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 1 }).sample(logits(), [])).toBe(1);
  });

  it('top-k keeps the k best, best first', () => {
    expect([...topKIndices(logits(), 3)]).toEqual([1, 3, 6]);
  });

  it('samples only inside top-k and top-p', () => {
    const topK = new Sampler({ temperature: 5, topK: 2, topP: 1, repetitionPenalty: 1, seed: 3 });
    const topP = new Sampler({ temperature: 1, topK: 0, topP: 0.5, repetitionPenalty: 1, seed: 3 });
    const seenK = new Set<number>();
    const seenP = new Set<number>();
    for (let i = 0; i < 500; i++) {
      seenK.add(topK.sample(logits(), []));
      seenP.add(topP.sample(logits(), []));
    }
    expect([...seenK].sort()).toEqual([1, 3]);
    // p(1) = p(3) ≈ 0.39 each: the first two already pass 0.5, the rest never appear.
    expect([...seenP].sort()).toEqual([1, 3]);
  });

  it('the repetition penalty steers away from seen tokens', () => {
    const s = new Sampler({ temperature: 0, topK: 0, topP: 1, repetitionPenalty: 2, seed: 1 });
    expect(s.sample(logits(), [1, 3])).toBe(6);
  });

  it('same seed, same stream; the stream follows the distribution', () => {
    const a = createRng(99);
    const b = createRng(99);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(createRng(100)()).not.toBe(xs[0]);
    const s = new Sampler({ temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1, seed: 7 });
    const counts = new Map<number, number>();
    for (let i = 0; i < 4000; i++) {
      const t = s.sample(Float32Array.from([0, Math.log(3)]), []);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    expect((counts.get(1) ?? 0) / 4000).toBeCloseTo(0.75, 1);
  });
});
