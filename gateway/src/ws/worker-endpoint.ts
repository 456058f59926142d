/**
 * `/v1/worker`: workers dial in, register with a worker key, heartbeat, and stream job output.
 * A worker that misses three heartbeats is dropped and its turns are re-homed or failed.
 */
import type { WebSocket, RawData } from 'ws';
import { decodeWorkerFrame, encodeFrame, WORKER_PROTOCOL_VERSION } from '@parley/protocol';
import type { Logger } from '../logger.js';
import { Scheduler } from '../fleet/scheduler.js';
import { WorkerLink } from '../fleet/worker-link.js';

export interface WorkerEndpointOptions {
  scheduler: Scheduler;
  checkKey(key: string): boolean;
  gatewayId: string;
  heartbeatMs: number;
  log: Logger;
}

export function handleWorkerConnection(ws: WebSocket, opts: WorkerEndpointOptions): void {
  const { scheduler, log } = opts;
  let link: WorkerLink | null = null;
  const refuse = (code: string, message: string) => {
    ws.send(encodeFrame({ t: 'refused', code, message }));
    ws.close(1008, code);
  };
  const registerTimer = setTimeout(() => refuse('timeout', 'register within 10 s of connecting'), 10_000);
  const watchdog = setInterval(() => {
    if (link && Date.now() - link.lastSeen > opts.heartbeatMs * 3) {
      log.warn({ worker: link.id }, 'worker missed heartbeats; dropping it');
      ws.terminate();
    }
  }, opts.heartbeatMs);

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary) return refuse('bad_frame', 'binary frames only');
    const r = decodeWorkerFrame(data as Buffer);
    if (!r.ok) {
      log.warn({ worker: link?.id, err: r.error.message }, 'bad frame from worker');
      return;
    }
    const f = r.frame;
    if (link) link.lastSeen = Date.now();
    if (f.t === 'register') {
      if (link) return;
      clearTimeout(registerTimer);
      if (f.v !== WORKER_PROTOCOL_VERSION) return refuse('unsupported_version', `worker protocol v${f.v} is not supported; this gateway speaks v${WORKER_PROTOCOL_VERSION}`);
      if (!opts.checkKey(f.key)) return refuse('unauthorized', 'invalid worker key');
      if (scheduler.workers.has(f.worker.id)) return refuse('duplicate_worker', `a worker with id ${f.worker.id} is already connected`);
      link = new WorkerLink(ws, f.worker);
      ws.send(encodeFrame({ t: 'registered', gateway: opts.gatewayId, heartbeatMs: opts.heartbeatMs }));
      log.info({ worker: link.id, tiers: f.worker.tiers, slots: f.worker.slots, backend: f.worker.backend }, 'worker registered');
      scheduler.addWorker(link);
      return;
    }
    if (!link) return refuse('unauthorized', 'register first');
    switch (f.t) {
      case 'hb':
        link.onHeartbeat(f.inFlight);
        if (f.model) scheduler.recordModelLoad(link, f.model);
        return scheduler.onSlotFree();
      case 'draining':
        log.info({ worker: link.id, deadlineMs: f.deadlineMs }, 'worker draining');
        return scheduler.workerDraining(link, f.deadlineMs);
      case 'tts_ok':
      case 'tts_fail':
        if (link.onTtsFrame(f).freed) scheduler.onSlotFree();
        return;
      case 'summary_ok':
      case 'summary_fail':
        return link.onSummaryFrame(f);
      default:
        if (link.onJobFrame(f).freed) scheduler.onSlotFree();
    }
  });

  ws.on('close', () => {
    clearTimeout(registerTimer);
    clearInterval(watchdog);
    if (link) {
      log.info({ worker: link.id }, 'worker disconnected');
      scheduler.removeWorker(link);
    }
  });
  ws.on('error', (err) => log.warn({ err: err.message, worker: link?.id }, 'worker socket error'));
}
