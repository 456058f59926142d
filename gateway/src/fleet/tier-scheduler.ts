/**
 * The scheduling policy as a pure state machine: it decides, the caller acts. No timers, no
 * sockets; the clock is passed in. The gateway's Scheduler (scheduler.ts) applies decisions
 * to turns and worker links; tests and the bench drive it with plain objects.
 *
 * Policy, in the order it is applied when a slot frees:
 * 1. Deadlines at dequeue: a head that waited past `queueTimeoutMs` gets one last try on any
 *    tier of its fallback chain (scripted included), else it is rejected (`overloaded`).
 * 2. Reservation: a tier below its reserved share of the fleet's slots goes first; a tier
 *    above it may borrow free slots unless they are held for another tier's waiting turns.
 * 3. Priority with aging: among the queue heads the smallest `enqueuedAt + rank × agingMs`
 *    wins, so gold beats silver beats bronze, yet a bronze turn that waited 2 × agingMs
 *    outranks a gold turn that just arrived (Bronze is never starved).
 * 4. Fallback: a turn may use lower tiers (gold → silver → bronze → scripted) once it has
 *    waited `fallbackAfterMs`, at once when no worker serves its tier, and at its deadline.
 * 5. Affinity: within a tier, the (npc, player) key walks a consistent-hash ring and takes
 *    the first worker whose load stays within `affinityBalance` × the average (bounded loads).
 */
import { TIERS, type ServedTier, type Tier } from '@parley/protocol';
import { AffinityRing } from './affinity-ring.js';
import { FifoLane } from './fifo-lane.js';
import { fallbackChain, SERVED_TIERS, TIER_RANK } from './tiers.js';

/** What the policy needs to know about a worker (WorkerLink implements it). */
export interface SlotHolder {
  readonly id: string;
  readonly tiers: ReadonlySet<ServedTier>;
  readonly slots: number;
  /** Turns it runs now (as this gateway knows it). */
  readonly inFlight: number;
  /** Slots it can take now: 0 while draining or saturated. */
  readonly free: number;
  readonly draining: boolean;
}

export interface PolicyOptions {
  /** Turns that may wait at once (retries of accepted turns are not counted). */
  maxQueue: number;
  /** A turn that waited this long is answered `overloaded` instead of being served late. */
  queueTimeoutMs: number;
  /** Share of the fleet's slots held for each tier's own turns (sum ≤ 1). */
  reservedShares: Readonly<Record<Tier, number>>;
  /** A waiting turn gains one tier of priority per `agingMs`. */
  agingMs: number;
  /** A turn may fall back to a lower tier after waiting this long. */
  fallbackAfterMs: number;
  /** Bounded-load factor c = 1 + ε. */
  affinityBalance: number;
  /** Points per worker on the affinity ring. */
  vnodes?: number;
}

export type RejectReason = 'queue_full' | 'deadline';

export type Decision<T, W> =
  | { kind: 'place'; item: T; worker: W; tier: ServedTier; degraded: boolean; home: boolean; waitedMs: number }
  | { kind: 'queued'; item: T }
  | { kind: 'reject'; item: T; reason: RejectReason; retryAfterMs: number; waitedMs: number };

interface Entry<T> {
  readonly item: T;
  readonly tier: Tier;
  readonly key: string;
  enqueuedAt: number;
  deadlineAt: number;
  fallbackAt: number;
  placedAt: number;
  tried: Set<string> | null;
  state: 'queued' | 'running';
  removed: boolean;
  lane: FifoLane<Entry<T>> | null;
}

export class TierScheduler<T, W extends SlotHolder> {
  private readonly workers = new Set<W>();
  private readonly rings: Record<ServedTier, AffinityRing<W>>;
  private readonly ringSlots = Object.fromEntries(SERVED_TIERS.map((t) => [t, 0])) as Record<ServedTier, number>;
  private readonly entries = new Map<T, Entry<T>>();
  private readonly main = Object.fromEntries(TIERS.map((t) => [t, new FifoLane<Entry<T>>()])) as Record<Tier, FifoLane<Entry<T>>>;
  private readonly retries = Object.fromEntries(TIERS.map((t) => [t, new FifoLane<Entry<T>>()])) as Record<Tier, FifoLane<Entry<T>>>;
  private readonly waiting: Record<Tier, number> = { gold: 0, silver: 0, bronze: 0 };
  private readonly retrying: Record<Tier, number> = { gold: 0, silver: 0, bronze: 0 };
  private readonly running: Record<Tier, number> = { gold: 0, silver: 0, bronze: 0 };
  private readonly reserved: Record<Tier, number> = { gold: 0, silver: 0, bronze: 0 };
  private totalSlots = 0;
  private freeCache = -1;
  /** Moving average of time on a worker, for retryAfterMs. */
  private serviceMs = 1000;

  constructor(readonly opts: PolicyOptions) {
    this.rings = Object.fromEntries(SERVED_TIERS.map((t) => [t, new AffinityRing<W>(opts.vnodes ?? 64)])) as Record<ServedTier, AffinityRing<W>>;
  }

  // ── fleet ───────────────────────────────────────────────────────────────────────
  addWorker(w: W): void {
    this.workers.add(w);
    this.refresh();
  }

  removeWorker(w: W): void {
    this.workers.delete(w);
    this.refresh();
  }

  /** Rebuilds rings and reservations (a worker joined, left, or started draining). */
  refresh(): void {
    const active = [...this.workers].filter((w) => !w.draining);
    for (const t of SERVED_TIERS) {
      const members = active.filter((w) => w.tiers.has(t));
      this.rings[t].set(members);
      this.ringSlots[t] = members.reduce((s, w) => s + w.slots, 0);
    }
    this.totalSlots = active.reduce((s, w) => s + w.slots, 0);
    for (const t of TIERS) this.reserved[t] = Math.floor(this.opts.reservedShares[t] * this.totalSlots);
  }

  /** Whether any active worker serves this tier. */
  serves(tier: ServedTier): boolean {
    return this.rings[tier].size > 0;
  }

  // ── turns ───────────────────────────────────────────────────────────────────────
  get queued(): number {
    return this.waiting.gold + this.waiting.silver + this.waiting.bronze + this.retrying.gold + this.retrying.silver + this.retrying.bronze;
  }

  queuedOf(tier: Tier): number {
    return this.waiting[tier] + this.retrying[tier];
  }

  runningOf(tier: Tier): number {
    return this.running[tier];
  }

  /**
   * A new turn: placed at once, queued, or rejected when the queue is full and no tier can
   * take it. After `queued`, call next() until it returns null.
   */
  submit(item: T, tier: Tier, key: string, now: number): Decision<T, W> {
    const e: Entry<T> = { item, tier, key, enqueuedAt: now, deadlineAt: now + this.opts.queueTimeoutMs, fallbackAt: now + this.opts.fallbackAfterMs, placedAt: 0, tried: null, state: 'queued', removed: false, lane: null };
    this.entries.set(item, e);
    // Only when nobody waits may a new turn go straight to a worker; otherwise it queues and
    // the caller runs next(), which weighs it against the waiting turns.
    if (this.queued === 0) {
      const placed = this.tryPlace(e, now, !this.serves(tier));
      if (placed) return placed;
    }
    if (this.waiting.gold + this.waiting.silver + this.waiting.bronze >= this.opts.maxQueue) {
      // Degrade rather than refuse: any tier of the chain, scripted included.
      const last = this.tryPlace(e, now, true);
      if (last) return last;
      this.entries.delete(item);
      return { kind: 'reject', item, reason: 'queue_full', retryAfterMs: this.retryAfterMs(tier), waitedMs: 0 };
    }
    this.enqueue(e, this.main[tier]);
    return { kind: 'queued', item };
  }

  /**
   * A running turn's worker failed before anything reached the client: try it once more on
   * another worker (ahead of new turns of its tier, allowed to fall back at once).
   */
  retry(item: T, failedWorker: string | null, now: number): Decision<T, W> | null {
    const e = this.entries.get(item);
    if (!e || e.state !== 'running') return null;
    this.running[e.tier]--;
    e.state = 'queued';
    if (failedWorker !== null) (e.tried ??= new Set()).add(failedWorker);
    e.deadlineAt = now + this.opts.queueTimeoutMs;
    e.fallbackAt = now;
    const placed = this.tryPlace(e, now, true);
    if (placed) return placed;
    this.enqueue(e, this.retries[e.tier]);
    return { kind: 'queued', item };
  }

  /** Forgets a turn (cancelled, or finished by its client). Returns where it was. */
  cancel(item: T): 'queued' | 'running' | 'unknown' {
    const e = this.entries.get(item);
    if (!e) return 'unknown';
    if (e.state === 'running') return 'running'; // its slot frees when the worker confirms (release)
    this.dequeue(e);
    this.entries.delete(item);
    return 'queued';
  }

  /** The worker answered the turn's job (done or fail) or was lost: its slot is free. */
  release(item: T, now: number): void {
    const e = this.entries.get(item);
    if (!e || e.state !== 'running') return;
    this.running[e.tier]--;
    this.entries.delete(item);
    this.serviceMs += 0.05 * (now - e.placedAt - this.serviceMs);
  }

  stateOf(item: T): 'queued' | 'running' | null {
    return this.entries.get(item)?.state ?? null;
  }

  /**
   * One step of the dispatcher: the next placement or deadline rejection, or null when no
   * queued turn can move now. Call until null after a slot frees or a worker joins.
   */
  next(now: number): Decision<T, W> | null {
    // Deadlines first, checked at dequeue.
    for (const t of TIERS) {
      for (const lane of [this.retries[t], this.main[t]]) {
        const head = lane.peek();
        if (!head || head.deadlineAt > now) continue;
        this.dequeue(head);
        const last = this.tryPlace(head, now, true);
        if (last) return last;
        this.entries.delete(head.item);
        return { kind: 'reject', item: head.item, reason: 'deadline', retryAfterMs: this.retryAfterMs(t), waitedMs: now - head.enqueuedAt };
      }
    }
    // Candidates: the head of every lane, best first.
    const cands: Entry<T>[] = [];
    for (const t of TIERS) {
      const r = this.retries[t].peek();
      if (r) cands.push(r);
      const m = this.main[t].peek();
      if (m) cands.push(m);
    }
    if (cands.length === 0) return null;
    cands.sort((a, b) => this.order(a) - this.order(b));
    for (const e of cands) {
      const placed = this.tryPlace(e, now, now >= e.fallbackAt || !this.serves(e.tier));
      if (placed) return placed;
    }
    return null;
  }

  /** When the dispatcher must look again although no slot freed: a deadline or a fallback point. */
  nextWakeAt(now: number): number | null {
    let at = Infinity;
    for (const t of TIERS) {
      for (const lane of [this.retries[t], this.main[t]]) {
        const head = lane.peek();
        if (!head) continue;
        at = Math.min(at, head.deadlineAt);
        if (head.fallbackAt > now) at = Math.min(at, head.fallbackAt);
      }
    }
    return at === Infinity ? null : at;
  }

  retryAfterMs(tier: Tier): number {
    const slots = Math.max(1, this.ringSlots[tier] || this.totalSlots);
    return Math.round(Math.min(10_000, Math.max(250, (this.serviceMs * (this.queuedOf(tier) + 1)) / slots)));
  }

  snapshot(now: number) {
    const tiers = Object.fromEntries(
      TIERS.map((t) => {
        const oldest = [this.retries[t].peek(), this.main[t].peek()].reduce((m, e) => (e ? Math.min(m, e.enqueuedAt) : m), Infinity);
        return [t, { queued: this.waiting[t], retrying: this.retrying[t], running: this.running[t], reservedShare: this.opts.reservedShares[t], reservedSlots: this.reserved[t], oldestWaitMs: oldest === Infinity ? 0 : Math.round(now - oldest), workers: this.rings[t].size, slots: this.ringSlots[t] }];
      }),
    ) as Record<Tier, { queued: number; retrying: number; running: number; reservedShare: number; reservedSlots: number; oldestWaitMs: number; workers: number; slots: number }>;
    return { tiers, scripted: { workers: this.rings.scripted.size, slots: this.ringSlots.scripted }, totalSlots: this.totalSlots, queued: this.queued, maxQueue: this.opts.maxQueue, avgServiceMs: Math.round(this.serviceMs) };
  }

  // ── internals ───────────────────────────────────────────────────────────────────
  /** Lower = served first: below-reservation tiers, then aged priority. */
  private order(e: Entry<T>): number {
    const aged = e.enqueuedAt + TIER_RANK[e.tier] * this.opts.agingMs;
    return this.running[e.tier] < this.reserved[e.tier] ? aged - 1e12 : aged;
  }

  private enqueue(e: Entry<T>, lane: FifoLane<Entry<T>>): void {
    e.state = 'queued';
    e.removed = false;
    e.lane = lane;
    lane.push(e);
    if (lane === this.main[e.tier]) this.waiting[e.tier]++;
    else this.retrying[e.tier]++;
  }

  /** Takes a queued entry out of its lane (lazily: the lane skips it). */
  private dequeue(e: Entry<T>): void {
    if (!e.lane || e.removed) return;
    e.removed = true;
    if (e.lane === this.main[e.tier]) this.waiting[e.tier]--;
    else this.retrying[e.tier]--;
    e.lane = null;
  }

  private tryPlace(e: Entry<T>, now: number, fallback: boolean): Decision<T, W> | null {
    this.freeCache = -1;
    const chain = fallbackChain(e.tier);
    for (let i = 0; i < chain.length; i++) {
      if (i > 0 && !fallback) break;
      const tier = chain[i]!;
      const pick = this.pickOn(tier, e);
      if (!pick) continue;
      this.dequeue(e);
      e.state = 'running';
      e.placedAt = now;
      this.running[e.tier]++;
      return { kind: 'place', item: e.item, worker: pick.worker, tier, degraded: i > 0, home: pick.home, waitedMs: now - e.enqueuedAt };
    }
    return null;
  }

  /** Affinity with bounded load on one tier's ring; if every worker is above the bound, the least loaded. */
  private pickOn(tier: ServedTier, e: Entry<T>): { worker: W; home: boolean } | null {
    const ring = this.rings[tier];
    if (ring.size === 0) return null;
    let load = 0;
    for (const w of ring.workers) load += w.inFlight;
    const perSlot = (this.opts.affinityBalance * (load + 1)) / this.ringSlots[tier];
    const usable = (w: W) => w.free > 0 && !(e.tried?.has(w.id) ?? false) && this.reservationAllows(e.tier, w);
    const hit = ring.find(e.key, (w) => w.inFlight + 1 <= Math.ceil(perSlot * w.slots) && usable(w));
    if (hit) return hit;
    let best: W | null = null;
    for (const w of ring.workers) if (usable(w) && (!best || w.inFlight / w.slots < best.inFlight / best.slots)) best = w;
    return best ? { worker: best, home: false } : null;
  }

  /** Within its reservation a tier always may; beyond it, it may not take slots held for other tiers' waiting turns. */
  private reservationAllows(tier: Tier, w: W): boolean {
    if (this.running[tier] < this.reserved[tier]) return true;
    let held = 0;
    for (const u of TIERS) {
      if (u === tier || this.queuedOf(u) === 0 || !w.tiers.has(u)) continue;
      held += Math.max(0, this.reserved[u] - this.running[u]);
    }
    if (held === 0) return true;
    if (this.freeCache < 0) {
      this.freeCache = 0;
      for (const x of this.workers) this.freeCache += x.free;
    }
    return this.freeCache - 1 >= held;
  }
}
