/** Prometheus metrics of one gateway (its own registry, so several gateways can share a process in tests). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2, 5, 10, 30];

export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'parley_gateway_' });
  const m = {
    registry,
    connections: new Gauge({ name: 'parley_client_connections', help: 'Open client WebSocket connections', registers: [registry] }),
    turnsInFlight: new Gauge({ name: 'parley_turns_in_flight', help: 'Turns queued or running', registers: [registry] }),
    turnsTotal: new Counter({ name: 'parley_turns_total', help: 'Finished turns by requested tier and result', labelNames: ['tier', 'result'] as const, registers: [registry] }),
    degradedTotal: new Counter({ name: 'parley_turns_degraded_total', help: 'Turns served by a lower tier than requested', labelNames: ['tier', 'served'] as const, registers: [registry] }),
    protocolErrors: new Counter({ name: 'parley_protocol_errors_total', help: 'Error frames sent to clients by code', labelNames: ['code'] as const, registers: [registry] }),
    queueDepth: new Gauge({ name: 'parley_queue_depth', help: 'Turns waiting for a worker slot', labelNames: ['tier'] as const, registers: [registry] }),
    queueWait: new Histogram({ name: 'parley_queue_wait_seconds', help: 'Time from say to assignment to a worker', labelNames: ['tier'] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
    firstText: new Histogram({ name: 'parley_first_text_seconds', help: 'Time from say to the first text frame', labelNames: ['tier'] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
    firstAudio: new Histogram({ name: 'parley_first_audio_seconds', help: 'Time from say to the first audio frame', labelNames: ['tier'] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
    turnDuration: new Histogram({ name: 'parley_turn_seconds', help: 'Time from say to end', labelNames: ['tier'] as const, buckets: LATENCY_BUCKETS, registers: [registry] }),
    workers: new Gauge({ name: 'parley_workers', help: 'Connected workers by state', labelNames: ['state'] as const, registers: [registry] }),
    workerSlots: new Gauge({ name: 'parley_worker_slots', help: 'Worker slots by state', labelNames: ['state'] as const, registers: [registry] }),
    ttsRequests: new Counter({ name: 'parley_tts_requests_total', help: 'POST /api/tts/generate requests by result', labelNames: ['result'] as const, registers: [registry] }),
  };
  return m;
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;
