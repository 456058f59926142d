/** Deterministic plan: which tier/NPC/player each simulated conversation is, its connection and process. */
import { TIERS, type Tier } from '@parley/protocol';
import type { Scenario } from './scenario.js';

export interface Conversation {
  index: number;
  tier: Tier;
  npc: string;
  /** Unique per conversation and run. */
  player: string;
  /** Global connection index: conversations [c·k, (c+1)·k) share connection c (k = npcsPerConnection). */
  connection: number;
  /** Generator process that owns the connection. */
  process: number;
  /** When this conversation joins (ms after start): spread linearly over the ramp-up. */
  activeFromMs: number;
}

/** Exact tier counts for `npcs` conversations from a per-1,000 mix (largest remainder). */
export function tierCounts(npcs: number, mix: Record<Tier, number>): Record<Tier, number> {
  const exact = TIERS.map((t) => (npcs * mix[t]) / 1000);
  const counts = exact.map(Math.floor);
  let left = npcs - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i]!++;
    left--;
  }
  return { gold: counts[0]!, silver: counts[1]!, bronze: counts[2]! };
}

/**
 * Interleaves tiers so every prefix (hence every connection and process) carries about the
 * scenario's mix, then groups conversations into connections and connections into processes.
 */
export function planConversations(s: Pick<Scenario, 'npcs' | 'tierMix' | 'npcsPerConnection' | 'rampUpS' | 'catalog'>, runId: string, processes: number): Conversation[] {
  const want = tierCounts(s.npcs, s.tierMix);
  const given: Record<Tier, number> = { gold: 0, silver: 0, bronze: 0 };
  const out: Conversation[] = [];
  for (let i = 0; i < s.npcs; i++) {
    let best: Tier = 'bronze';
    let bestDeficit = -Infinity;
    for (const t of TIERS) {
      if (given[t] >= want[t]) continue;
      const deficit = (want[t] * (i + 1)) / s.npcs - given[t];
      if (deficit > bestDeficit) {
        bestDeficit = deficit;
        best = t;
      }
    }
    const ids = s.catalog[best];
    const npc = ids[given[best] % ids.length]!;
    given[best]++;
    const connection = Math.floor(i / s.npcsPerConnection);
    out.push({
      index: i,
      tier: best,
      npc,
      player: `lg-${runId}-${i}`,
      connection,
      process: connection % processes,
      activeFromMs: s.npcs > 1 ? (s.rampUpS * 1000 * i) / s.npcs : 0,
    });
  }
  return out;
}
