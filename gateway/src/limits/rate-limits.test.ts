import { describe, expect, it } from 'vitest';
import { keyId, RateLimits } from './rate-limits.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const b = new TokenBucket(2, 3, 0);
    for (let i = 0; i < 3; i++) {
      expect(b.waitMs(0)).toBe(0);
      b.take(0);
    }
    expect(b.waitMs(0)).toBe(500);
    expect(b.waitMs(250)).toBe(250);
    expect(b.waitMs(500)).toBe(0);
  });
});

describe('RateLimits', () => {
  it('limits each player of a key separately and says when to retry', () => {
    const r = new RateLimits({ playerRate: 1, playerBurst: 2, keyRate: 0, keyBurst: 1 });
    expect(r.check('k', 'alice', 0).ok).toBe(true);
    expect(r.check('k', 'alice', 0).ok).toBe(true);
    expect(r.check('k', 'alice', 0)).toEqual({ ok: false, scope: 'player', retryAfterMs: 1000, limit: 1 });
    expect(r.check('k', 'bob', 0).ok).toBe(true);
    expect(r.check('other-key', 'alice', 0).ok).toBe(true);
    expect(r.check('k', 'alice', 1000).ok).toBe(true);
  });

  it('limits a key across its players; a refused turn costs no token', () => {
    const r = new RateLimits({ playerRate: 0, playerBurst: 1, keyRate: 10, keyBurst: 3 });
    for (const p of ['a', 'b', 'c']) expect(r.check('k', p, 0).ok).toBe(true);
    expect(r.check('k', 'd', 0)).toMatchObject({ ok: false, scope: 'key', retryAfterMs: 100 });
    expect(r.check('k', 'd', 100).ok).toBe(true);
  });

  it('forgets idle callers', () => {
    const r = new RateLimits({ playerRate: 100, playerBurst: 1, keyRate: 0, keyBurst: 1 }, 1000);
    for (let i = 0; i < 100; i++) r.check('k', `p${i}`, 0);
    expect(r.tracked).toBe(100);
    r.check('k', 'late', 5000);
    expect(r.tracked).toBe(1);
  });

  it('names keys without keeping them', () => {
    expect(keyId('secret-key-1')).not.toContain('secret');
    expect(keyId('secret-key-1')).toBe(keyId('secret-key-1'));
  });
});
