/**
 * Player tokens: credentials that speak for one player only, so a game client can hold one
 * without being able to read or change another player's memory.
 *
 * Format: `pt1.<payload>.<signature>` — payload = base64url(JSON {p: player id, exp: unix
 * seconds}), signature = base64url(HMAC-SHA256(PARLEY_PLAYER_TOKEN_SECRET, "pt1." + payload)).
 * A game backend can mint them itself with the shared secret, or ask the gateway
 * (`POST /v1/players/:player/token` with an API key).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'pt1.';

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(PREFIX + payload).digest('base64url');

export function mintPlayerToken(secret: string, player: string, expiresAt: number): string {
  const payload = Buffer.from(JSON.stringify({ p: player, exp: Math.floor(expiresAt / 1000) })).toString('base64url');
  return `${PREFIX}${payload}.${sign(secret, payload)}`;
}

/** The player a valid, unexpired token speaks for; null for anything else (never throws). */
export function verifyPlayerToken(secret: string | null, token: string, now = Date.now()): string | null {
  if (!secret || !token.startsWith(PREFIX) || token.length > 1024) return null;
  const [payload, sig] = token.slice(PREFIX.length).split('.');
  if (!payload || !sig) return null;
  const want = Buffer.from(sign(secret, payload));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  try {
    const { p, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: unknown; exp?: unknown };
    if (typeof p !== 'string' || p.length === 0 || p.length > 128 || typeof exp !== 'number' || exp * 1000 <= now) return null;
    return p;
  } catch {
    return null;
  }
}
