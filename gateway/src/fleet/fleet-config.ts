/**
 * Scheduling policy settings (`PARLEY_TIER_SHARES`, `PARLEY_AGING_MS`,
 * `PARLEY_FALLBACK_AFTER_MS`, `PARLEY_AFFINITY_BALANCE`). The entries are spread into the
 * gateway's environment schema so one validation pass reports any bad variable by name.
 */
import * as v from 'valibot';
import { TIERS, type Tier, envInt as int } from '@parley/protocol';

const decimal = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.regex(/^\d+(\.\d+)?$/, 'must be a number'), v.transform(Number), v.minValue(min, `must be ≥ ${min}`), v.maxValue(max, `must be ≤ ${max}`));

/** `gold=0.3,silver=0.3,bronze=0.2` → shares; unnamed tiers get 0; the sum may not exceed 1. */
const shares = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const out: Record<Tier, number> = { gold: 0, silver: 0, bronze: 0 };
    for (const part of dataset.value.split(',').map((x) => x.trim()).filter(Boolean)) {
      const m = /^(gold|silver|bronze)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part);
      if (!m || Number(m[2]) > 1) {
        addIssue({ message: `"${part}" must look like gold=0.3 (tier=share, share 0..1)` });
        return NEVER;
      }
      out[m[1] as Tier] = Number(m[2]);
    }
    if (TIERS.reduce((s, t) => s + out[t], 0) > 1 + 1e-9) {
      addIssue({ message: 'the shares add up to more than 1' });
      return NEVER;
    }
    return out;
  }),
);

export const FLEET_ENV = {
  PARLEY_TIER_SHARES: v.optional(shares, 'gold=0.3,silver=0.3,bronze=0.2'),
  PARLEY_AGING_MS: v.optional(int(1, 3600 * 1000), '1000'),
  PARLEY_FALLBACK_AFTER_MS: v.optional(int(0, 600 * 1000), '250'),
  PARLEY_AFFINITY_BALANCE: v.optional(decimal(1, 100), '1.25'),
};

export interface FleetPolicyConfig {
  reservedShares: Record<Tier, number>;
  agingMs: number;
  fallbackAfterMs: number;
  affinityBalance: number;
}

type FleetEnv = { [K in keyof typeof FLEET_ENV]: v.InferOutput<(typeof FLEET_ENV)[K]> };

export const fleetPolicyFrom = (e: FleetEnv): FleetPolicyConfig => ({
  reservedShares: e.PARLEY_TIER_SHARES,
  agingMs: e.PARLEY_AGING_MS,
  fallbackAfterMs: e.PARLEY_FALLBACK_AFTER_MS,
  affinityBalance: e.PARLEY_AFFINITY_BALANCE,
});

export const DEFAULT_FLEET_POLICY: FleetPolicyConfig = { reservedShares: { gold: 0.3, silver: 0.3, bronze: 0.2 }, agingMs: 1000, fallbackAfterMs: 250, affinityBalance: 1.25 };
