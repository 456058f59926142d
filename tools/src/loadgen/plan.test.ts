import { describe, expect, it } from 'vitest';
import { DEV_CATALOG } from './scenario.js';
import { planConversations, tierCounts } from './plan.js';

const base = { tierMix: { gold: 150, silver: 300, bronze: 550 }, npcsPerConnection: 8, rampUpS: 10, catalog: DEV_CATALOG };

describe('plan', () => {
  it('tier counts follow the per-1,000 mix exactly and sum to the NPC count', () => {
    expect(tierCounts(1000, base.tierMix)).toEqual({ gold: 150, silver: 300, bronze: 550 });
    expect(tierCounts(10000, { gold: 100, silver: 300, bronze: 600 })).toEqual({ gold: 1000, silver: 3000, bronze: 6000 });
    for (const n of [1, 7, 24, 333, 999]) {
      const c = tierCounts(n, base.tierMix);
      expect(c.gold + c.silver + c.bronze).toBe(n);
    }
  });
  it('interleaves tiers, uses catalog NPCs of the tier, unique players, connections and processes', () => {
    const plan = planConversations({ ...base, npcs: 1000 }, 'run1', 3);
    expect(plan).toHaveLength(1000);
    expect(new Set(plan.map((c) => c.player)).size).toBe(1000);
    for (const c of plan) expect(DEV_CATALOG[c.tier]).toContain(c.npc);
    expect(plan.filter((c) => c.tier === 'gold')).toHaveLength(150);
    // Every block of 100 carries about the mix.
    for (let i = 0; i < 1000; i += 100) {
      const gold = plan.slice(i, i + 100).filter((c) => c.tier === 'gold').length;
      expect(gold).toBeGreaterThanOrEqual(14);
      expect(gold).toBeLessThanOrEqual(16);
    }
    expect(plan[7]!.connection).toBe(0);
    expect(plan[8]!.connection).toBe(1);
    expect(Math.max(...plan.map((c) => c.connection))).toBe(124);
    // A connection never spans processes; processes share connections round-robin.
    for (const c of plan) expect(c.process).toBe(c.connection % 3);
    expect(plan[0]!.activeFromMs).toBe(0);
    expect(plan[500]!.activeFromMs).toBe(5000);
  });
  it('is deterministic', () => {
    expect(planConversations({ ...base, npcs: 50 }, 'r', 2)).toEqual(planConversations({ ...base, npcs: 50 }, 'r', 2));
  });
});
