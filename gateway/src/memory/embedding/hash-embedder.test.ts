import { describe, expect, it } from 'vitest';
import { cosine } from './embedder.js';
import { embeddingToArray, packEmbedding, unpackEmbedding } from './embedding-codec.js';
import { HashEmbedder, hashEmbed } from './hash-embedder.js';

describe('hash embedder', () => {
  it('is deterministic, unit length, and close for shared words and stems', async () => {
    const e = new HashEmbedder(256);
    const [a, b, c, d] = await e.embed(['The silver swords of the king', 'a silver sword for the king', 'I like apples and pears', '']);
    expect(a).toEqual(hashEmbed('The silver swords of the king', 256));
    expect(cosine(a!, a!)).toBeCloseTo(1, 6);
    expect(cosine(a!, b!)).toBeGreaterThan(0.7);
    expect(Math.abs(cosine(a!, c!))).toBeLessThan(0.3);
    expect(d!.every((x) => x === 0)).toBe(true);
    expect(() => new HashEmbedder(3)).toThrow(RangeError);
  });

  it('packs to int8/base64 and back with cosine preserved', () => {
    const a = hashEmbed('The old mill by the river', 256);
    const b = hashEmbed('the river mill', 256);
    const packed = packEmbedding(a);
    expect(packed.length).toBeLessThan(400);
    expect(cosine(unpackEmbedding(packed), b)).toBeCloseTo(cosine(a, b), 2);
  });

  it('turns a stored int8 embedding back into unit-length floats for the archive', () => {
    const a = hashEmbed('The old mill by the river', 256);
    const back = embeddingToArray(unpackEmbedding(packEmbedding(a)));
    expect(Array.isArray(back)).toBe(true);
    expect(back.reduce((n, x) => n + x * x, 0)).toBeCloseTo(1, 6);
    expect(cosine(back, a)).toBeGreaterThan(0.99);
    expect(embeddingToArray(a)).toBe(a); // floats pass through untouched
  });
});
