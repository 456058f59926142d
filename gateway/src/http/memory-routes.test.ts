/** GET /v1/memory/:npc/:player and DELETE /v1/players/:player through the app object, on a real memory system. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, DEFAULT_CATALOG_PATH } from '../catalog/npc-catalog.js';
import { loadGatewayConfig, makeKeyCheck } from '../config/gateway-config.js';
import { Scheduler } from '../fleet/scheduler.js';
import { defaultMemoryConfig } from '../memory/memory-config.js';
import { MemorySystem } from '../memory/memory-system.js';
import { dropSchema, hasPostgres, TEST_DATABASE_URL, uniqueName } from '../memory/testing/backends.js';
import { createMetrics } from '../metrics.js';
import { createApp } from './app.js';

const auth = { authorization: 'Bearer key-aaaaaaaa' };

const secret = 'player-token-secret-0123456789abcdef';

function makeApp(memory: MemorySystem | null) {
  const config = loadGatewayConfig({ PARLEY_API_KEYS: 'key-aaaaaaaa', PARLEY_PLAYER_TOKEN_SECRET: secret });
  const metrics = createMetrics({ defaultMetrics: false });
  const scheduler = new Scheduler({ maxQueue: 10, queueTimeoutMs: 100, turnTimeoutMs: 1000, metrics, policy: config.fleet });
  return createApp({ config, catalog: loadCatalog(DEFAULT_CATALOG_PATH), scheduler, metrics, checkToken: makeKeyCheck(config.apiKeys, null), memory: memory?.service });
}

describe('memory routes without memory', () => {
  it('need a key, then answer 503 memory_off', async () => {
    const app = makeApp(null);
    expect((await app.request('/v1/memory/zombie/p1')).status).toBe(401);
    const r = await app.request('/v1/memory/zombie/p1', { headers: auth });
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: 'memory_off' });
  });
});

describe.skipIf(!hasPostgres)('memory routes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-routes-'));
  const schema = uniqueName('parley_test');
  const sys = new MemorySystem(defaultMemoryConfig({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, dataDir }), { gatewayId: 'gw-routes', archiveBlockMs: 50 });
  let app: ReturnType<typeof makeApp>; // made once the system has started (its service exists from then on)

  beforeAll(async () => {
    await sys.start();
    app = makeApp(sys);
    const tm = await sys.service.beforeTurn({ id: 'zombie', name: 'Zombie' }, 'player/1 ü', 'My name is Ann. I hate fire.');
    await sys.service.afterTurn(tm, { id: 'job-1', playerText: 'My name is Ann. I hate fire.', replyText: 'Braaains.', status: 'completed', spans: [], audioMs: 500, heardMs: null, tier: 'bronze' });
  });
  afterAll(async () => {
    await sys.stop();
    await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads one NPC’s memory of one player (ids URL-encoded), without embeddings', async () => {
    const r = await app.request(`/v1/memory/zombie/${encodeURIComponent('player/1 ü')}`, { headers: auth });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ npc: 'zombie', player: 'player/1 ü', source: 'hot', card: { turns: 1, conversations: 1 }, turns: [{ playerText: 'My name is Ann. I hate fire.', npcText: 'Braaains.' }], summaries: [] });
    expect((body.facts as { text: string }[]).map((f) => f.text)).toEqual(["The player's name is Ann.", 'The player hates fire.']);
    expect(JSON.stringify(body)).not.toContain('embedding');
    const other = await app.request('/v1/memory/oracle/player%2F1%20%C3%BC', { headers: auth });
    expect(await other.json()).toMatchObject({ source: 'none', card: null, turns: [] });
  });

  it('rejects bad ids with 400 and a message', async () => {
    const r = await app.request('/v1/memory/Not_An_Id!/p1', { headers: auth });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining('npc') });
    expect((await app.request(`/v1/players/${'x'.repeat(129)}`, { method: 'DELETE', headers: auth })).status).toBe(400);
  });

  it('a player token reads its own player only, and cannot mint tokens', async () => {
    const minted = await app.request(`/v1/players/${encodeURIComponent('player/1 ü')}/token`, { method: 'POST', headers: auth });
    expect(minted.status).toBe(200);
    const { token, expiresAt } = (await minted.json()) as { token: string; expiresAt: number };
    expect(expiresAt).toBeGreaterThan(Date.now());
    const as = { authorization: `Bearer ${token}` };
    expect((await app.request(`/v1/memory/zombie/${encodeURIComponent('player/1 ü')}`, { headers: as })).status).toBe(200);
    const other = await app.request('/v1/memory/zombie/someone-else', { headers: as });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: 'forbidden' });
    expect((await app.request('/v1/players/someone-else', { method: 'DELETE', headers: as })).status).toBe(403);
    expect((await app.request('/v1/players/someone-else/token', { method: 'POST', headers: as })).status).toBe(403);
    expect((await app.request('/v1/memory/zombie/p1', { headers: { authorization: 'Bearer pt1.forged.token' } })).status).toBe(401);
    // Player tokens open the memory routes only, not the rest of the API.
    expect((await app.request('/v1/npcs', { headers: as })).status).toBe(401);
  });

  it('deletes everything about a player and says what was deleted', async () => {
    expect((await app.request('/v1/players/p1', { method: 'DELETE' })).status).toBe(401);
    const r = await app.request(`/v1/players/${encodeURIComponent('player/1 ü')}`, { method: 'DELETE', headers: auth });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { player: string; deleted: { hot: object; archive: object } };
    expect(body.player).toBe('player/1 ü');
    expect(body.deleted.hot).toEqual({ pairs: 1, turns: 1, items: 2 });
    expect(body.deleted.archive).toMatchObject({ turns: expect.any(Number), memories: expect.any(Number), cards: expect.any(Number) });
    const after = await app.request(`/v1/memory/zombie/${encodeURIComponent('player/1 ü')}`, { headers: auth });
    expect(await after.json()).toMatchObject({ source: 'none', card: null });
  });
});
