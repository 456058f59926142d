/**
 * Decides which worker runs a turn. Per-tier FIFO queues drained in tier priority order;
 * a turn whose tier has no free worker falls back to a lower tier (marked degraded) rather
 * than waiting; queued turns that wait past the queue timeout are answered `overloaded`.
 */
import { performance } from 'node:perf_hooks';
import { TIERS, type Tier } from '@parley/protocol';
import type { Turn } from '../turns/turn.js';
import type { WorkerLink } from './worker-link.js';
import type { GatewayMetrics } from '../metrics.js';

export interface SchedulerOptions {
  maxQueue: number;
  queueTimeoutMs: number;
  turnTimeoutMs: number;
  metrics: GatewayMetrics;
}

/** Tiers a turn may be served by, best first: its own, then the lower ones. */
const fallbackChain = (tier: Tier): Tier[] => TIERS.slice(TIERS.indexOf(tier));

export class Scheduler {
  readonly workers = new Map<string, WorkerLink>();
  private readonly queues: Record<Tier, Turn[]> = { gold: [], silver: [], bronze: [] };

  constructor(private readonly opts: SchedulerOptions) {}

  get queued(): number {
    return this.queues.gold.length + this.queues.silver.length + this.queues.bronze.length;
  }

  addWorker(w: WorkerLink): void {
    this.workers.set(w.id, w);
    this.updateGauges();
    this.drain();
  }

  /** Removes a worker; its turns that sent nothing yet are retried once elsewhere, others fail. */
  removeWorker(w: WorkerLink): void {
    if (this.workers.get(w.id) === w) this.workers.delete(w.id);
    for (const turn of w.takeOrphans()) {
      if (turn.finished) continue;
      if (!turn.started && turn.attempts < 2) {
        turn.runner = null;
        this.submit(turn);
      } else {
        turn.fail('internal', 'the worker running this turn disconnected');
      }
    }
    this.updateGauges();
  }

  /** A worker freed a slot (job done or TTS answered). */
  onSlotFree(): void {
    this.drain();
    this.updateGauges();
  }

  submit(turn: Turn): void {
    if (this.tryAssign(turn)) return;
    if (this.workers.size === 0 && this.opts.maxQueue === 0) {
      turn.fail('overloaded', 'no worker is connected', 1000);
      return;
    }
    if (this.queued >= this.opts.maxQueue) {
      turn.fail('overloaded', `the queue is full (${this.opts.maxQueue} turns)`, this.retryAfterMs());
      return;
    }
    this.queues[turn.tier].push(turn);
    turn.status = 'queued';
    turn.queueDeadline = setTimeout(() => {
      this.remove(turn);
      turn.fail('overloaded', `no worker could take the turn within ${this.opts.queueTimeoutMs} ms`, this.retryAfterMs());
    }, this.opts.queueTimeoutMs);
    this.updateGauges();
  }

  /** Takes a queued turn out (cancel or deadline). */
  remove(turn: Turn): void {
    const q = this.queues[turn.tier];
    const i = q.indexOf(turn);
    if (i >= 0) q.splice(i, 1);
    if (turn.queueDeadline) clearTimeout(turn.queueDeadline);
    turn.queueDeadline = null;
    this.updateGauges();
  }

  /** The best worker for a tier chain: most free capacity first (ties: fewest in flight). */
  pick(tier: Tier): { worker: WorkerLink; tier: Tier } | null {
    for (const t of fallbackChain(tier)) {
      let best: WorkerLink | null = null;
      for (const w of this.workers.values()) {
        if (!w.tiers.has(t) || w.free === 0) continue;
        if (!best || w.free / w.slots > best.free / best.slots) best = w;
      }
      if (best) return { worker: best, tier: t };
    }
    return null;
  }

  /** Any worker with a free slot, for text-to-speech requests. */
  pickAny(): WorkerLink | null {
    let best: WorkerLink | null = null;
    for (const w of this.workers.values()) if (w.free > 0 && (!best || w.free > best.free)) best = w;
    return best;
  }

  private tryAssign(turn: Turn): boolean {
    const choice = this.pick(turn.tier);
    if (!choice) return false;
    if (turn.queueDeadline) clearTimeout(turn.queueDeadline);
    turn.queueDeadline = null;
    turn.assign(choice.worker, choice.tier, this.opts.turnTimeoutMs);
    this.opts.metrics.queueWait.observe({ tier: turn.tier }, (performance.now() - turn.receivedAt) / 1000);
    choice.worker.startJob(turn, choice.tier);
    return true;
  }

  private drain(): void {
    for (const tier of TIERS) {
      const q = this.queues[tier];
      while (q.length > 0) {
        const head = q[0]!;
        if (head.finished) {
          q.shift();
          continue;
        }
        if (!this.tryAssign(head)) break;
        q.shift();
      }
    }
  }

  private retryAfterMs(): number {
    return Math.min(5000, 250 + this.queued * 5);
  }

  updateGauges(): void {
    const m = this.opts.metrics;
    for (const t of TIERS) m.queueDepth.set({ tier: t }, this.queues[t].length);
    let healthy = 0, draining = 0, slots = 0, busy = 0;
    for (const w of this.workers.values()) {
      if (w.draining) draining++;
      else healthy++;
      slots += w.slots;
      busy += w.inFlight;
    }
    m.workers.set({ state: 'healthy' }, healthy);
    m.workers.set({ state: 'draining' }, draining);
    m.workerSlots.set({ state: 'total' }, slots);
    m.workerSlots.set({ state: 'busy' }, busy);
  }

  snapshot() {
    return {
      workers: [...this.workers.values()].map((w) => w.snapshot()),
      queues: Object.fromEntries(TIERS.map((t) => [t, this.queues[t].length])),
    };
  }
}
