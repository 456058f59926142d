/**
 * Per-player and per-API-key turn rate limits (token buckets). A `say` takes one token from
 * its player's bucket and one from its key's bucket, or from neither: a refused turn costs
 * nothing. Buckets live in this gateway's memory; idle (full) ones are swept so memory stays
 * bounded by the callers active within a refill period. With several gateways each enforces
 * its own share (see docs/fleet.md).
 */
import { createHash } from 'node:crypto';
import { TokenBucket } from './token-bucket.js';

export interface RateLimitConfig {
  /** Turns per second per (key, player); 0 = unlimited. */
  playerRate: number;
  playerBurst: number;
  /** Turns per second per API key; 0 = unlimited. */
  keyRate: number;
  keyBurst: number;
}

export type RateDecision = { ok: true } | { ok: false; scope: 'player' | 'key'; retryAfterMs: number; limit: number };

/** A stable, non-reversible name for an API key (buckets and logs never hold the key itself). */
export const keyId = (token: string): string => createHash('sha256').update(token).digest('base64url').slice(0, 16);

export class RateLimits {
  private readonly players = new Map<string, TokenBucket>();
  private readonly keys = new Map<string, TokenBucket>();
  private lastSweep = 0;

  constructor(
    readonly config: RateLimitConfig,
    private readonly sweepEveryMs = 10_000,
  ) {}

  get enabled(): boolean {
    return this.config.playerRate > 0 || this.config.keyRate > 0;
  }

  /** Takes a token for one turn of `player` under key `key` (from keyId), or says how long to wait. */
  check(key: string, player: string, now: number = Date.now()): RateDecision {
    const { playerRate, playerBurst, keyRate, keyBurst } = this.config;
    if (now - this.lastSweep > this.sweepEveryMs) this.sweep(now);
    const pb = playerRate > 0 ? bucket(this.players, `${key}\u0000${player}`, playerRate, playerBurst, now) : null;
    const kb = keyRate > 0 ? bucket(this.keys, key, keyRate, keyBurst, now) : null;
    const pw = pb?.waitMs(now) ?? 0;
    if (pw > 0) return { ok: false, scope: 'player', retryAfterMs: pw, limit: playerRate };
    const kw = kb?.waitMs(now) ?? 0;
    if (kw > 0) return { ok: false, scope: 'key', retryAfterMs: kw, limit: keyRate };
    pb?.take(now);
    kb?.take(now);
    return { ok: true };
  }

  get tracked(): number {
    return this.players.size + this.keys.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const m of [this.players, this.keys]) for (const [k, b] of m) if (b.isFull(now)) m.delete(k);
  }
}

function bucket(map: Map<string, TokenBucket>, name: string, rate: number, burst: number, now: number): TokenBucket {
  let b = map.get(name);
  if (!b) map.set(name, (b = new TokenBucket(rate, burst, now)));
  return b;
}
