import { describe, expect, it } from 'vitest';
import { loadCatalog, DEFAULT_CATALOG_PATH } from '../catalog/npc-catalog.js';
import { loadGatewayConfig, makeKeyCheck } from '../config/gateway-config.js';
import { Scheduler } from '../fleet/scheduler.js';
import { createMetrics } from '../metrics.js';
import { createApp } from './app.js';

function makeApp(env: Record<string, string>) {
  const config = loadGatewayConfig({ PARLEY_API_KEYS: 'client-key-1', ...env });
  const metrics = createMetrics({ defaultMetrics: false });
  const scheduler = new Scheduler({ maxQueue: 10, queueTimeoutMs: 100, turnTimeoutMs: 1000, metrics, policy: config.fleet });
  return createApp({ config, catalog: loadCatalog(DEFAULT_CATALOG_PATH), scheduler, metrics, checkToken: makeKeyCheck(config.apiKeys, null) });
}
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

describe('GET /v1/admin/fleet', () => {
  it('needs a key and answers the fleet, queues and tiers', async () => {
    const app = makeApp({ PARLEY_TIER_SHARES: 'gold=0.5,bronze=0.25' });
    expect((await app.request('/v1/admin/fleet')).status).toBe(401);
    const r = await app.request('/v1/admin/fleet', { headers: bearer('client-key-1') });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ workers: [], queues: { gold: 0, silver: 0, bronze: 0 }, totals: { slots: 0, queued: 0 } });
    expect(body.tiers).toMatchObject({ gold: { reservedShare: 0.5, queued: 0, running: 0 }, silver: { reservedShare: 0 }, bronze: { reservedShare: 0.25 } });
  });

  it('takes only the admin keys when PARLEY_ADMIN_KEYS is set', async () => {
    const app = makeApp({ PARLEY_ADMIN_KEYS: 'admin-key-1' });
    expect((await app.request('/v1/admin/fleet', { headers: bearer('client-key-1') })).status).toBe(401);
    expect((await app.request('/v1/admin/fleet', { headers: bearer('admin-key-1') })).status).toBe(200);
    // The admin key is not a client key.
    expect((await app.request('/v1/npcs', { headers: bearer('admin-key-1') })).status).toBe(401);
  });
});

describe('fleet configuration', () => {
  it('names a bad share setting', () => {
    expect(() => loadGatewayConfig({ PARLEY_TIER_SHARES: 'gold=0.8,silver=0.5' })).toThrow(/PARLEY_TIER_SHARES.*more than 1/);
    expect(() => loadGatewayConfig({ PARLEY_TIER_SHARES: 'platinum=0.1' })).toThrow(/PARLEY_TIER_SHARES.*gold=0.3/);
    expect(() => loadGatewayConfig({ PARLEY_AFFINITY_BALANCE: '0.5' })).toThrow(/PARLEY_AFFINITY_BALANCE/);
    expect(loadGatewayConfig({ PARLEY_PLAYER_RATE: '0.5' }).rateLimits).toMatchObject({ playerRate: 0.5, keyRate: 0 });
  });
});
