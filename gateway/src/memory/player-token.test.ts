import { describe, expect, it } from 'vitest';
import { mintPlayerToken, verifyPlayerToken } from './player-token.js';

const secret = 'a-secret-of-at-least-thirty-two-characters';

describe('player tokens', () => {
  it('speak for one player until they expire', () => {
    const t = mintPlayerToken(secret, 'player/1 ü', Date.now() + 60_000);
    expect(t.startsWith('pt1.')).toBe(true);
    expect(verifyPlayerToken(secret, t)).toBe('player/1 ü');
    expect(verifyPlayerToken(secret, t, Date.now() + 120_000)).toBeNull();
  });

  it('are refused when forged, altered, signed with another secret, or when tokens are off', () => {
    const t = mintPlayerToken(secret, 'p1', Date.now() + 60_000);
    const [, payload, sig] = t.split('.');
    const other = Buffer.from(JSON.stringify({ p: 'p2', exp: 9_999_999_999 })).toString('base64url');
    expect(verifyPlayerToken(secret, `pt1.${other}.${sig}`)).toBeNull();
    expect(verifyPlayerToken(secret, `pt1.${payload}.${sig!.slice(0, -2)}xx`)).toBeNull();
    expect(verifyPlayerToken(`${secret}!`, t)).toBeNull();
    expect(verifyPlayerToken(null, t)).toBeNull();
    expect(verifyPlayerToken(secret, 'dev-abc')).toBeNull();
    expect(verifyPlayerToken(secret, 'pt1.???.!!!')).toBeNull();
  });
});
