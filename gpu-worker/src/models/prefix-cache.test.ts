import { describe, expect, it } from 'vitest';
import { kvBytesPerToken, type KvBatch, type KvGeometry } from './kv-batch.js';
import { PrefixCache, takePrefix } from './prefix-cache.js';

const g: KvGeometry = { layers: 1, kvHeads: 2, headDim: 3, kvType: 'float32', layout: 'left' };
/** One row whose every element encodes (tensor, head, position, dim), so copies can be checked exactly. */
function kvFor(len: number): KvBatch {
  const data = [0, 1].map((t) => Float32Array.from({ length: g.kvHeads * len * g.headDim }, (_, i) => {
    const d = i % g.headDim, p = Math.floor(i / g.headDim) % len, h = Math.floor(i / (g.headDim * len));
    return t * 1000 + h * 100 + p + d / 10;
  }));
  return { rows: 1, pastLen: len, lens: [len], data };
}
const seq = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('PrefixCache', () => {
  it('finds the longest cached prefix, leaving the last prompt token to compute', () => {
    const c = new PrefixCache(g, 1 << 20, 4);
    c.insert(seq(10), kvFor(10));
    c.insert([...seq(6), 99, 98, 97, 96, 95, 94], kvFor(12));
    expect(c.lookup([...seq(8), 50, 51])?.tokens).toBe(8);
    expect(c.lookup([...seq(6), 99, 98, 97, 1])?.tokens).toBe(9);
    expect(c.lookup(seq(10))?.tokens).toBe(9); // the same prompt again: all but its last token
    expect(c.lookup([1, 2, 3, 4, 5, 6])).toBeUndefined(); // no common beginning
    expect(c.lookup([...seq(3), 7, 7, 7])).toBeUndefined(); // shorter than minTokens
    expect(c.stats).toMatchObject({ lookups: 5, hits: 3, reusedTokens: 26, entries: 2 });
    expect(c.covers([...seq(5), 70])).toBe(true);
    expect(c.covers([...seq(3), 70])).toBe(false);
    expect(c.stats.lookups).toBe(5); // covers() keeps no books
    expect([c.wants(3), c.wants(4), c.wants(100_000)]).toEqual([false, true, false]);
  });

  it('copies exactly the first n positions of every head', () => {
    const kv = kvFor(7);
    const p = takePrefix(g, kv, 4);
    expect(p).toMatchObject({ rows: 1, pastLen: 4, lens: [4] });
    for (let t = 0; t < 2; t++)
      for (let h = 0; h < g.kvHeads; h++)
        for (let pos = 0; pos < 4; pos++)
          for (let d = 0; d < g.headDim; d++) expect(p.data[t]![(h * 4 + pos) * g.headDim + d]).toBe(Math.fround(t * 1000 + h * 100 + pos + d / 10));
    p.data[0]![0] = -1; // a copy: the cached entry is untouched
    expect(kv.data[0]![0]).toBe(0);
  });

  it('keeps within its byte budget, least recently used out first', () => {
    const per = kvBytesPerToken(g) * 8;
    const c = new PrefixCache(g, per * 2, 4);
    c.insert(seq(8, 100), kvFor(8));
    c.insert(seq(8, 200), kvFor(8));
    expect(c.lookup([...seq(6, 100), 0, 0])?.tokens).toBe(6); // 100… is now the most recent
    c.insert(seq(8, 300), kvFor(8)); // evicts 200…
    expect(c.stats).toMatchObject({ entries: 2, bytes: per * 2 });
    expect(c.lookup([...seq(6, 200), 0])).toBeUndefined();
    expect(c.lookup([...seq(6, 100), 0])?.tokens).toBe(6);
    expect(c.lookup([...seq(6, 300), 0])?.tokens).toBe(6);
  });

  it('replaces an entry that a new prompt extends, and ignores what it cannot use', () => {
    const c = new PrefixCache(g, 1 << 20, 4);
    c.insert(seq(6), kvFor(6));
    c.insert(seq(9), kvFor(9));
    expect(c.stats.entries).toBe(1);
    c.insert(seq(3), kvFor(3)); // below minTokens
    c.insert(seq(5), kvFor(6)); // KV of another length: not a single unpadded prompt
    c.insert(seq(2000), kvFor(2000)); // over the budget
    expect(c.stats.entries).toBe(1);
  });
});
