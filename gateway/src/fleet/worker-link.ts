/**
 * One connected worker, as the gateway sees it: its announced capacity, the jobs it runs,
 * its heartbeats, and pending text-to-speech requests.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { encodeFrame, type GatewayToWorkerFrame, type PhonemeTiming, type RegisterFrame, type Tier, type VisemeTiming, type WorkerToGatewayFrame } from '@parley/protocol';
import type { Turn, TurnRunner } from '../turns/turn.js';

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

export class WorkerLink implements TurnRunner {
  readonly id: string;
  readonly tiers: ReadonlySet<Tier>;
  readonly slots: number;
  readonly voices: readonly string[];
  readonly backend: string;
  readonly jobs = new Map<string, Turn>();
  draining = false;
  lastSeen = Date.now();
  private readonly tts = new Map<string, PendingTts>();

  constructor(
    private readonly ws: WebSocket,
    info: RegisterFrame['worker'],
  ) {
    this.id = info.id;
    this.tiers = new Set(info.tiers);
    this.slots = info.slots;
    this.voices = info.voices;
    this.backend = info.backend;
  }

  get inFlight(): number {
    return this.jobs.size + this.tts.size;
  }

  get free(): number {
    return this.draining ? 0 : Math.max(0, this.slots - this.inFlight);
  }

  send(frame: GatewayToWorkerFrame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeFrame(frame));
  }

  startJob(turn: Turn, tier: Tier): void {
    this.jobs.set(turn.job, turn);
    this.send({ t: 'job', job: turn.job, npc: { id: turn.npc.id, name: turn.npc.name, archetype: turn.npc.archetype, persona: turn.npc.persona, voice: turn.npc.voice, ...(turn.npc.traits ? { traits: turn.npc.traits } : {}) }, player: turn.player, text: turn.text, tier, seed: turn.seed });
  }

  abort(job: string): void {
    // The slot stays taken until the worker confirms with done/fail for this job.
    if (this.jobs.has(job)) this.send({ t: 'abort', job });
  }

  /** Routes a job frame to its turn; returns the finished job's turn when the slot frees. */
  onJobFrame(frame: Extract<WorkerToGatewayFrame, { job: string }>): { freed: boolean } {
    const turn = this.jobs.get(frame.job);
    if (!turn) return { freed: false };
    if (frame.t === 'done' || frame.t === 'fail') this.jobs.delete(frame.job);
    turn.onWorkerFrame(frame);
    return { freed: frame.t === 'done' || frame.t === 'fail' };
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

  onTtsFrame(frame: Extract<WorkerToGatewayFrame, { req: string }>): { freed: boolean } {
    const pending = this.tts.get(frame.req);
    if (!pending) return { freed: false };
    this.tts.delete(frame.req);
    clearTimeout(pending.timer);
    if (frame.t === 'tts_ok') pending.resolve({ sampleRate: frame.sampleRate, pcm: frame.pcm, durationMs: frame.durationMs, phonemes: frame.phonemes, visemes: frame.visemes });
    else pending.reject(new TtsError(frame.code, frame.message));
    return { freed: true };
  }

  /** The link is gone: pending TTS fails; the caller re-homes or fails the jobs. */
  takeOrphans(): Turn[] {
    for (const [, p] of this.tts) {
      clearTimeout(p.timer);
      p.reject(new TtsError('worker_lost', 'the worker disconnected'));
    }
    this.tts.clear();
    const orphans = [...this.jobs.values()];
    this.jobs.clear();
    return orphans;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  snapshot() {
    return { id: this.id, tiers: [...this.tiers], slots: this.slots, inFlight: this.inFlight, draining: this.draining, backend: this.backend, voices: this.voices, lastSeenMsAgo: Date.now() - this.lastSeen };
  }
}
