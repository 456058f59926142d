/**
 * Tier vocabulary of the scheduler: requested tiers (gold > silver > bronze) and served tiers,
 * which add `scripted`, the last resort that needs no model.
 */
import { TIERS, type ServedTier, type Tier } from '@parley/protocol';

export const SERVED_TIERS = [...TIERS, 'scripted'] as const satisfies readonly ServedTier[];

/** 0 = best. Used for priority, aging and to tell whether a served tier is a degradation. */
export const TIER_RANK: Record<ServedTier, number> = { gold: 0, silver: 1, bronze: 2, scripted: 3 };

const CHAINS: Record<Tier, readonly ServedTier[]> = {
  gold: ['gold', 'silver', 'bronze', 'scripted'],
  silver: ['silver', 'bronze', 'scripted'],
  bronze: ['bronze', 'scripted'],
};

/** Tiers that may serve a turn of `tier`, best first: its own, the lower ones, then scripted. */
export const fallbackChain = (tier: Tier): readonly ServedTier[] => CHAINS[tier];

export const isServedTier = (x: string): x is ServedTier => (SERVED_TIERS as readonly string[]).includes(x);
