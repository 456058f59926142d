/** The gateway's HTTP surface (Hono). WebSocket upgrades are handled beside it in server.ts. */
import { Hono } from 'hono';
import type { GatewayDeps, GatewayEnv } from './types.js';
import { ttsRoute } from './tts-route.js';
import { adminRoutes } from './admin-routes.js';
import { memoryRoutes } from './memory-routes.js';
import { requireApiKey } from './middleware/require-api-key.js';

export function createApp(deps: GatewayDeps): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const workers = [...deps.scheduler.workers.values()].filter((w) => !w.draining).length;
    return workers > 0 ? c.json({ status: 'ready', workers }) : c.json({ status: 'not_ready', workers, message: 'no worker is connected' }, 503);
  });
  app.get('/metrics', async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }));

  // Admin routes check their own keys (PARLEY_ADMIN_KEYS), so they come before the client-key check.
  app.route('/', adminRoutes(deps));

  // Memory routes take an API key or a player token (for that player only), so they check their own.
  app.route('/', memoryRoutes);

  // Everything below needs `Authorization: Bearer <key>`.
  const auth = requireApiKey(deps.checkToken);
  app.use('/v1/*', auth);
  app.use('/api/*', auth);

  app.get('/v1/npcs', (c) => c.json({ npcs: deps.catalog.list() }));
  app.route('/', ttsRoute);

  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((_err, c) => c.json({ error: 'internal', message: 'internal error' }, 500));
  return app;
}
