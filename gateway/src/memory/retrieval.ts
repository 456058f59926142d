/**
 * Ranks the 30-day memories of a pair for the current turn, Generative Agents style
 * (Park et al. 2023): score = w_recency·recency + w_importance·importance + w_relevance·relevance,
 * each component min-max normalised over the candidates first, so no component's scale wins
 * by accident.
 * - recency: decayPerHour ^ hours since the memory was made (0.995/h: half after ~6 days);
 * - importance: 1..10 as stored;
 * - relevance: cosine similarity of the memory's embedding to the player's words.
 */
import { cosine } from './embedding/embedder.js';
import type { MemoryItem } from './types.js';

export interface RetrievalWeights {
  recency: number;
  importance: number;
  relevance: number;
}

export interface RetrievalOptions {
  weights: RetrievalWeights;
  /** Recency multiplier per hour of age, 0 < d ≤ 1. */
  decayPerHour: number;
  now: number;
}

export interface ScoredItem {
  item: MemoryItem;
  score: number;
  recency: number;
  importance: number;
  relevance: number;
}

const HOUR_MS = 3_600_000;

/** Min-max normalisation to 0..1; a component that does not vary gives 0 to all (it cannot rank). */
function minMax(xs: number[]): number[] {
  let lo = Infinity, hi = -Infinity;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const span = hi - lo;
  return xs.map((x) => (span > 1e-12 ? (x - lo) / span : 0));
}

/** All items, best first (ties: newer first, then id, so the order is deterministic). */
export function rankMemories(items: readonly MemoryItem[], query: readonly number[], opts: RetrievalOptions): ScoredItem[] {
  if (items.length === 0) return [];
  const rec = minMax(items.map((m) => Math.pow(opts.decayPerHour, Math.max(0, opts.now - m.at) / HOUR_MS)));
  const imp = minMax(items.map((m) => m.importance));
  const rel = minMax(items.map((m) => (query.length ? cosine(m.embedding, query) : 0)));
  const w = opts.weights;
  return items
    .map((item, i) => ({ item, recency: rec[i]!, importance: imp[i]!, relevance: rel[i]!, score: w.recency * rec[i]! + w.importance * imp[i]! + w.relevance * rel[i]! }))
    .sort((a, b) => b.score - a.score || b.item.at - a.item.at || (a.item.id < b.item.id ? -1 : 1));
}
