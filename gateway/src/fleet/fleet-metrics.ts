/**
 * Scheduler and fleet metrics beyond the gateway's base set (metrics.ts): dispatches by
 * served tier and affinity, rejections, cancellations, retries, aborts, running turns per
 * tier and per-worker load. Registered on the gateway's own registry.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export function createFleetMetrics(registry: Registry) {
  const registers = [registry];
  const existing = <M>(name: string) => registry.getSingleMetric(name) as M | undefined;
  // A gateway's registry is created once; the guard keeps a second Scheduler on it (tests) from throwing.
  return {
    dispatched:
      existing<Counter<'tier' | 'served' | 'affinity'>>('parley_turns_dispatched_total') ??
      new Counter({ name: 'parley_turns_dispatched_total', help: 'Turns handed to a worker, by requested tier, served tier and whether the conversation stayed on its home worker', labelNames: ['tier', 'served', 'affinity'] as const, registers }),
    rejected: existing<Counter<'tier' | 'reason'>>('parley_turns_rejected_total') ?? new Counter({ name: 'parley_turns_rejected_total', help: 'Turns refused by the scheduler (queue_full, deadline) or the rate limits (rate_limited)', labelNames: ['tier', 'reason'] as const, registers }),
    cancelled: existing<Counter<'tier' | 'cause' | 'stage'>>('parley_turns_cancelled_total') ?? new Counter({ name: 'parley_turns_cancelled_total', help: 'Turns cancelled by the client or its disconnect, by stage (queued or running)', labelNames: ['tier', 'cause', 'stage'] as const, registers }),
    retries: existing<Counter<'tier' | 'reason'>>('parley_turn_retries_total') ?? new Counter({ name: 'parley_turn_retries_total', help: 'Turns moved to another worker before their first frame (worker_lost, worker_failed, refused)', labelNames: ['tier', 'reason'] as const, registers }),
    aborts: existing<Counter<'result'>>('parley_job_aborts_total') ?? new Counter({ name: 'parley_job_aborts_total', help: 'Aborts of running turns cancelled by their client (sent) and slots workers freed after an abort of any cause (confirmed)', labelNames: ['result'] as const, registers }),
    abortsPending: existing<Gauge>('parley_job_aborts_pending') ?? new Gauge({ name: 'parley_job_aborts_pending', help: 'Aborted jobs whose worker has not freed the slot yet', registers }),
    running: existing<Gauge<'tier'>>('parley_turns_running') ?? new Gauge({ name: 'parley_turns_running', help: 'Turns on workers by requested tier', labelNames: ['tier'] as const, registers }),
    workerInFlight: existing<Gauge<'worker'>>('parley_worker_in_flight') ?? new Gauge({ name: 'parley_worker_in_flight', help: 'Jobs this gateway runs on each worker', labelNames: ['worker'] as const, registers }),
    modelSequences:
      existing<Gauge<'worker' | 'state'>>('parley_model_sequences') ??
      new Gauge({ name: 'parley_model_sequences', help: 'Conversations in each model worker\'s engine: decoding (running) or queued for it (waiting), from its last heartbeat', labelNames: ['worker', 'state'] as const, registers }),
    modelTokens:
      existing<Counter<'worker' | 'kind'>>('parley_model_tokens_total') ??
      new Counter({ name: 'parley_model_tokens_total', help: 'Tokens of model workers: generated, prompt tokens prefilled, prompt tokens taken from the prefix cache (prefix_cached)', labelNames: ['worker', 'kind'] as const, registers }),
  };
}

export type FleetMetrics = ReturnType<typeof createFleetMetrics>;
