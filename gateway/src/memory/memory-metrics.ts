/** Prometheus metrics of NPC memory, registered in the gateway's registry (exposed on /metrics). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createMemoryMetrics(registry: Registry, backlog: () => Promise<number>) {
  const registers = [registry];
  return {
    read: new Histogram({ name: 'parley_memory_read_seconds', help: 'Memory read before a turn (hot read, plus cold read on a miss)', labelNames: ['source'] as const, buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers }),
    degraded: new Counter({ name: 'parley_memory_degraded_total', help: 'Turns served without memory, by the step that failed', labelNames: ['stage'] as const, registers }),
    coldReads: new Counter({ name: 'parley_memory_cold_reads_total', help: 'Pairs rebuilt from the archive, by result', labelNames: ['result'] as const, registers }),
    archived: new Counter({ name: 'parley_archive_records_total', help: 'Archive records written to PostgreSQL', registers }),
    archiveFailures: new Counter({ name: 'parley_archive_failures_total', help: 'Failed archive batch writes (retried)', registers }),
    backlog: new Gauge({
      name: 'parley_archive_backlog',
      help: 'Archive records queued and not yet acknowledged',
      registers,
      async collect() {
        this.set(await backlog().catch(() => -1));
      },
    }),
  };
}

export type MemoryMetrics = ReturnType<typeof createMemoryMetrics>;
