/**
 * One load-generator process: opens its share of the connections and drives its share of the
 * simulated NPC conversations on an open-loop schedule.
 *
 * Open loop: every conversation's send times are drawn up front from its own clock (fixed
 * interval or Poisson), independent of replies. Latencies are measured from the *intended*
 * send time, so a stalled server (or a stalled generator) shows up in the percentiles
 * instead of silently slowing the arrival rate (no coordinated omission). A send that goes
 * out more than `lateMs` after its intended time is counted as late.
 */
import { performance } from 'node:perf_hooks';
import { ParleyClient, type TurnHandle, type TurnResult } from '../client/parley-client.js';
import { MetricsRecorder, encodeHistogram, type MetricsSnapshot, type TurnOutcome } from './metrics.js';
import { planConversations, type Conversation } from './plan.js';
import { createRng, deriveSeed, type Rng } from './rng.js';
import type { Scenario } from './scenario.js';

export interface WorkerInit {
  url: string;
  token: string;
  scenario: Scenario;
  processes: number;
  processIndex: number;
  runId: string;
  seed: number;
  /** A send more than this many ms after its intended time counts as late. */
  lateMs: number;
  /** When a connection already has welcome.maxTurnsInFlight turns open: hold the send locally ('queue') or send anyway ('send'). */
  overflow: 'queue' | 'send';
  connectConcurrency?: number;
  progressEveryMs?: number;
}

export interface WorkerProgress {
  processIndex: number;
  sent: number;
  ended: number;
  inFlight: number;
  late: number;
  errors: number;
  /** Cumulative first-audio histogram (all tiers), compressed base64. */
  firstAudio: string;
  cpuPercent: number;
}

export interface ConnectSummary {
  connections: number;
  connected: number;
  failed: number;
  firstError: string | null;
  maxTurnsInFlight: number | null;
}

export interface WorkerReport {
  processIndex: number;
  pid: number;
  conversations: number;
  connections: number;
  connectFailures: number;
  reconnects: number;
  maxTurnsInFlight: number | null;
  /** Still open at the end of the drain (recorded as unfinished). */
  openAtEnd: number;
  cpu: { percent: number; peakPercent: number; userMs: number; systemMs: number; wallMs: number };
  metrics: MetricsSnapshot;
}

interface Conn {
  index: number;
  client: ParleyClient | null;
  queue: Pending[];
  reconnecting: boolean;
  failures: number;
}

interface Pending {
  conv: Conversation;
  /** Intended send time, ms after start. */
  intended: number;
  text: string;
  bargeInAfterMs: number | null;
}

interface OpenTurn {
  pending: Pending;
  handle: TurnHandle;
  conn: Conn;
  bargeTimer: NodeJS.Timeout | null;
}

interface ConvState {
  conv: Conversation;
  rng: Rng;
  nextAt: number;
}

/** Binary min-heap of conversations by next send time. */
class Schedule {
  private readonly a: ConvState[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): ConvState | undefined {
    return this.a[0];
  }
  push(x: ConvState): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.nextAt <= x.nextAt) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }
  pop(): ConvState | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]!.nextAt < a[l]!.nextAt ? r : l;
        if (a[c]!.nextAt >= last.nextAt) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

export class LoadWorker {
  private readonly init: WorkerInit;
  private readonly conversations: Conversation[];
  private readonly conns = new Map<number, Conn>();
  private readonly open = new Set<OpenTurn>();
  readonly metrics = new MetricsRecorder();
  private readonly schedule = new Schedule();
  private t0 = 0;
  private sendEndMs: number;
  private readonly measureFromMs: number;
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private finishing = false;
  private reconnects = 0;
  private connectFailures = 0;
  private maxTurnsInFlight: number | null = null;
  private totals = { sent: 0, ended: 0, late: 0, errors: 0 };
  private wake: (() => void) | null = null;

  constructor(init: WorkerInit) {
    this.init = init;
    const s = init.scenario;
    this.conversations = planConversations(s, init.runId, init.processes).filter((c) => c.process === init.processIndex);
    for (const c of this.conversations) if (!this.conns.has(c.connection)) this.conns.set(c.connection, { index: c.connection, client: null, queue: [], reconnecting: false, failures: 0 });
    this.sendEndMs = (s.rampUpS + s.steadyS) * 1000;
    this.measureFromMs = s.steadyS > 0 ? s.rampUpS * 1000 : 0;
  }

  get conversationCount(): number {
    return this.conversations.length;
  }

  /** Opens every connection of this process (bounded concurrency). */
  async connect(): Promise<ConnectSummary> {
    const conns = [...this.conns.values()];
    let firstError: string | null = null;
    let next = 0;
    const worker = async () => {
      while (next < conns.length) {
        const conn = conns[next++]!;
        const err = await this.openConnection(conn);
        if (err) {
          this.connectFailures++;
          firstError ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.init.connectConcurrency ?? 32, conns.length) }, worker));
    const connected = conns.filter((c) => c.client?.isOpen).length;
    return { connections: conns.length, connected, failed: conns.length - connected, firstError, maxTurnsInFlight: this.maxTurnsInFlight };
  }

  private async openConnection(conn: Conn): Promise<string | null> {
    try {
      const client = await ParleyClient.connect({ url: this.init.url, token: this.init.token, clientName: 'parley-loadgen', clientVersion: '0.1.0' });
      conn.client = client;
      conn.failures = 0;
      this.maxTurnsInFlight ??= client.welcome.maxTurnsInFlight ?? null;
      client.on('serverError', (f) => this.metrics.recordConnectionError(f.code));
      client.once('close', () => {
        if (this.finishing || conn.client !== client) return;
        this.metrics.recordConnectionError('connection_lost');
        this.scheduleReconnect(conn);
      });
      return null;
    } catch (err) {
      this.metrics.recordConnectionError((err as { code?: string }).code ?? 'connect_failed');
      conn.failures++;
      return err instanceof Error ? err.message : String(err);
    }
  }

  /** Reconnects with backoff (0.5 s doubling to 5 s) until it succeeds or the run ends. */
  private scheduleReconnect(conn: Conn): void {
    if (this.finishing || conn.reconnecting) return;
    conn.reconnecting = true;
    const delay = Math.min(5000, 500 * 2 ** Math.min(conn.failures, 4));
    setTimeout(() => {
      if (this.finishing) {
        conn.reconnecting = false;
        return;
      }
      void this.openConnection(conn).then((err) => {
        conn.reconnecting = false;
        if (err) return this.scheduleReconnect(conn);
        this.reconnects++;
        this.flushQueue(conn);
      });
    }, delay).unref();
  }

  /** Runs the schedule from `startAtEpochMs` (wall clock, shared by all processes) to the end of the drain. */
  async run(startAtEpochMs: number, onProgress?: (p: WorkerProgress) => void): Promise<WorkerReport> {
    const s = this.init.scenario;
    this.t0 = performance.now() + (startAtEpochMs - Date.now());
    for (const conv of this.conversations) {
      const rng = createRng(deriveSeed(this.init.seed, conv.index));
      const first = s.arrival.kind === 'fixed' ? conv.activeFromMs + rng.next() * s.arrival.intervalMs : conv.activeFromMs + rng.exp(s.arrival.meanThinkMs);
      if (first < this.sendEndMs) this.schedule.push({ conv, rng, nextAt: first });
    }
    for (const conn of this.conns.values()) if (!conn.client) this.scheduleReconnect(conn);

    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    let lastCpu = cpuStart;
    let lastWall = wallStart;
    let peak = 0;
    const progressTimer = setInterval(() => {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      const pct = (((cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000) / Math.max(1, wall - lastWall)) * 100;
      if (this.sending || this.open.size > 0) peak = Math.max(peak, pct);
      lastCpu = cpu;
      lastWall = wall;
      onProgress?.({ processIndex: this.init.processIndex, ...this.totals, inFlight: this.inFlight(), firstAudio: encodeHistogram(this.metrics.firstAudioAll), cpuPercent: pct });
    }, this.init.progressEveryMs ?? 1000);

    const startDelay = Math.max(0, this.t0 - performance.now());
    await new Promise((r) => setTimeout(r, startDelay));
    // Send phase, then drain until nothing is open or the drain deadline passes.
    const sendPhase = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.sending = true;
    this.tick();
    await sendPhase;
    const drainDeadline = performance.now() + s.drainS * 1000;
    while (this.inFlight() > 0 && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 10));
    const openAtEnd = this.inFlight();
    this.finishing = true;
    this.recordUnfinished();
    clearInterval(progressTimer);

    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    const percent = ((cpu.user + cpu.system) / 1000 / Math.max(1, wallMs)) * 100;
    const report: WorkerReport = {
      processIndex: this.init.processIndex,
      pid: process.pid,
      conversations: this.conversations.length,
      connections: this.conns.size,
      connectFailures: this.connectFailures,
      reconnects: this.reconnects,
      maxTurnsInFlight: this.maxTurnsInFlight,
      openAtEnd,
      cpu: { percent: round1(percent), peakPercent: round1(Math.max(peak, percent)), userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000), wallMs: Math.round(wallMs) },
      metrics: this.metrics.snapshot(),
    };
    await Promise.all([...this.conns.values()].map((c) => c.client?.close()));
    return report;
  }

  /** Ends the send phase now (Ctrl-C); in-flight turns still drain (at most 3 s). */
  stop(): void {
    const now = this.t0 === 0 ? 0 : Math.max(0, this.rel(performance.now()));
    this.sendEndMs = Math.min(this.sendEndMs, now);
    this.init.scenario = { ...this.init.scenario, drainS: Math.min(this.init.scenario.drainS, 3) };
    if (this.sending) this.tick();
  }

  private inFlight(): number {
    let queued = 0;
    for (const c of this.conns.values()) queued += c.queue.length;
    return this.open.size + queued;
  }

  private rel(perfNow: number): number {
    return perfNow - this.t0;
  }

  /** Fires every send that is due, then sleeps until the next one. */
  private tick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.init.scenario;
    let now = this.rel(performance.now());
    for (let top = this.schedule.peek(); top && top.nextAt <= now; top = this.schedule.peek()) {
      this.schedule.pop();
      if (top.nextAt >= this.sendEndMs) continue;
      this.fire(top);
      top.nextAt += s.arrival.kind === 'fixed' ? s.arrival.intervalMs : top.rng.exp(s.arrival.meanThinkMs);
      if (top.nextAt < this.sendEndMs) this.schedule.push(top);
      now = this.rel(performance.now());
    }
    const next = this.schedule.peek();
    if (!next || next.nextAt >= this.sendEndMs) {
      this.sending = false;
      this.wake?.();
      this.wake = null;
      return;
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, next.nextAt - now));
  }

  private fire(state: ConvState): void {
    const s = this.init.scenario;
    const rng = state.rng;
    const text = s.corpus[rng.int(s.corpus.length)]!;
    const barge = s.bargeIn.rate > 0 && rng.next() < s.bargeIn.rate ? rng.uniform(s.bargeIn.afterFirstAudioMs[0], s.bargeIn.afterFirstAudioMs[1]) : null;
    const pending: Pending = { conv: state.conv, intended: state.nextAt, text, bargeInAfterMs: barge };
    const conn = this.conns.get(state.conv.connection)!;
    const limit = conn.client?.welcome.maxTurnsInFlight;
    if (this.init.overflow === 'queue' && conn.client?.isOpen && limit !== undefined && limit > 0 && (conn.queue.length > 0 || conn.client.inFlight >= limit)) {
      conn.queue.push(pending);
      this.metrics.recordQueued(pending.conv.tier);
      return;
    }
    this.send(pending, conn);
  }

  private flushQueue(conn: Conn): void {
    const client = conn.client;
    const limit = client?.welcome.maxTurnsInFlight ?? Infinity;
    while (conn.queue.length > 0 && client?.isOpen && client.inFlight < limit && !this.finishing) this.send(conn.queue.shift()!, conn);
  }

  private send(p: Pending, conn: Conn): void {
    const nowPerf = performance.now();
    const now = this.rel(nowPerf);
    const lag = now - p.intended;
    const tier = p.conv.tier;
    this.metrics.recordSend(tier, lag, this.init.lateMs, now / 1000);
    this.totals.sent++;
    if (lag > this.init.lateMs) this.totals.late++;
    const client = conn.client;
    if (!client?.isOpen) {
      this.recordOutcome({ ...emptyOutcome(tier, p.intended >= this.measureFromMs), errorCodes: ['not_connected'] }, now);
      return;
    }
    const handle = client.say({ npc: p.conv.npc, player: p.conv.player, text: p.text, tier, collect: 'summary' });
    const entry: OpenTurn = { pending: p, handle, conn, bargeTimer: null };
    this.open.add(entry);
    if (p.bargeInAfterMs !== null) {
      const after = p.bargeInAfterMs;
      handle.once('audio', () => {
        // The player interrupts `after` ms into the reply's audio: heardMs = after.
        entry.bargeTimer = setTimeout(() => {
          entry.bargeTimer = null;
          if (handle.ended || !client.isOpen) return;
          client.cancel(handle.turn, after);
          this.metrics.recordBargeIn(tier);
        }, after);
      });
    }
    void handle.done.then((r) => this.onDone(entry, r));
  }

  private onDone(entry: OpenTurn, r: TurnResult): void {
    if (!this.open.delete(entry)) return; // already recorded as unfinished
    if (entry.bargeTimer) clearTimeout(entry.bargeTimer);
    const p = entry.pending;
    const intendedPerf = this.t0 + p.intended;
    const since = (t: number | null) => (t === null ? null : t - intendedPerf);
    const rtf = r.audioChunks >= 2 && r.times.lastAudioAt !== null && r.times.firstAudioAt !== null ? (r.audioMs - r.lastAudioChunkMs) / Math.max(1e-3, r.times.lastAudioAt - r.times.firstAudioAt) : null;
    const outcome: TurnOutcome = {
      tier: p.conv.tier,
      measured: p.intended >= this.measureFromMs,
      firstTextMs: since(r.times.firstTextAt),
      firstAudioMs: since(r.times.firstAudioAt),
      turnMs: r.ok ? since(r.times.endAt) : null,
      rtf: rtf === null ? null : Math.min(rtf, 1e6),
      completed: r.ok,
      cancelled: r.cancelled,
      degraded: r.end?.degraded ?? false,
      unfinished: false,
      errorCodes: r.errors.map((e) => e.code),
      audioChunks: r.audioChunks,
      audioMs: r.audioMs,
      playbackStall: r.playbackStallMs > 1,
    };
    this.recordOutcome(outcome, this.rel(r.times.endAt));
    this.flushQueue(entry.conn);
  }

  private recordOutcome(o: TurnOutcome, endRel: number): void {
    this.metrics.recordTurn(o, Math.max(0, endRel) / 1000);
    this.totals.ended++;
    if (o.errorCodes.length > 0) this.totals.errors++;
  }

  /**
   * Turns still open (or never sent) when the drain ends: recorded as errors `unfinished`,
   * their elapsed time going into the histograms as a lower bound.
   */
  private recordUnfinished(): void {
    const nowPerf = performance.now();
    const now = this.rel(nowPerf);
    for (const entry of this.open) {
      if (entry.bargeTimer) clearTimeout(entry.bargeTimer);
      const p = entry.pending;
      const elapsed = now - p.intended;
      const intendedPerf = this.t0 + p.intended;
      const { firstTextAt, firstAudioAt } = entry.handle;
      this.recordOutcome(
        {
          ...emptyOutcome(p.conv.tier, p.intended >= this.measureFromMs),
          firstTextMs: firstTextAt === null ? elapsed : firstTextAt - intendedPerf,
          firstAudioMs: firstAudioAt === null ? elapsed : firstAudioAt - intendedPerf,
          turnMs: elapsed,
          unfinished: true,
          errorCodes: ['unfinished'],
        },
        now,
      );
    }
    this.open.clear();
    for (const conn of this.conns.values()) {
      for (const p of conn.queue) {
        const lag = now - p.intended;
        this.metrics.recordSend(p.conv.tier, lag, this.init.lateMs, now / 1000);
        this.totals.sent++;
        this.recordOutcome({ ...emptyOutcome(p.conv.tier, p.intended >= this.measureFromMs), firstAudioMs: lag, firstTextMs: lag, turnMs: lag, unfinished: true, errorCodes: ['unfinished'] }, now);
      }
      conn.queue.length = 0;
    }
  }
}

const emptyOutcome = (tier: Conversation['tier'], measured: boolean): TurnOutcome => ({
  tier,
  measured,
  firstTextMs: null,
  firstAudioMs: null,
  turnMs: null,
  rtf: null,
  completed: false,
  cancelled: false,
  degraded: false,
  unfinished: false,
  errorCodes: [],
  audioChunks: 0,
  audioMs: 0,
  playbackStall: false,
});

const round1 = (x: number): number => Math.round(x * 10) / 10;
