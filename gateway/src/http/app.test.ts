import { describe, expect, it } from 'vitest';
import { loadCatalog, DEFAULT_CATALOG_PATH } from '../catalog/npc-catalog.js';
import { loadGatewayConfig, makeKeyCheck } from '../config/gateway-config.js';
import { Scheduler } from '../fleet/scheduler.js';
import { createMetrics } from '../metrics.js';
import { createApp } from './app.js';

function makeApp() {
  const config = loadGatewayConfig({ PARLEY_API_KEYS: 'key-aaaaaaaa' });
  const metrics = createMetrics({ defaultMetrics: false });
  const scheduler = new Scheduler({ maxQueue: 10, queueTimeoutMs: 100, turnTimeoutMs: 1000, metrics });
  return createApp({ config, catalog: loadCatalog(DEFAULT_CATALOG_PATH), scheduler, metrics, checkToken: makeKeyCheck(config.apiKeys, null) });
}
const auth = { authorization: 'Bearer key-aaaaaaaa' };

describe('gateway HTTP app', () => {
  const app = makeApp();

  it('is live, but not ready without workers', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    const r = await app.request('/readyz');
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ status: 'not_ready', workers: 0 });
  });

  it('serves Prometheus metrics without auth', async () => {
    const r = await app.request('/metrics');
    expect(r.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await r.text()).toMatch(/# TYPE parley_turns_total counter/);
  });

  it('answers 401 with a JSON message without a valid bearer key', async () => {
    const cases: Record<string, string>[] = [{}, { authorization: 'Bearer nope-nope' }, { authorization: 'Basic abc' }];
    for (const headers of cases) {
      const r = await app.request('/v1/npcs', { headers });
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ error: 'unauthorized' });
    }
  });

  it('lists the NPC catalog', async () => {
    const r = await app.request('/v1/npcs', { headers: auth });
    const { npcs } = (await r.json()) as { npcs: { id: string }[] };
    expect(npcs.map((n) => n.id)).toEqual(expect.arrayContaining(['vampire-lord', 'zombie']));
  });

  it('TTS without workers is a 503 with Retry-After', async () => {
    const r = await app.request('/api/tts/generate', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello' }) });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await r.json()).toMatchObject({ error: 'overloaded' });
  });

  it('TTS validates its body before looking for a worker', async () => {
    const r = await app.request('/api/tts/generate', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ text: 5 }) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: 'bad_request', message: 'text must be a string' });
  });

  it('unknown routes are a JSON 404', async () => {
    const r = await app.request('/v1/nothing', { headers: auth });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: 'not_found' });
  });
});
