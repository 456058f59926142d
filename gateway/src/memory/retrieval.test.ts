import { describe, expect, it } from 'vitest';
import { assembleContext } from './context.js';
import { packEmbedding, unpackEmbedding } from './embedding/embedding-codec.js';
import { hashEmbed } from './embedding/hash-embedder.js';
import { rankMemories } from './retrieval.js';
import type { HotState, MemoryItem } from './types.js';

const now = Date.UTC(2025, 5, 1);
const HOUR = 3_600_000;
const item = (id: string, text: string, importance: number, ageH: number): MemoryItem => ({ id, kind: 'fact', text, importance, at: now - ageH * HOUR, expiresAt: now + 1e9, embedding: hashEmbed(text, 256), sourceTurns: [] });
const weights = { recency: 1, importance: 1, relevance: 1 };

describe('retrieval scoring', () => {
  const items = [item('a', 'The player hates wolves.', 5, 1), item('b', 'The player is a blacksmith.', 5, 200), item('c', 'The player promised to return the silver dagger.', 9, 100)];

  it('ranks by relevance to the query when the rest is equal', () => {
    const r = rankMemories([items[0]!, item('d', 'The player likes apples.', 5, 1)], hashEmbed('Are there wolves in the forest?', 256), { weights, decayPerHour: 0.995, now });
    expect(r[0]!.item.id).toBe('a');
  });

  it('normalises each component to 0..1 and honours the weights', () => {
    const q = hashEmbed('Where is my silver dagger?', 256);
    const r = rankMemories(items, q, { weights, decayPerHour: 0.995, now });
    for (const s of r) for (const k of ['recency', 'importance', 'relevance'] as const) expect(s[k]).toBeGreaterThanOrEqual(0), expect(s[k]).toBeLessThanOrEqual(1);
    expect(r[0]!.item.id).toBe('c');
    const recentOnly = rankMemories(items, q, { weights: { recency: 1, importance: 0, relevance: 0 }, decayPerHour: 0.995, now });
    expect(recentOnly.map((s) => s.item.id)).toEqual(['a', 'c', 'b']);
  });

  it('ranks int8 embeddings read back from Redis like the float ones they were stored from', () => {
    const many = Array.from({ length: 30 }, (_, i) => item(`m${i}`, `Memory ${i}: ${['wolves', 'the silver dagger', 'the old mill', 'bread'][i % 4]} near the ${['river', 'road', 'crypt'][i % 3]}.`, 5, 10));
    const stored = many.map((m) => ({ ...m, embedding: unpackEmbedding(packEmbedding(m.embedding)) }));
    const q = hashEmbed('Have you seen the silver dagger by the crypt?', 256);
    const opts = { weights: { recency: 0, importance: 0, relevance: 1 }, decayPerHour: 0.995, now };
    const a = rankMemories(many, q, opts), b = rankMemories(stored, q, opts);
    expect(b.map((s) => s.item.id).slice(0, 5)).toEqual(a.map((s) => s.item.id).slice(0, 5));
    for (let i = 0; i < a.length; i++) expect(Math.abs(b[i]!.relevance - a[i]!.relevance)).toBeLessThan(0.05);
  });
});

describe('prompt context assembly', () => {
  const turns = Array.from({ length: 20 }, (_, i) => ({ id: `t${i}`, at: now - (20 - i) * 60_000, playerText: `Player line number ${i} about the weather and the road.`, npcText: `NPC answer ${i}.`, status: 'completed' as const }));
  const hot: HotState = {
    card: { trust: 0.2, respect: 0.1, familiarity: 0.3, affinity: 0.1, firstMetAt: now - 1e7, lastMetAt: now, conversations: 2, turns: 40, pinned: ["The player's name is Bo."], updatedAt: now },
    turns,
    items: [item('x', "The player's name is Bo.", 9, 1), ...Array.from({ length: 10 }, (_, i) => item(`m${i}`, `Memory ${i} about the road north.`, 3 + (i % 5), i * 10))],
  };

  it('keeps the card, top-k memories (pinned ones not repeated) and the newest turns, oldest first, within budget', () => {
    const ctx = assembleContext(hot, hashEmbed('the road', 256), { topK: 4, tokenBudget: 400, weights, decayPerHour: 0.995, now });
    expect(ctx.card?.pinned).toEqual(["The player's name is Bo."]);
    expect(ctx.memories).toHaveLength(4);
    expect(ctx.memories.some((m) => m.text === "The player's name is Bo.")).toBe(false);
    expect(ctx.turns.length).toBeGreaterThan(2);
    expect(ctx.turns.length).toBeLessThan(40);
    expect(ctx.turns.at(-1)!.text).toBe('NPC answer 19.');
    expect(ctx.turns.at(-2)!.role).toBe('player');
    const tokens = JSON.stringify(ctx).length / 4;
    expect(tokens).toBeLessThan(400 * 1.6); // the estimate counts text only
  });

  it('a stranger has a null card and empty lists', () => {
    expect(assembleContext({ card: null, turns: [], items: [] }, [], { topK: 4, tokenBudget: 400, weights, decayPerHour: 0.995, now })).toEqual({ card: null, turns: [], memories: [] });
  });
});
