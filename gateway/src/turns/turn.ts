/**
 * One `say` in flight: owns its status, timings and the translation of worker output
 * (keyed by job id) into client frames (keyed by the client's turn id).
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { EndFrame, ErrorCode, JobOutputFrame, ServedTier, ServerFrame, Tier, TurnId } from '@parley/protocol';
import type { Npc } from '../catalog/npc-catalog.js';
import type { TurnMemory } from '../memory/memory-service.js';
import { isFinished, type TerminalStatus, type TurnStatus } from './turn-status.js';

/** Where a turn's frames go (the client session) and who hears that it finished. */
export interface TurnSink {
  send(frame: ServerFrame): void;
  turnFinished(turn: Turn): void;
  /** Work that must happen before the turn's `end` (recording it in memory); `end` waits for the promise. */
  turnEnding?(turn: Turn): Promise<void> | undefined;
}

/** What the turn needs from the worker that runs it. */
export interface TurnRunner {
  readonly id: string;
  abort(job: string): void;
}

const TIER_RANK: Record<ServedTier, number> = { gold: 0, silver: 1, bronze: 2, scripted: 3 };

export class Turn {
  readonly job = randomUUID();
  readonly receivedAt = performance.now();
  status: TurnStatus = 'queued';
  assignedAt: number | null = null;
  firstTextAt: number | null = null;
  firstAudioAt: number | null = null;
  replyText = '';
  servedTier: ServedTier | null = null;
  audioMs = 0;
  attempts = 0;
  runner: TurnRunner | null = null;
  /** Set by the scheduler while queued, cleared on dequeue. */
  queueDeadline: NodeJS.Timeout | null = null;
  /** NPC memory read for this turn (its job carries the context); null when memory is off. */
  memory: TurnMemory | null = null;
  /** Memory was unavailable for this turn: its `end` says degraded. */
  memoryDegraded = false;
  /** From `cancel.heardMs`: how much of the reply's audio the player heard. */
  heardMs: number | undefined;
  /** Reply text deltas with the audio position each began at, so a barge-in keeps only what was heard. */
  readonly spans: { text: string; audioStartMs: number }[] = [];
  /** A model backend's proposed relationship change (from `done.cardDelta`). */
  proposedCardDelta: Extract<JobOutputFrame, { t: 'done' }>['cardDelta'];
  private timeout: NodeJS.Timeout | null = null;

  constructor(
    readonly id: TurnId,
    readonly npc: Npc,
    readonly player: string,
    readonly text: string,
    readonly tier: Tier,
    readonly seed: number,
    private readonly sink: TurnSink,
  ) {}

  get finished(): boolean {
    return isFinished(this.status);
  }

  /** Assigned to a worker; a deadline guards against a worker that never finishes. */
  assign(runner: TurnRunner, servedTier: ServedTier, turnTimeoutMs: number): void {
    this.runner = runner;
    this.servedTier = servedTier;
    this.status = 'assigned';
    this.assignedAt ??= performance.now();
    this.attempts++;
    this.timeout?.refresh();
    this.timeout ??= setTimeout(() => this.fail('internal', `the turn did not finish within ${turnTimeoutMs} ms`), turnTimeoutMs);
  }

  /** Worker output for this turn's job; ignored once the turn is finished (e.g. cancelled). */
  onWorkerFrame(frame: JobOutputFrame): void {
    if (this.finished) return;
    const now = performance.now();
    switch (frame.t) {
      case 'text':
        this.status = 'streaming';
        this.firstTextAt ??= now;
        this.spans.push({ text: frame.delta, audioStartMs: this.audioMs });
        this.replyText += frame.delta;
        this.sink.send({ t: 'text', turn: this.id, delta: frame.delta });
        return;
      case 'emotion':
        this.status = 'streaming';
        this.sink.send({ t: 'emotion', turn: this.id, label: frame.label, intensity: frame.intensity });
        return;
      case 'audio':
        this.status = 'streaming';
        this.firstAudioAt ??= now;
        this.audioMs = Math.max(this.audioMs, frame.startMs + frame.durationMs);
        this.sink.send({ t: 'audio', turn: this.id, seq: frame.seq, rate: frame.rate, pcm: frame.pcm, startMs: frame.startMs, durationMs: frame.durationMs });
        return;
      case 'visemes':
        this.status = 'streaming';
        this.sink.send({ t: 'visemes', turn: this.id, seq: frame.seq, frames: frame.frames as EndFrameVisemes });
        return;
      case 'done':
        this.servedTier = frame.tier;
        this.audioMs = Math.max(this.audioMs, frame.audioMs);
        if (frame.text) this.replyText = frame.text;
        this.proposedCardDelta = frame.cardDelta;
        this.finish(frame.cancelled ? 'cancelled' : 'completed');
        return;
      case 'fail':
        this.fail('internal', `worker failed the turn: ${frame.message}`);
        return;
    }
  }

  /** Whether anything of this turn has reached the client (then it cannot be retried elsewhere). */
  get started(): boolean {
    return this.status === 'streaming';
  }

  cancel(): void {
    if (this.finished) return;
    if (this.runner) this.runner.abort(this.job);
    this.finish('cancelled');
  }

  /** Ends the turn with an error frame, then its end frame. */
  fail(code: ErrorCode, message: string, retryAfterMs?: number): void {
    if (this.finished) return;
    if (this.runner && this.status !== 'queued') this.runner.abort(this.job);
    this.sink.send({ t: 'error', turn: this.id, code, message, fatal: false, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    this.finish(code === 'overloaded' || code === 'rate_limited' || code === 'unknown_npc' ? 'rejected' : 'failed');
  }

  private finish(status: TerminalStatus): void {
    if (this.finished) return;
    this.status = status;
    if (this.timeout) clearTimeout(this.timeout);
    if (this.queueDeadline) clearTimeout(this.queueDeadline);
    const sendEnd = () => {
      this.sink.send(this.endFrame());
      this.sink.turnFinished(this);
    };
    const ending = this.sink.turnEnding?.(this);
    if (ending) void ending.then(sendEnd, sendEnd);
    else sendEnd();
  }

  /** A lower tier than requested served the turn. */
  get tierDegraded(): boolean {
    return this.servedTier !== null && TIER_RANK[this.servedTier] > TIER_RANK[this.tier];
  }

  /** `end.degraded`: a lower tier served the turn, or memory was unavailable for it. */
  get degraded(): boolean {
    return this.tierDegraded || this.memoryDegraded;
  }

  endFrame(): EndFrame {
    const now = performance.now();
    const since = (t: number | null) => (t === null ? null : round(t - this.receivedAt));
    return {
      t: 'end',
      turn: this.id,
      text: this.replyText,
      tier: this.servedTier,
      degraded: this.degraded,
      cancelled: this.status === 'cancelled',
      reason: this.status as EndFrame['reason'] & string,
      audioMs: round(this.audioMs),
      timings: { queueMs: since(this.assignedAt), firstTextMs: since(this.firstTextAt), firstAudioMs: since(this.firstAudioAt), totalMs: round(now - this.receivedAt) },
    };
  }
}

type EndFrameVisemes = Extract<ServerFrame, { t: 'visemes' }>['frames'];
const round = (ms: number) => Math.round(ms * 100) / 100;
