/**
 * Bearer API-key check for the HTTP API. Hand-written rather than hono/bearer-auth because
 * Parley's contract is 401 + JSON for every missing, malformed or wrong credential (hono's
 * middleware answers 400 for a malformed header).
 */
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from '../types.js';

export function requireApiKey(check: (token: string) => boolean): MiddlewareHandler<GatewayEnv> {
  return async function requireApiKeyHandler(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
    if (!match || !check(match[1]!)) {
      c.header('WWW-Authenticate', 'Bearer realm="parley"');
      const message = !header ? 'send Authorization: Bearer <api key>' : !match ? 'the Authorization header must be: Bearer <api key>' : 'invalid API key';
      return c.json({ error: 'unauthorized', message }, 401);
    }
    await next();
  };
}
