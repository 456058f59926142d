/**
 * A small typed Node client for Parley protocol v1 over `ws`.
 *
 *   const client = await ParleyClient.connect({ url: 'ws://127.0.0.1:8787/v1/ws', token });
 *   const turn = client.say({ npc: 'vampire-lord', player: 'p1', text: 'Good evening.' });
 *   turn.on('text', (f) => process.stdout.write(f.delta));
 *   const result = await turn.done; // never rejects: errors are in result.errors
 *
 * Guarantees: every `say` ends (its `done` resolves) exactly once — with the server's `end`
 * frame, or with a local error when the connection drops, so nothing hangs. Connection-level
 * error frames (no turn, or a turn that is not open) are emitted as `serverError` events on
 * the client (not `error`, so an unhandled one never throws).
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import {
  decodeServerFrame,
  encodeFrame,
  type AudioFrame,
  type ClientFrame,
  type EmotionFrame,
  type EndFrame,
  type ErrorCode,
  type ErrorFrame,
  type ServerFrame,
  type TextFrame,
  type Tier,
  type TurnId,
  type VisemesFrame,
  type VisemeTuple,
  type WelcomeFrame,
} from '@parley/protocol';

/** Codes of errors raised on this side of the wire (never sent by a gateway). */
export type LocalErrorCode = 'connect_failed' | 'connect_timeout' | 'connection_closed' | 'bad_server_frame';

export interface TurnError {
  code: ErrorCode | LocalErrorCode;
  message: string;
  retryAfterMs?: number;
  fatal: boolean;
  /** true when raised by this client (e.g. the connection dropped), false for a server `error` frame. */
  local: boolean;
}

/** Thrown by `connect` and `ping`: carries a protocol error code or a local one. */
export class ParleyClientError extends Error {
  readonly code: ErrorCode | LocalErrorCode;
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode | LocalErrorCode, message: string, retryAfterMs?: number) {
    super(`${code}: ${message}`);
    this.name = 'ParleyClientError';
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface ConnectOptions {
  url: string;
  token: string;
  clientName?: string;
  clientVersion?: string;
  /** Reject if no welcome arrives within this time (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** Send a protocol `ping` every welcome.heartbeatMs so an idle session is not closed (default true). */
  heartbeat?: boolean;
}

export interface SayOptions {
  npc: string;
  player: string;
  text: string;
  tier?: Tier;
  /** Turn id; default: the next integer of this connection. */
  turn?: TurnId;
  /**
   * 'full' (default) keeps every frame, the audio samples and visemes in the result;
   * 'summary' keeps only counters and timestamps (the load generator's mode).
   */
  collect?: 'full' | 'summary';
}

export interface AudioChunk {
  seq: number;
  startMs: number;
  rate: number;
  pcm: Int16Array;
}

/** `performance.now()` timestamps (ms) taken on this machine. */
export interface LocalTimes {
  sentAt: number;
  firstTextAt: number | null;
  firstAudioAt: number | null;
  lastAudioAt: number | null;
  endAt: number;
}

export interface TurnResult {
  turn: TurnId;
  npc: string;
  /** The server's end frame; null when the turn ended locally (connection dropped). */
  end: EndFrame | null;
  /** Concatenated text deltas. */
  text: string;
  emotions: { label: string; intensity: number }[];
  /** All audio samples, chunks ordered by startMs (empty in 'summary' mode). */
  audio: Int16Array;
  sampleRate: number | null;
  audioChunks: number;
  /** Milliseconds of audio received (samples ÷ rate). */
  audioMs: number;
  /** Duration of the last audio chunk received, ms. */
  lastAudioChunkMs: number;
  /**
   * How long playback started at the first chunk's arrival would have stalled waiting for
   * later chunks: max over chunks of (arrival − first arrival) − (startMs − first startMs), ≥ 0.
   */
  playbackStallMs: number;
  /** Viseme frames of all visemes messages, ordered by seq (empty in 'summary' mode). */
  visemes: VisemeTuple[];
  errors: TurnError[];
  times: LocalTimes;
  /** Local latencies from `sentAt` (ms); null when the stage was never reached. */
  firstTextMs: number | null;
  firstAudioMs: number | null;
  totalMs: number;
  cancelled: boolean;
  /** Ended with a server end frame, not cancelled, no errors. */
  ok: boolean;
}

type TurnEvents = {
  frame: [ServerFrame];
  text: [TextFrame];
  emotion: [EmotionFrame];
  audio: [AudioFrame];
  visemes: [VisemesFrame];
  turnError: [TurnError];
  end: [TurnResult];
};

/**
 * One turn in flight. Events: `frame` (every frame), `text`, `emotion`, `audio`, `visemes`,
 * `turnError`, `end`. Also an async iterator of the turn's server frames (ends after `end`;
 * in 'full' mode it replays frames that arrived before iteration started).
 */
export class TurnHandle extends EventEmitter<TurnEvents> implements AsyncIterable<ServerFrame> {
  readonly turn: TurnId;
  readonly npc: string;
  readonly done: Promise<TurnResult>;
  readonly sentAt: number;
  private resolveDone!: (r: TurnResult) => void;
  private readonly collect: 'full' | 'summary';
  private readonly history: ServerFrame[] = [];
  private readonly waiters = new Set<() => void>();
  private text = '';
  private readonly emotions: { label: string; intensity: number }[] = [];
  private readonly chunks: AudioChunk[] = [];
  private readonly visemeMsgs: VisemesFrame[] = [];
  private readonly errors: TurnError[] = [];
  private audioChunks = 0;
  private audioMs = 0;
  private sampleRate: number | null = null;
  private lastChunkMs = 0;
  private firstChunkStartMs = 0;
  private stallMs = 0;
  private firstTextAt_: number | null = null;
  private firstAudioAt_: number | null = null;
  private lastAudioAt: number | null = null;
  private finished: TurnResult | null = null;

  /** @internal created by ParleyClient.say */
  constructor(turn: TurnId, npc: string, sentAt: number, collect: 'full' | 'summary') {
    super();
    this.turn = turn;
    this.npc = npc;
    this.sentAt = sentAt;
    this.collect = collect;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get ended(): boolean {
    return this.finished !== null;
  }

  /** Local receive time (performance.now()) of the first text frame so far, or null. */
  get firstTextAt(): number | null {
    return this.firstTextAt_;
  }

  /** Local receive time (performance.now()) of the first audio frame so far, or null. */
  get firstAudioAt(): number | null {
    return this.firstAudioAt_;
  }

  /** @internal */
  handleFrame(frame: ServerFrame, now: number): void {
    if (this.finished) return;
    if (this.collect === 'full') this.history.push(frame);
    switch (frame.t) {
      case 'text':
        this.firstTextAt_ ??= now;
        this.text += frame.delta;
        this.emit('text', frame);
        break;
      case 'emotion':
        this.emotions.push({ label: frame.label, intensity: frame.intensity });
        this.emit('emotion', frame);
        break;
      case 'audio': {
        if (this.firstAudioAt_ === null) {
          this.firstAudioAt_ = now;
          this.firstChunkStartMs = frame.startMs;
        }
        this.lastAudioAt = now;
        const samples = frame.pcm.byteLength >> 1;
        this.audioChunks++;
        this.lastChunkMs = (samples / frame.rate) * 1000;
        this.audioMs += this.lastChunkMs;
        this.stallMs = Math.max(this.stallMs, now - this.firstAudioAt_ - (frame.startMs - this.firstChunkStartMs));
        this.sampleRate ??= frame.rate;
        if (this.collect === 'full') this.chunks.push({ seq: frame.seq, startMs: frame.startMs, rate: frame.rate, pcm: copyPcm(frame.pcm, samples) });
        this.emit('audio', frame);
        break;
      }
      case 'visemes':
        if (this.collect === 'full') this.visemeMsgs.push(frame);
        this.emit('visemes', frame);
        break;
      case 'error': {
        const e = fromErrorFrame(frame);
        this.errors.push(e);
        this.emit('turnError', e);
        break;
      }
      case 'end':
        this.emit('frame', frame);
        this.finish(frame, now);
        return;
      default:
        break;
    }
    this.emit('frame', frame);
    this.wake();
  }

  /** @internal ends the turn without a server end frame. */
  failLocally(error: TurnError, now: number): void {
    if (this.finished) return;
    this.errors.push(error);
    this.emit('turnError', error);
    this.finish(null, now);
  }

  private finish(end: EndFrame | null, now: number): void {
    const chunks = [...this.chunks].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
    const audio = new Int16Array(this.collect === 'full' ? chunks.reduce((n, c) => n + c.pcm.length, 0) : 0);
    let at = 0;
    for (const c of chunks) {
      audio.set(c.pcm, at);
      at += c.pcm.length;
    }
    const visemes = [...this.visemeMsgs].sort((a, b) => a.seq - b.seq).flatMap((m) => m.frames as VisemeTuple[]);
    const cancelled = end?.cancelled ?? false;
    const result: TurnResult = {
      turn: this.turn,
      npc: this.npc,
      end,
      text: this.text,
      emotions: this.emotions,
      audio,
      sampleRate: this.sampleRate,
      audioChunks: this.audioChunks,
      audioMs: this.audioMs,
      lastAudioChunkMs: this.lastChunkMs,
      playbackStallMs: this.stallMs,
      visemes,
      errors: this.errors,
      times: { sentAt: this.sentAt, firstTextAt: this.firstTextAt_, firstAudioAt: this.firstAudioAt_, lastAudioAt: this.lastAudioAt, endAt: now },
      firstTextMs: this.firstTextAt_ === null ? null : this.firstTextAt_ - this.sentAt,
      firstAudioMs: this.firstAudioAt_ === null ? null : this.firstAudioAt_ - this.sentAt,
      totalMs: now - this.sentAt,
      cancelled,
      ok: end !== null && !cancelled && this.errors.length === 0,
    };
    this.finished = result;
    this.chunks.length = 0;
    this.emit('end', result);
    this.resolveDone(result);
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ServerFrame> {
    // 'full' mode replays from the start; 'summary' mode keeps no history, so it only sees new frames.
    let index = 0;
    const live: ServerFrame[] = [];
    const onFrame = (f: ServerFrame) => live.push(f);
    if (this.collect === 'summary') this.on('frame', onFrame);
    try {
      for (;;) {
        const source = this.collect === 'full' ? this.history : live;
        if (index < source.length) {
          yield source[index++]!;
          continue;
        }
        if (this.finished) return;
        await new Promise<void>((resolve) => this.waiters.add(resolve));
      }
    } finally {
      this.off('frame', onFrame);
    }
  }
}

type ClientEvents = {
  /** An error frame not tied to an open turn (connection-level, or a late turn-level one). */
  serverError: [ErrorFrame];
  /** Every decoded server frame. */
  frame: [ServerFrame];
  close: [code: number, reason: string];
};

const fromErrorFrame = (f: ErrorFrame): TurnError => ({
  code: f.code,
  message: f.message,
  fatal: f.fatal,
  local: false,
  ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
});

const turnKey = (turn: TurnId): string => (typeof turn === 'number' ? `n:${turn}` : `s:${turn}`);

export class ParleyClient extends EventEmitter<ClientEvents> {
  readonly welcome: WelcomeFrame;
  private readonly ws: WebSocket;
  private readonly turns = new Map<string, TurnHandle>();
  private readonly pings = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextTurn = 1;
  private closedInfo: { code: number; reason: string } | null = null;
  private fatalError: ErrorFrame | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly closedPromise: Promise<void>;
  private lastPingTs = 0;

  private constructor(ws: WebSocket, welcome: WelcomeFrame, heartbeat: boolean) {
    super();
    this.ws = ws;
    this.welcome = welcome;
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.closedPromise = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.onClose(code, reason.toString());
        resolve();
      });
    });
    ws.on('error', () => {
      /* surfaced through 'close' */
    });
    if (heartbeat && welcome.heartbeatMs > 0) {
      this.heartbeat = setInterval(() => this.sendFrame({ t: 'ping', ts: this.pingTs() }), welcome.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /** Opens a connection, sends hello and resolves on welcome. Rejects with a ParleyClientError. */
  static connect(opts: ConnectOptions): Promise<ParleyClient> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let fatal: ErrorFrame | null = null;
      const ws = new WebSocket(opts.url, { perMessageDeflate: false });
      ws.binaryType = 'nodebuffer';
      const fail = (err: ParleyClientError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners('message');
        ws.on('error', () => {});
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
        reject(err);
      };
      const timer = setTimeout(() => fail(new ParleyClientError('connect_timeout', `no welcome from ${opts.url} within ${opts.connectTimeoutMs ?? 10_000} ms`)), opts.connectTimeoutMs ?? 10_000);
      ws.once('open', () => {
        const hello: ClientFrame = { t: 'hello', v: 1, token: opts.token, client: { name: opts.clientName ?? 'parley-node-client', version: opts.clientVersion ?? '0.1.0' } };
        ws.send(encodeFrame(hello));
      });
      ws.on('message', (data, isBinary) => {
        if (settled) return;
        if (!isBinary) return fail(new ParleyClientError('bad_server_frame', 'the server sent a text frame'));
        const r = decodeServerFrame(toBytes(data));
        if (!r.ok) return fail(new ParleyClientError('bad_server_frame', r.error.message));
        const f = r.frame;
        if (f.t === 'welcome') {
          settled = true;
          clearTimeout(timer);
          ws.removeAllListeners('message');
          ws.removeAllListeners('error');
          ws.removeAllListeners('close');
          resolve(new ParleyClient(ws, f, opts.heartbeat ?? true));
        } else if (f.t === 'error') {
          if (f.fatal) fatal = f;
          if (f.fatal) fail(new ParleyClientError(f.code, f.message, f.retryAfterMs));
        }
      });
      ws.on('error', (err: NodeJS.ErrnoException) => {
        fail(new ParleyClientError('connect_failed', `cannot connect to ${opts.url}: ${err.code ?? err.message}`));
      });
      ws.on('close', (code, reason) => {
        if (fatal) fail(new ParleyClientError(fatal.code, fatal.message, fatal.retryAfterMs));
        else fail(new ParleyClientError('connection_closed', `connection closed before welcome (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
      });
    });
  }

  get isOpen(): boolean {
    return this.closedInfo === null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Turns sent and not yet ended. */
  get inFlight(): number {
    return this.turns.size;
  }

  /** Starts a turn. Never throws for connection state: on a closed connection the turn ends at once with a local error. */
  say(opts: SayOptions): TurnHandle {
    const turn = opts.turn ?? this.nextTurn++;
    const key = turnKey(turn);
    if (this.turns.has(key)) throw new Error(`turn ${String(turn)} is still in flight on this connection`);
    const handle = new TurnHandle(turn, opts.npc, performance.now(), opts.collect ?? 'full');
    if (!this.isOpen) {
      handle.failLocally(this.closedError(), handle.sentAt);
      return handle;
    }
    this.turns.set(key, handle);
    void handle.done.then(() => this.turns.delete(key));
    this.sendFrame({ t: 'say', turn, npc: opts.npc, player: opts.player, text: opts.text, ...(opts.tier ? { tier: opts.tier } : {}) });
    return handle;
  }

  /** Barge-in: asks the gateway to stop a turn. Its `end{cancelled:true}` follows. */
  cancel(turn: TurnId, heardMs?: number): void {
    this.sendFrame({ t: 'cancel', turn, ...(heardMs !== undefined ? { heardMs: Math.max(0, heardMs) } : {}) });
  }

  /** Sends a protocol ping; resolves with the round-trip time in ms. */
  ping(timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new ParleyClientError('connection_closed', 'the connection is closed'));
      const ts = this.pingTs();
      const sent = performance.now();
      const timer = setTimeout(() => {
        this.pings.delete(ts);
        reject(new ParleyClientError('connection_closed', `no pong within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pings.set(ts, {
        resolve: () => {
          clearTimeout(timer);
          resolve(performance.now() - sent);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.sendFrame({ t: 'ping', ts });
    });
  }

  /** Closes the connection; open turns end with a local `connection_closed` error. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(1000, 'client closing');
      const kill = setTimeout(() => this.ws.terminate(), 2000);
      await this.closedPromise;
      clearTimeout(kill);
    }
    await this.closedPromise;
  }

  /** Resolves when the connection has closed (for whatever reason). */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  private pingTs(): number {
    // Unique, increasing: wall clock ms with a sub-ms tiebreak.
    const ts = Math.max(Date.now(), this.lastPingTs + 0.001);
    this.lastPingTs = ts;
    return ts;
  }

  private sendFrame(frame: ClientFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(encodeFrame(frame));
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const now = performance.now();
    if (!isBinary) return;
    const r = decodeServerFrame(toBytes(data));
    if (!r.ok) {
      this.emit('serverError', { t: 'error', code: 'bad_frame', message: `undecodable server frame: ${r.error.message}`, fatal: false });
      return;
    }
    const f = r.frame;
    this.emit('frame', f);
    switch (f.t) {
      case 'pong': {
        const waiter = this.pings.get(f.ts);
        if (waiter) {
          this.pings.delete(f.ts);
          waiter.resolve();
        }
        return;
      }
      case 'welcome':
        return;
      case 'error': {
        if (f.fatal) this.fatalError = f;
        const handle = f.turn !== undefined ? this.turns.get(turnKey(f.turn)) : undefined;
        if (handle && !f.fatal) handle.handleFrame(f, now);
        else this.emit('serverError', f);
        return;
      }
      default: {
        const handle = this.turns.get(turnKey(f.turn));
        handle?.handleFrame(f, now);
      }
    }
  }

  private closedError(): TurnError {
    const info = this.closedInfo;
    const why = info ? ` (close ${info.code}${info.reason ? ` ${info.reason}` : ''})` : '';
    if (this.fatalError) return { code: this.fatalError.code, message: `${this.fatalError.message}${why}`, fatal: true, local: true };
    return { code: 'connection_closed', message: `the connection closed${why}`, fatal: true, local: true };
  }

  private onClose(code: number, reason: string): void {
    this.closedInfo = { code, reason };
    if (this.heartbeat) clearInterval(this.heartbeat);
    const now = performance.now();
    const err = this.closedError();
    for (const handle of [...this.turns.values()]) handle.failLocally(err, now);
    this.turns.clear();
    for (const waiter of this.pings.values()) waiter.reject(new ParleyClientError(err.code, err.message));
    this.pings.clear();
    this.emit('close', code, reason);
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** PCM16 LE bytes → a fresh Int16Array (a copy, so alignment and buffer reuse never matter; little-endian host). */
function copyPcm(bytes: Uint8Array, samples: number): Int16Array {
  const out = new Int16Array(samples);
  new Uint8Array(out.buffer).set(bytes.subarray(0, samples * 2));
  return out;
}
