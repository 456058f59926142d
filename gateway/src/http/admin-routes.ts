/**
 * Operator endpoints under /v1/admin (auth: `PARLEY_ADMIN_KEYS` when set, else the client
 * keys). GET /v1/admin/fleet: workers (id, tiers, slots, in flight, health, draining), the
 * queues and the per-tier scheduling state.
 */
import { Hono } from 'hono';
import { makeKeyCheck } from '../config/gateway-config.js';
import { requireApiKey } from './middleware/require-api-key.js';
import type { GatewayDeps, GatewayEnv } from './types.js';

export function adminRoutes(deps: GatewayDeps): Hono<GatewayEnv> {
  const admin = new Hono<GatewayEnv>();
  const check = deps.config.adminKeys.length > 0 ? makeKeyCheck(deps.config.adminKeys, null) : deps.checkToken;
  admin.use('/v1/admin/*', requireApiKey(check));
  admin.get('/v1/admin/fleet', (c) => c.json({ gateway: deps.config.gatewayId, ...deps.scheduler.snapshot() }));
  return admin;
}
