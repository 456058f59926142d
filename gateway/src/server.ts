/**
 * Composes one gateway: HTTP app (Hono on @hono/node-server) plus two WebSocket endpoints on
 * the same port: `/v1/ws` for game clients and `/v1/worker` for workers.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { WORKER_WS_PATH, WS_PATH } from '@parley/protocol';
import { loadCatalog, type NpcCatalog } from './catalog/npc-catalog.js';
import { makeKeyCheck, type GatewayConfig } from './config/gateway-config.js';
import { Scheduler } from './fleet/scheduler.js';
import { RateLimits } from './limits/rate-limits.js';
import { createApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { MemorySystem } from './memory/memory-system.js';
import type { Summarizer } from './memory/model-summaries.js';
import { ClientSession } from './ws/client-session.js';
import { handleWorkerConnection } from './ws/worker-endpoint.js';

export interface Gateway {
  readonly config: GatewayConfig;
  readonly catalog: NpcCatalog;
  readonly scheduler: Scheduler;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
  /** Listens; resolves with the bound port (useful with PARLEY_PORT=0). */
  start(): Promise<number>;
  /** Tells clients and workers, closes sockets, stops listening. */
  stop(): Promise<void>;
}

export function createGateway(config: GatewayConfig, opts: { log?: Logger; defaultMetrics?: boolean } = {}): Gateway {
  const log = opts.log ?? createLogger('parley-gateway', config.logLevel);
  const catalog = loadCatalog(config.catalogPath);
  const metrics = createMetrics({ defaultMetrics: opts.defaultMetrics ?? true });
  const scheduler = new Scheduler({ maxQueue: config.maxQueue, queueTimeoutMs: config.queueTimeoutMs, turnTimeoutMs: config.turnTimeoutMs, metrics, policy: config.fleet, workerHeartbeatMs: config.workerHeartbeatMs });
  const rateLimits = new RateLimits(config.rateLimits);
  const checkToken = makeKeyCheck(config.apiKeys, config.devToken);
  const checkWorkerKey = makeKeyCheck(config.workerKeys, config.devToken);
  // NPC memory comes up in start(); until then (and with PARLEY_MEMORY=off) handlers see none.
  // Memory summaries by a worker's model: any worker with room; none → the extractive one stays.
  const summarizer: Summarizer = ({ npc, npcName, turns }) => {
    const worker = scheduler.pickAny();
    if (!worker) return Promise.reject(new Error('no worker available to summarize'));
    const entry = catalog.get(npc);
    return worker.requestSummary({ npc: { name: npcName, persona: entry?.persona ?? '', archetype: entry?.archetype ?? 'npc' }, turns }, config.ttsTimeoutMs);
  };
  const memory = config.memory.enabled ? new MemorySystem(config.memory, { gatewayId: config.gatewayId, log, registry: metrics.registry, summarizer }) : null;
  let memoryUp = false;
  const memoryService = () => (memoryUp && memory ? memory.service : undefined);
  const app = createApp({
    config, catalog, scheduler, metrics, checkToken,
    get memory() {
      return memoryService();
    },
  });
  const sessions = new Set<ClientSession>();

  // Frames above maxFrameBytes get a `too_large` error from the session; ws itself cuts
  // anything far larger before buffering it (close 1009), so memory per socket stays bounded.
  const clientWss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: Math.max(config.maxFrameBytes * 4, 1 << 20) });
  const workerWss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 << 20 });
  let server: Server | null = null;

  clientWss.on('connection', (ws) => {
    const session = new ClientSession(ws, { config, catalog, scheduler, metrics, checkToken, log, rateLimits, memory: memoryService() });
    sessions.add(session);
    ws.on('close', () => sessions.delete(session));
  });
  workerWss.on('connection', (ws) => handleWorkerConnection(ws, { scheduler, checkKey: checkWorkerKey, gatewayId: config.gatewayId, heartbeatMs: config.workerHeartbeatMs, log }));

  const onUpgrade = (req: import('node:http').IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    const wss = path === WS_PATH ? clientWss : path === WORKER_WS_PATH ? workerWss : null;
    if (!wss) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nWebSocket endpoints: /v1/ws (clients), /v1/worker (workers)\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

  return {
    config,
    catalog,
    scheduler,
    metrics,
    log,
    start: async () => {
      if (memory) {
        await memory.start();
        memoryUp = true;
      }
      return new Promise<number>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info: AddressInfo) => resolve(info.port)) as Server;
        s.once('error', reject);
        s.on('upgrade', onUpgrade);
        server = s;
      });
    },
    stop: async () => {
      for (const s of sessions) s.shutdown(1000);
      for (const w of scheduler.workers.values()) w.close(1001, 'gateway shutting down');
      for (const ws of [...clientWss.clients, ...workerWss.clients]) ws.terminate();
      clientWss.close();
      workerWss.close();
      const s = server;
      server = null;
      if (s) {
        s.closeAllConnections?.();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      memoryUp = false;
      await memory?.stop();
    },
  };
}
