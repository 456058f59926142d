/**
 * One NPC's side of the conversation: say a line, stream the reply into audio, visemes,
 * subtitles and emotion, and end every turn exactly once — when the NPC has finished speaking
 * (or was cancelled), so games can hand control back at the right moment.
 *
 * Engine-free: audio goes to an AudioSink, events to listeners; the Unreal adapter binds both to
 * the DialogueManager component.
 */
import type { EndFrame, RelationshipFrame, ServedTier, Tier } from '@parley/protocol';
import { AudioJitterBuffer } from '../audio/jitter-buffer.js';
import type { AudioSink } from '../audio/audio-sink.js';
import type { LocalEnd, SayRequest, TurnFrame, TurnHandle, TurnListener } from '../connection/parley-connection.js';
import { localError, type ParleyError } from '../errors.js';
import type { Host } from '../host.js';
import type { VisemeSource } from '../lipsync/lip-sync-driver.js';
import { VisemeTrack } from '../lipsync/viseme-track.js';
import { SubtitleTrack } from './subtitle-track.js';

export const MAX_LINE_CHARS = 2000;

export type TurnEndReason = 'completed' | 'cancelled' | 'failed' | 'rejected';

/** Latency of one turn in ms; null when the stage was never reached. */
export interface TurnLatency {
  /** Gateway: until a worker took the turn. */
  queueMs: number | null;
  /** Gateway: until the first text / audio left the worker. */
  firstTextMs: number | null;
  firstAudioMs: number | null;
  /** Gateway: until its `end`. */
  serverTotalMs: number | null;
  /** This game: from Say() to the first audio received, to playback start, and to the turn's end. */
  clientFirstAudioMs: number | null;
  playbackStartMs: number | null;
  totalMs: number;
}

export interface TurnResult {
  turnId: string;
  /** The reply text as received (the whole reply unless cut short). */
  text: string;
  reason: TurnEndReason;
  tier: ServedTier | null;
  degraded: boolean;
  /** Audio received, ms. */
  audioMs: number;
  error: ParleyError | null;
  latency: TurnLatency;
}

export interface DialogueListener {
  turnStarted?(turnId: string, line: string): void;
  /** `text` is everything shown so far in this reply; `delta` the newly shown part. */
  subtitle?(text: string, delta: string): void;
  emotion?(label: string, intensity: number): void;
  relationship?(frame: RelationshipFrame): void;
  error?(error: ParleyError): void;
  speaking?(speaking: boolean): void;
  turnEnded?(result: TurnResult): void;
}

export interface NpcDialogueConfig {
  npc: string;
  player: string;
  tier?: Tier;
  voice?: string;
  /** Reveal subtitles with the audio (true) or as soon as text arrives. */
  followAudioSubtitles: boolean;
  /** Audio to buffer before playback starts, ms. */
  prebufferMs: number;
}

/** What starts turns: the shared ParleyConnection. */
export interface TurnStarter {
  say(req: SayRequest, listener: TurnListener): TurnHandle;
}

class ReplyTurn {
  handle: TurnHandle | null = null;
  end: EndFrame | null = null;
  localEnd: LocalEnd | null = null;
  error: ParleyError | null = null;
  firstAudioAt: number | null = null;
  playbackAt: number | null = null;
  interrupted = false;
  readonly visemes = new VisemeTrack();
  readonly subtitles: SubtitleTrack;
  readonly jitter: AudioJitterBuffer;

  constructor(
    readonly line: string,
    readonly sentAt: number,
    sink: AudioSink,
    config: NpcDialogueConfig,
  ) {
    this.jitter = new AudioJitterBuffer(sink, config.prebufferMs);
    this.subtitles = new SubtitleTrack(config.followAudioSubtitles);
  }

  get id(): string {
    return String(this.handle?.id ?? '');
  }
  get ended(): boolean {
    return this.end !== null || this.localEnd !== null;
  }
}

export class NpcDialogue {
  private current: ReplyTurn | null = null;
  private readonly interrupted = new Set<ReplyTurn>();
  private readonly listeners = new Set<DialogueListener>();
  private speakingNow = false;
  private disposed = false;

  constructor(
    private readonly starter: TurnStarter,
    private readonly sink: AudioSink,
    public config: NpcDialogueConfig,
    private readonly host: Host,
  ) {}

  addListener(listener: DialogueListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get speaking(): boolean {
    return this.speakingNow;
  }
  get busy(): boolean {
    return this.current !== null;
  }
  /** Playback position of the current reply, ms (0 when silent). */
  get positionMs(): number {
    return this.current?.jitter.positionMs() ?? 0;
  }

  /** Says a line to the NPC; an unfinished reply is cut off first (barge-in). Returns the turn id. */
  say(text: string): string | null {
    if (this.disposed) return null;
    const line = text.trim();
    if (!line || line.length > MAX_LINE_CHARS) {
      this.emit('error', localError('bad_input', line ? `the line has ${line.length} characters; the limit is ${MAX_LINE_CHARS}` : 'the line is empty'));
      return null;
    }
    if (this.current) this.interrupt(this.current);
    const turn = new ReplyTurn(line, this.host.now(), this.sink, this.config);
    this.current = turn;
    const { npc, player, tier, voice } = this.config;
    turn.handle = this.starter.say({ npc, player, text: line, ...(tier ? { tier } : {}), ...(voice ? { voice } : {}) }, this.turnListener(turn));
    this.emit('turnStarted', turn.id, line);
    return turn.id;
  }

  /** Stops the reply now: audio stops, the mouth closes, the gateway is told how much was heard. */
  cancel(): boolean {
    if (!this.current) return false;
    this.interrupt(this.current);
    return true;
  }

  /** Once per frame: feeds audio, reveals subtitles, ends finished turns. */
  tick(): void {
    for (const t of this.interrupted) if (t.ended) this.finish(t);
    const t = this.current;
    if (!t) return;
    t.jitter.pump();
    if (t.jitter.hasStarted && t.playbackAt === null) {
      t.playbackAt = this.host.now();
      this.setSpeaking(true);
    }
    this.showSubtitles(t, t.subtitles.reveal(t.jitter.positionMs()));
    if (t.ended && t.jitter.drained) this.finish(t);
  }

  /** Viseme weights of the current reply at its playback position (for LipSync). */
  readonly visemeSource: VisemeSource = (blendMs, latencyMs, out) => {
    const t = this.current;
    if (!t || !t.jitter.hasStarted || t.jitter.state === 'stopped') return false;
    t.visemes.sample(t.jitter.positionMs() - latencyMs, blendMs, out);
    return true;
  };

  /** Ends everything (the component is going away). */
  dispose(): void {
    if (this.current) this.interrupt(this.current);
    this.disposed = true;
  }

  private interrupt(t: ReplyTurn): void {
    t.interrupted = true;
    const heardMs = t.jitter.positionMs();
    t.jitter.stop();
    this.current = null;
    this.setSpeaking(false);
    if (t.ended) this.finish(t);
    else {
      this.interrupted.add(t);
      t.handle?.cancel(heardMs); // the gateway answers with end{cancelled}; finish() runs then
    }
  }

  private turnListener(t: ReplyTurn): TurnListener {
    return {
      onFrame: (f) => this.onFrame(t, f),
      onLocalEnd: (end) => {
        t.localEnd = end;
        t.jitter.finish();
        if (end.error) {
          t.error = end.error;
          this.emit('error', end.error);
        }
        if (t.interrupted || t !== this.current) this.finish(t);
      },
    };
  }

  private onFrame(t: ReplyTurn, f: TurnFrame): void {
    const live = t === this.current && !t.interrupted;
    switch (f.t) {
      case 'emotion':
        if (live) this.emit('emotion', f.label, f.intensity);
        return;
      case 'text': {
        const shown = t.subtitles.push(f.delta, t.jitter.receivedMs);
        if (shown !== null && live) this.emit('subtitle', t.subtitles.text, shown);
        return;
      }
      case 'visemes':
        t.visemes.add(f.frames);
        return;
      case 'audio':
        if (!live) return;
        t.firstAudioAt ??= this.host.now();
        t.jitter.push({ seq: f.seq, startMs: f.startMs, rate: f.rate, pcm: f.pcm });
        return;
      case 'relationship':
        this.emit('relationship', f);
        return;
      case 'error': {
        const error: ParleyError = { code: f.code, message: f.message, fatal: f.fatal, local: false, ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}) };
        t.error = error;
        this.emit('error', error);
        return;
      }
      case 'end':
        t.end = f;
        t.jitter.finish();
        if (!live) this.finish(t);
        return;
    }
  }

  private showSubtitles(t: ReplyTurn, deltas: string[]): void {
    if (deltas.length === 0) return;
    this.emit('subtitle', t.subtitles.text, deltas.join(''));
  }

  private finish(t: ReplyTurn): void {
    if (t === this.current) {
      this.showSubtitles(t, t.subtitles.reveal(0, true));
      this.current = null;
      this.setSpeaking(false);
    }
    this.interrupted.delete(t);
    const end = t.end;
    const now = this.host.now();
    const since = (at: number | null) => (at === null ? null : at - t.sentAt);
    const reason: TurnEndReason = end ? (end.reason ?? (end.cancelled ? 'cancelled' : 'completed')) : t.localEnd?.cancelled ? 'cancelled' : 'failed';
    this.emit('turnEnded', {
      turnId: t.id,
      text: end?.text ?? t.subtitles.received,
      reason,
      tier: end?.tier ?? null,
      degraded: end?.degraded ?? false,
      audioMs: end?.audioMs ?? t.jitter.receivedMs,
      error: t.error,
      latency: {
        queueMs: end?.timings.queueMs ?? null,
        firstTextMs: end?.timings.firstTextMs ?? null,
        firstAudioMs: end?.timings.firstAudioMs ?? null,
        serverTotalMs: end?.timings.totalMs ?? null,
        clientFirstAudioMs: since(t.firstAudioAt),
        playbackStartMs: since(t.playbackAt),
        totalMs: now - t.sentAt,
      },
    });
  }

  private setSpeaking(on: boolean): void {
    if (on === this.speakingNow) return;
    this.speakingNow = on;
    this.emit('speaking', on);
  }

  private emit<K extends keyof DialogueListener>(event: K, ...args: Parameters<NonNullable<DialogueListener[K]>>): void {
    for (const l of this.listeners) {
      const fn = l[event] as ((...a: typeof args) => void) | undefined;
      try {
        fn?.apply(l, args);
      } catch (err) {
        this.host.log.error(`a ${event} handler failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    }
  }
}
