/**
 * One connected worker, as the gateway sees it: its announced capacity, the jobs it runs for
 * this gateway, its heartbeats (which also report the jobs it runs for other gateways), and
 * pending text-to-speech requests.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { encodeFrame, type GatewayToWorkerFrame, type JobOutputFrame, type ModelLoad, type PhonemeTiming, type RegisterFrame, type ServedTier, type VisemeTiming, type WorkerToGatewayFrame } from '@parley/protocol';
import type { Turn, TurnRunner } from '../turns/turn.js';
import type { SlotHolder } from './tier-scheduler.js';

export interface TtsResult {
  sampleRate: number;
  pcm: Uint8Array;
  durationMs: number;
  phonemes: PhonemeTiming[];
  visemes: VisemeTiming[];
}

export class TtsError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'TtsError';
  }
}

interface PendingTts {
  resolve(r: TtsResult): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export type JobEndFrame = Extract<JobOutputFrame, { t: 'done' | 'fail' }>;

/** The turn's assembled memory for the job: `context` for model backends, `history` (recent lines) for the scripted one. */
const memoryFields = (turn: Turn) => {
  const context = turn.memory?.context;
  return context ? { context, history: context.turns.map(({ role, text }) => ({ role, text })) } : {};
};

export class WorkerLink implements TurnRunner, SlotHolder {
  readonly id: string;
  readonly tiers: ReadonlySet<ServedTier>;
  readonly slots: number;
  readonly voices: readonly string[];
  readonly backend: string;
  readonly models: readonly string[];
  readonly jobs = new Map<string, Turn>();
  /** Jobs aborted by the gateway whose slot the worker has not freed yet. */
  readonly aborting = new Set<string>();
  readonly connectedAt = Date.now();
  draining = false;
  drainDeadlineMs: number | null = null;
  lastSeen = Date.now();
  /** Jobs the worker runs for other gateways (from its last heartbeat). */
  othersInFlight = 0;
  /** Jobs this gateway has sent it (for operators and tests: where did turns go). */
  jobsStarted = 0;
  /** The worker refused a job as busy: take no more until its next heartbeat. */
  saturated = false;
  /** Its model engine's load from the last heartbeat that carried one (model workers only; set by Scheduler.recordModelLoad). */
  model: ModelLoad | undefined;
  /** Called when the worker ends a job (done/fail); the scheduler decides what it means. */
  onJobEnd: ((turn: Turn, frame: JobEndFrame) => void) | null = null;
  private readonly tts = new Map<string, PendingTts>();
  private readonly summaries = new Map<string, { resolve(text: string): void; reject(e: Error): void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly ws: WebSocket,
    info: RegisterFrame['worker'],
  ) {
    this.id = info.id;
    this.tiers = new Set(info.tiers);
    this.slots = info.slots;
    this.voices = info.voices;
    this.backend = info.backend;
    this.models = info.models ?? [];
  }

  get inFlight(): number {
    return this.jobs.size + this.tts.size;
  }

  get free(): number {
    return this.draining || this.saturated ? 0 : Math.max(0, this.slots - this.inFlight - this.othersInFlight);
  }

  /** A heartbeat: `inFlight` counts the worker's jobs for every gateway it serves. */
  onHeartbeat(inFlight: number): void {
    this.othersInFlight = Math.max(0, inFlight - this.jobs.size - this.tts.size);
    this.saturated = false;
  }

  send(frame: GatewayToWorkerFrame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeFrame(frame));
  }

  startJob(turn: Turn, tier: ServedTier): void {
    this.jobs.set(turn.job, turn);
    this.jobsStarted++;
    this.send({ t: 'job', job: turn.job, npc: { id: turn.npc.id, name: turn.npc.name, archetype: turn.npc.archetype, persona: turn.npc.persona, voice: turn.npc.voice, ...(turn.npc.traits ? { traits: turn.npc.traits } : {}) }, player: turn.player, text: turn.text, tier, seed: turn.seed, ...memoryFields(turn) });
  }

  abort(job: string): void {
    // The slot stays taken until the worker confirms with done/fail for this job.
    if (!this.jobs.has(job) || this.aborting.has(job)) return;
    this.aborting.add(job);
    this.send({ t: 'abort', job });
  }

  /** Routes a job frame to its turn; `freed` when the job ended and its slot is free. */
  onJobFrame(frame: JobOutputFrame): { freed: boolean } {
    const turn = this.jobs.get(frame.job);
    if (!turn) return { freed: false };
    if (frame.t !== 'done' && frame.t !== 'fail') {
      turn.onWorkerFrame(frame);
      return { freed: false };
    }
    this.jobs.delete(frame.job);
    this.aborting.delete(frame.job);
    if (frame.t === 'done') this.saturated = false; // it just freed a slot
    if (this.onJobEnd) this.onJobEnd(turn, frame);
    else turn.onWorkerFrame(frame);
    return { freed: true };
  }

  requestTts(text: string, voice: string | undefined, timeoutMs: number): Promise<TtsResult> {
    const req = randomUUID();
    return new Promise<TtsResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.tts.delete(req);
        reject(new TtsError('timeout', `the worker did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.tts.set(req, { resolve, reject, timer });
      this.send({ t: 'tts', req, text, ...(voice !== undefined ? { voice } : {}) });
    });
  }

  onTtsFrame(frame: Extract<WorkerToGatewayFrame, { t: 'tts_ok' | 'tts_fail' }>): { freed: boolean } {
    const pending = this.tts.get(frame.req);
    if (!pending) return { freed: false };
    this.tts.delete(frame.req);
    clearTimeout(pending.timer);
    if (frame.t === 'tts_ok') pending.resolve({ sampleRate: frame.sampleRate, pcm: frame.pcm, durationMs: frame.durationMs, phonemes: frame.phonemes, visemes: frame.visemes });
    else pending.reject(new TtsError(frame.code, frame.message));
    return { freed: true };
  }

  /** Asks the worker's dialogue backend to summarize turns (memory); takes no slot. */
  requestSummary(req: Omit<Extract<GatewayToWorkerFrame, { t: 'summarize' }>, 't' | 'req'>, timeoutMs: number): Promise<string> {
    const id = randomUUID();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.summaries.delete(id);
        reject(new TtsError('timeout', `the worker did not summarize within ${timeoutMs} ms`));
      }, timeoutMs);
      this.summaries.set(id, { resolve, reject, timer });
      this.send({ t: 'summarize', req: id, ...req });
    });
  }

  onSummaryFrame(frame: Extract<WorkerToGatewayFrame, { t: 'summary_ok' | 'summary_fail' }>): void {
    const pending = this.summaries.get(frame.req);
    if (!pending) return;
    this.summaries.delete(frame.req);
    clearTimeout(pending.timer);
    if (frame.t === 'summary_ok') pending.resolve(frame.text);
    else pending.reject(new TtsError(frame.code, frame.message));
  }

  /** The link is gone: pending TTS and summaries fail; the caller re-homes or fails the jobs. */
  takeOrphans(): Turn[] {
    for (const [, p] of this.summaries) {
      clearTimeout(p.timer);
      p.reject(new TtsError('worker_lost', 'the worker disconnected'));
    }
    this.summaries.clear();
    for (const [, p] of this.tts) {
      clearTimeout(p.timer);
      p.reject(new TtsError('worker_lost', 'the worker disconnected'));
    }
    this.tts.clear();
    const orphans = [...this.jobs.values()];
    this.jobs.clear();
    this.aborting.clear();
    return orphans;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** `healthy`, `late` (a heartbeat is overdue), or `draining`. */
  health(heartbeatMs: number, now = Date.now()): 'healthy' | 'late' | 'draining' {
    if (this.draining) return 'draining';
    return now - this.lastSeen > heartbeatMs * 1.5 ? 'late' : 'healthy';
  }

  snapshot(heartbeatMs: number) {
    const now = Date.now();
    return {
      id: this.id,
      tiers: [...this.tiers],
      slots: this.slots,
      inFlight: this.inFlight,
      othersInFlight: this.othersInFlight,
      free: this.free,
      health: this.health(heartbeatMs, now),
      draining: this.draining,
      drainDeadlineMs: this.drainDeadlineMs,
      aborting: this.aborting.size,
      jobsStarted: this.jobsStarted,
      backend: this.backend,
      models: this.models,
      model: this.model ?? null,
      voices: this.voices,
      lastSeenMsAgo: now - this.lastSeen,
      connectedForMs: now - this.connectedAt,
    };
  }
}
