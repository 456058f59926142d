/**
 * The default embedder: feature hashing, no model download, microseconds per text.
 *
 * Each content word (stopwords dropped, lightly stemmed) and each word bigram is hashed into
 * one of `dimensions` buckets with a hashed sign (Weinberger et al., "Feature Hashing for Large
 * Scale Multitask Learning"); character trigrams of every word add a weaker signal so "sword"
 * and "swords", or a typo, still land close. Weights are sub-linear in the count.
 *
 * What it captures: shared words and word stems, shared phrases, spelling variants.
 * What it does not: synonyms ("blade" vs "sword"), paraphrase, negation or word sense. For those,
 * point PARLEY_EMBEDDER at an ONNX sentence-embedding model (see onnx-embedder.ts).
 */
import { contentStems, fnv1a } from '../text-features.js';
import { normalize, type Embedder } from './embedder.js';

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.25;

export function hashEmbed(text: string, dimensions: number): number[] {
  const counts = new Map<number, number>();
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    const bucket = h % dimensions;
    const sign = (h >>> 31) & 1 ? -1 : 1;
    counts.set(bucket, (counts.get(bucket) ?? 0) + sign * weight);
  };
  const stems = contentStems(text);
  for (let i = 0; i < stems.length; i++) {
    const w = stems[i]!;
    add(`w:${w}`, WORD_WEIGHT);
    if (i > 0) add(`b:${stems[i - 1]}_${w}`, BIGRAM_WEIGHT);
    const padded = `^${w}$`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT);
  }
  const v = new Array<number>(dimensions).fill(0);
  // Sub-linear: a word said five times should not drown everything else.
  for (const [bucket, x] of counts) v[bucket] = Math.sign(x) * Math.sqrt(Math.abs(x));
  return normalize(v);
}

export class HashEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimensions = 256) {
    if (!Number.isInteger(dimensions) || dimensions < 16 || dimensions > 4096) throw new RangeError(`HashEmbedder: dimensions must be 16..4096, got ${dimensions}`);
    this.id = `hash-${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((t) => hashEmbed(t, this.dimensions));
  }

  async close(): Promise<void> {}
}
