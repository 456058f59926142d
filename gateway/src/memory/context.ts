/**
 * Prompt-context assembly: what a turn's job carries about the player (MemoryContext).
 * Order of priority within the token budget:
 *   1. the relationship card with its pinned facts (always);
 *   2. the top-k ranked summaries/facts (see retrieval.ts), up to half the budget;
 *   3. the most recent hot turns, newest first, with what budget is left;
 * then turns are put back oldest first. Tokens are estimated as characters ÷ 4.
 */
import type { MemoryContext } from '@parley/protocol';
import { rankMemories, type RetrievalWeights } from './retrieval.js';
import { approxTokens } from './text-features.js';
import type { HotState, RelationshipCard } from './types.js';

export interface ContextOptions {
  topK: number;
  tokenBudget: number;
  weights: RetrievalWeights;
  decayPerHour: number;
  now: number;
}

export function cardForContext(card: RelationshipCard | null): MemoryContext['card'] {
  if (!card) return null;
  const { trust, respect, familiarity, affinity, conversations, turns, firstMetAt, lastMetAt, pinned } = card;
  return { trust, respect, familiarity, affinity, conversations, turns, firstMetAt, lastMetAt, pinned: pinned.slice(0, 16) };
}

export function assembleContext(hot: HotState, query: readonly number[], opts: ContextOptions): MemoryContext {
  const card = cardForContext(hot.card);
  let budget = opts.tokenBudget - (card ? 24 + card.pinned.reduce((n, p) => n + approxTokens(p), 0) : 0);
  const pinned = new Set(card?.pinned ?? []);

  const memories: MemoryContext['memories'] = [];
  let memoryBudget = Math.floor(budget / 2);
  for (const s of rankMemories(hot.items.filter((m) => !pinned.has(m.text)), query, { weights: opts.weights, decayPerHour: opts.decayPerHour, now: opts.now })) {
    if (memories.length >= opts.topK) break;
    const cost = approxTokens(s.item.text) + 4;
    if (cost > memoryBudget) continue;
    memoryBudget -= cost;
    budget -= cost;
    memories.push({ kind: s.item.kind, text: s.item.text, importance: s.item.importance, at: s.item.at });
  }

  const turns: MemoryContext['turns'] = [];
  for (let i = hot.turns.length - 1; i >= 0 && turns.length < 200; i--) {
    const t = hot.turns[i]!;
    const lines: MemoryContext['turns'] = [{ role: 'player', text: t.playerText, at: t.at }];
    if (t.npcText) lines.push({ role: 'npc', text: t.npcText, at: t.at });
    const cost = lines.reduce((n, l) => n + approxTokens(l.text) + 4, 0);
    if (cost > budget) break;
    budget -= cost;
    turns.unshift(...lines);
  }
  return { card, turns, memories };
}
