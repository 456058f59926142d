/**
 * The gateway's scheduler: applies the policy of TierScheduler (tier priority, reservation,
 * aging, deadlines, fallback, bounded-load affinity) to real turns and worker links. It owns
 * the one timer the policy needs (next deadline or fallback point), re-homes turns when a
 * worker fails or disappears before their first frame, accounts for cancellations and keeps
 * the fleet metrics.
 */
import { performance } from 'node:perf_hooks';
import { TIERS, type Tier } from '@parley/protocol';
import type { Turn } from '../turns/turn.js';
import type { GatewayMetrics } from '../metrics.js';
import { createFleetMetrics, type FleetMetrics } from './fleet-metrics.js';
import { DEFAULT_FLEET_POLICY, type FleetPolicyConfig } from './fleet-config.js';
import { TierScheduler, type Decision } from './tier-scheduler.js';
import type { JobEndFrame, WorkerLink } from './worker-link.js';

export interface SchedulerOptions {
  maxQueue: number;
  queueTimeoutMs: number;
  turnTimeoutMs: number;
  metrics: GatewayMetrics;
  policy?: FleetPolicyConfig;
  /** Interval at which workers heartbeat this gateway (for health in snapshots). */
  workerHeartbeatMs?: number;
}

export type CancelCause = 'client' | 'disconnect';

/** Worker `fail` codes that mean "not started here": the turn goes elsewhere without using its retry. */
const REFUSALS = new Set(['busy', 'draining']);

export class Scheduler {
  readonly workers = new Map<string, WorkerLink>();
  readonly core: TierScheduler<Turn, WorkerLink>;
  readonly fleetMetrics: FleetMetrics;
  /** Worker failures per turn (one retry allowed). */
  private readonly failures = new WeakMap<Turn, number>();
  private wake: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;

  constructor(private readonly opts: SchedulerOptions) {
    const policy = opts.policy ?? DEFAULT_FLEET_POLICY;
    this.core = new TierScheduler({ maxQueue: opts.maxQueue, queueTimeoutMs: opts.queueTimeoutMs, ...policy });
    this.fleetMetrics = createFleetMetrics(opts.metrics.registry);
  }

  get queued(): number {
    return this.core.queued;
  }

  // ── fleet membership ────────────────────────────────────────────────────────────
  addWorker(w: WorkerLink): void {
    this.workers.set(w.id, w);
    w.onJobEnd = (turn, frame) => this.onJobEnd(w, turn, frame);
    this.core.addWorker(w);
    this.pump();
  }

  /** The worker announced a drain: no new turns go there; its running turns finish. */
  workerDraining(w: WorkerLink, deadlineMs?: number): void {
    w.draining = true;
    w.drainDeadlineMs = deadlineMs ?? null;
    this.core.refresh();
    this.pump();
  }

  /** Removes a worker; its turns that sent no text or audio yet are retried once elsewhere, others fail. */
  removeWorker(w: WorkerLink): void {
    if (this.workers.get(w.id) === w) this.workers.delete(w.id);
    this.fleetMetrics.workerInFlight.remove({ worker: w.id });
    for (const state of ['running', 'waiting']) this.fleetMetrics.modelSequences.remove({ worker: w.id, state });
    w.onJobEnd = null;
    this.core.removeWorker(w);
    const now = performance.now();
    for (const turn of w.takeOrphans()) {
      if (turn.finished || !this.retryable(turn)) {
        this.core.release(turn, now);
        turn.fail('internal', 'the worker running this turn disconnected');
        continue;
      }
      this.retry(turn, w, 'worker_lost', now);
    }
    this.pump();
  }

  /** A worker freed a slot (job done or TTS answered) or reported its load. */
  onSlotFree(): void {
    this.pump();
  }

  // ── turns ───────────────────────────────────────────────────────────────────────
  submit(turn: Turn): void {
    const now = performance.now();
    this.apply(this.core.submit(turn, turn.tier, affinityKey(turn), now), now);
    this.pump();
  }

  /** Takes a queued turn out (it finished: cancelled, rejected by its session). */
  remove(turn: Turn): void {
    if (this.core.cancel(turn) === 'queued') this.pump();
  }

  /** Cancels a turn for its client (cancel frame or disconnect) and counts it. */
  cancel(turn: Turn, cause: CancelCause): void {
    if (turn.finished) return;
    const where = this.core.cancel(turn);
    this.fleetMetrics.cancelled.inc({ tier: turn.tier, cause, stage: where === 'running' ? 'running' : 'queued' });
    if (where === 'running') this.fleetMetrics.aborts.inc({ result: 'sent' });
    turn.cancel();
    this.updateGauges();
  }

  /** Any worker with a free slot, for text-to-speech requests. */
  pickAny(): WorkerLink | null {
    let best: WorkerLink | null = null;
    for (const w of this.workers.values()) if (w.free > 0 && (!best || w.free > best.free)) best = w;
    return best;
  }

  private apply(d: Decision<Turn, WorkerLink>, now: number): void {
    const m = this.opts.metrics, fm = this.fleetMetrics;
    const turn = d.item;
    switch (d.kind) {
      case 'queued':
        turn.status = 'queued';
        turn.runner = null;
        return;
      case 'reject': {
        fm.rejected.inc({ tier: turn.tier, reason: d.reason });
        const why = d.reason === 'queue_full' ? `the queue is full (${this.opts.maxQueue} turns) and no tier can take the turn` : `no worker could take the turn within ${this.opts.queueTimeoutMs} ms`;
        turn.fail('overloaded', why, d.retryAfterMs);
        return;
      }
      case 'place':
        if (turn.finished) {
          // Finished while queued (its session is gone): give the slot back at once.
          this.core.release(turn, now);
          return;
        }
        turn.assign(d.worker, d.tier, this.opts.turnTimeoutMs);
        if (this.failures.get(turn) === undefined) m.queueWait.observe({ tier: turn.tier }, (now - turn.receivedAt) / 1000);
        fm.dispatched.inc({ tier: turn.tier, served: d.tier, affinity: d.home ? 'home' : 'moved' });
        d.worker.startJob(turn, d.tier);
    }
  }

  /** Runs the dispatcher until nothing can move, then arms the timer for the next deadline or fallback point. */
  private pump(): void {
    const now = performance.now();
    for (let d = this.core.next(now); d; d = this.core.next(now)) this.apply(d, now);
    const at = this.core.nextWakeAt(now);
    if (at === null) {
      if (this.wake) clearTimeout(this.wake);
      this.wake = null;
      this.wakeAt = Infinity;
    } else if (at < this.wakeAt || !this.wake) {
      if (this.wake) clearTimeout(this.wake);
      this.wakeAt = at;
      this.wake = setTimeout(() => {
        this.wake = null;
        this.wakeAt = Infinity;
        this.pump();
      }, Math.max(0, at - now) + 1);
      this.wake.unref();
    }
    this.updateGauges();
  }

  /** Nothing of the turn reached the client but (maybe) an emotion, and it has its retry left. */
  private retryable(turn: Turn): boolean {
    return turn.firstTextAt === null && turn.firstAudioAt === null && (this.failures.get(turn) ?? 0) < 1;
  }

  private retry(turn: Turn, from: WorkerLink, reason: 'worker_lost' | 'worker_failed' | 'refused', now: number): void {
    if (reason !== 'refused') this.failures.set(turn, (this.failures.get(turn) ?? 0) + 1);
    else if (!this.failures.has(turn)) this.failures.set(turn, 0);
    this.fleetMetrics.retries.inc({ tier: turn.tier, reason });
    const d = this.core.retry(turn, reason === 'refused' ? null : from.id, now);
    if (d) this.apply(d, now);
  }

  /** The worker ended a job: a refusal or an early failure is retried; everything else reaches the turn. */
  private onJobEnd(w: WorkerLink, turn: Turn, frame: JobEndFrame): void {
    const now = performance.now();
    if (turn.finished && frame.t === 'done' && frame.cancelled) this.fleetMetrics.aborts.inc({ result: 'confirmed' });
    if (frame.t === 'fail' && !turn.finished) {
      const refused = REFUSALS.has(frame.code);
      if (frame.code === 'busy') w.saturated = true;
      if (frame.code === 'draining' && !w.draining) this.workerDraining(w);
      if (refused || this.retryable(turn)) {
        this.retry(turn, w, refused ? 'refused' : 'worker_failed', now);
        return;
      }
    }
    this.core.release(turn, now);
    turn.onWorkerFrame(frame);
  }

  updateGauges(): void {
    const m = this.opts.metrics, fm = this.fleetMetrics;
    for (const t of TIERS) {
      m.queueDepth.set({ tier: t }, this.core.queuedOf(t));
      fm.running.set({ tier: t }, this.core.runningOf(t));
    }
    const hbMs = this.opts.workerHeartbeatMs ?? 5000;
    const now = Date.now();
    let healthy = 0, late = 0, draining = 0, slots = 0, busy = 0, aborting = 0;
    for (const w of this.workers.values()) {
      const h = w.health(hbMs, now);
      if (h === 'healthy') healthy++;
      else if (h === 'late') late++;
      else draining++;
      slots += w.slots;
      busy += w.inFlight + w.othersInFlight;
      aborting += w.aborting.size;
      fm.workerInFlight.set({ worker: w.id }, w.inFlight);
    }
    m.workers.set({ state: 'healthy' }, healthy);
    m.workers.set({ state: 'late' }, late);
    m.workers.set({ state: 'draining' }, draining);
    m.workerSlots.set({ state: 'total' }, slots);
    m.workerSlots.set({ state: 'busy' }, busy);
    fm.abortsPending.set(aborting);
  }

  /**
   * A heartbeat's model load: kept for the fleet view, set on the gauges, and its token counts
   * (cumulative on the worker) added to the counters as the growth since the previous heartbeat
   * (a restarted worker counts from 0 again).
   */
  recordModelLoad(w: WorkerLink, m: NonNullable<WorkerLink['model']>): void {
    const prev = w.model;
    w.model = m;
    const fm = this.fleetMetrics;
    fm.modelSequences.set({ worker: w.id, state: 'running' }, m.running);
    fm.modelSequences.set({ worker: w.id, state: 'waiting' }, m.waiting);
    const kinds = [['generated', 'generated'], ['prefilled', 'prefilled'], ['prefixCached', 'prefix_cached']] as const;
    for (const [field, kind] of kinds) {
      const before = prev?.[field] ?? 0;
      const delta = m[field] >= before ? m[field] - before : m[field];
      if (delta > 0) fm.modelTokens.inc({ worker: w.id, kind }, delta);
    }
  }

  /** JSON for GET /v1/admin/fleet. */
  snapshot() {
    const core = this.core.snapshot(performance.now());
    const hbMs = this.opts.workerHeartbeatMs ?? 5000;
    return {
      workers: [...this.workers.values()].map((w) => w.snapshot(hbMs)),
      queues: Object.fromEntries(TIERS.map((t) => [t, this.core.queuedOf(t)])) as Record<Tier, number>,
      tiers: core.tiers,
      scripted: core.scripted,
      totals: { slots: core.totalSlots, queued: core.queued, maxQueue: core.maxQueue, avgServiceMs: core.avgServiceMs },
      policy: this.core.opts,
    };
  }
}

/** Turns of the same conversation share a key, so they share a worker (and its cached context). */
const affinityKey = (turn: Turn): string => `${turn.npc.id}\u0000${turn.player}`;
