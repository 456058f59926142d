/** `PARLEY_PLAYER_RATE`/`_BURST`, `PARLEY_KEY_RATE`/`_BURST`: spread into the gateway's environment schema. */
import * as v from 'valibot';
import type { RateLimitConfig } from './rate-limits.js';
import { envInt as int } from '@parley/protocol';

const decimal = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.regex(/^\d+(\.\d+)?$/, 'must be a number'), v.transform(Number), v.minValue(min, `must be ≥ ${min}`), v.maxValue(max, `must be ≤ ${max}`));

export const RATE_LIMIT_ENV = {
  PARLEY_PLAYER_RATE: v.optional(decimal(0, 1_000_000), '0'),
  PARLEY_PLAYER_BURST: v.optional(int(1, 1_000_000), '10'),
  PARLEY_KEY_RATE: v.optional(decimal(0, 1_000_000), '0'),
  PARLEY_KEY_BURST: v.optional(int(1, 10_000_000), '1000'),
};

type RateEnv = { [K in keyof typeof RATE_LIMIT_ENV]: v.InferOutput<(typeof RATE_LIMIT_ENV)[K]> };

export const rateLimitsFrom = (e: RateEnv): RateLimitConfig => ({ playerRate: e.PARLEY_PLAYER_RATE, playerBurst: e.PARLEY_PLAYER_BURST, keyRate: e.PARLEY_KEY_RATE, keyBurst: e.PARLEY_KEY_BURST });

export const NO_RATE_LIMITS: RateLimitConfig = { playerRate: 0, playerBurst: 10, keyRate: 0, keyBurst: 1000 };
