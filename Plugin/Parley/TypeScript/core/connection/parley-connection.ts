/**
 * One protocol v1 connection to a Parley gateway, shared by every NPC of a game: hello and
 * welcome, heartbeats, turn routing, and reconnect with backoff and jitter after network loss.
 *
 * Guarantees the game relies on:
 * - every `say` ends exactly once: with the gateway's `end` frame, or locally (`onLocalEnd`)
 *   when it could not be sent in time or the link dropped while it was in flight — nothing hangs;
 * - a dropped link is redialled (unless the gateway refused the token or retries ran out),
 *   and says made while reconnecting wait for the new link (up to `sayWaitMs`).
 */
import type { EndFrame, ErrorFrame, PongFrame, ServerFrame, Tier, TurnId, WelcomeFrame } from '@parley/protocol';
import type { Host, TimerHandle } from '../host.js';
import { localError, type ParleyError } from '../errors.js';
import { decodeMessage, encodeMessage } from '../protocol/wire-codec.js';
import { parseServerFrame } from '../protocol/server-frames.js';
import { DEFAULT_RECONNECT, reconnectDelayMs, type ReconnectPolicy } from './backoff.js';
import { WS_OPEN, type WebSocketFactory, type WebSocketLike } from './websocket-like.js';

export const PROTOCOL_VERSION = 1;

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** Frames that belong to one turn. */
export type TurnFrame = Exclude<ServerFrame, WelcomeFrame | PongFrame>;

export interface LocalEnd {
  cancelled: boolean;
  error: ParleyError | null;
}

export interface TurnListener {
  onFrame(frame: TurnFrame): void;
  /** The turn ended without an `end` frame (cancelled before it was sent, never sent, or the link dropped). */
  onLocalEnd(end: LocalEnd): void;
}

export interface SayRequest {
  npc: string;
  player: string;
  text: string;
  tier?: Tier;
  /** Voice override; gateways that do not know the key ignore it (unknown keys are allowed). */
  voice?: string;
}

export interface TurnHandle {
  readonly id: number;
  /** Barge-in: `heardMs` is how much of the reply's audio the player heard. */
  cancel(heardMs?: number): void;
}

export interface ConnectionOptions {
  /** `ws://host:port/v1/ws` or `wss://…`. */
  url: string;
  token: string;
  client?: { name: string; version: string };
  /** Time for one attempt to open and be welcomed (default 10 s). */
  connectTimeoutMs?: number;
  /** How long a say waits for a connection before it fails with `not_connected` (default: connectTimeoutMs). */
  sayWaitMs?: number;
  reconnect?: ReconnectPolicy;
  createSocket: WebSocketFactory;
  host: Host;
}

interface Pending {
  id: number;
  req: SayRequest;
  listener: TurnListener;
  timer: TimerHandle;
}

/** Gateway errors after which redialling cannot help. */
const TERMINAL_CODES = new Set(['unauthorized', 'unsupported_version']);

export class ParleyConnection {
  private ws: WebSocketLike | null = null;
  private current: ConnectionState = 'disconnected';
  private lastDetail = '';
  welcome: WelcomeFrame | null = null;
  private attempt = 0;
  private retryTimer: TimerHandle | null = null;
  private connectTimer: TimerHandle | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private lastHeardAt = 0;
  private nextTurnId = 1;
  private readonly live = new Map<TurnId, TurnListener>();
  private readonly waiting: Pending[] = [];
  private stopped = true;
  /** Set by a fatal gateway error just before it closes the link. */
  private closing: { terminal: boolean; retryAfterMs: number; detail: string } | null = null;
  private token: string;
  private readonly stateListeners = new Set<(state: ConnectionState, detail: string) => void>();
  private readonly errorListeners = new Set<(error: ParleyError) => void>();
  private readonly policy: ReconnectPolicy;
  private readonly connectTimeoutMs: number;
  private readonly sayWaitMs: number;

  constructor(private readonly opts: ConnectionOptions) {
    this.token = opts.token;
    this.policy = opts.reconnect ?? DEFAULT_RECONNECT;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.sayWaitMs = opts.sayWaitMs ?? this.connectTimeoutMs;
  }

  get state(): ConnectionState {
    return this.current;
  }
  /** Why the connection is in its state (close code, error message), for logs and UI. */
  get detail(): string {
    return this.lastDetail;
  }
  get turnsInFlight(): number {
    return this.live.size;
  }

  onState(listener: (state: ConnectionState, detail: string) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Connection-level problems: gateway errors without a turn, bad frames, giving up. */
  onError(listener: (error: ParleyError) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (!this.stopped && this.current !== 'failed' && this.current !== 'disconnected') return;
    this.stopped = false;
    this.attempt = 0;
    this.dial('connecting');
  }

  /** Closes for good: turns in flight end with `connection_lost`, waiting says with `not_connected`. */
  stop(detail = 'stopped by the game'): void {
    this.stopped = true;
    this.dropSocket(1000, 'client stopping');
    this.endLiveTurns(detail);
    this.failWaiting(detail);
    this.setState('disconnected', detail);
  }

  /** Uses a new token (e.g. after the player logged in) and reconnects with it. */
  setToken(token: string): void {
    this.token = token;
    this.reconnectNow('token changed');
  }

  /** Drops the current link (if any) and dials again at once. */
  reconnectNow(detail = 'reconnect requested'): void {
    this.stopped = false;
    this.dropSocket(1000, detail);
    this.endLiveTurns(detail);
    this.attempt = 0;
    this.dial('connecting');
  }

  say(req: SayRequest, listener: TurnListener): TurnHandle {
    const id = this.nextTurnId++;
    const handle: TurnHandle = { id, cancel: (heardMs) => this.cancel(id, heardMs) };
    if (this.current === 'failed') {
      // Deferred so the caller never sees its listener run inside say().
      const message = `not connected to the Parley gateway (${this.lastDetail || 'connection failed'})`;
      this.opts.host.timers.setTimeout(() => listener.onLocalEnd({ cancelled: false, error: localError('not_connected', message) }), 0);
      return handle;
    }
    const timer = this.opts.host.timers.setTimeout(() => this.expireWaiting(id), this.sayWaitMs);
    this.waiting.push({ id, req, listener, timer });
    if (this.current === 'disconnected') this.start();
    else this.flushWaiting();
    return handle;
  }

  private cancel(id: number, heardMs?: number): void {
    const i = this.waiting.findIndex((p) => p.id === id);
    if (i >= 0) {
      const [p] = this.waiting.splice(i, 1);
      this.opts.host.timers.clearTimeout(p!.timer);
      p!.listener.onLocalEnd({ cancelled: true, error: null });
      return;
    }
    const listener = this.live.get(id);
    if (!listener) return;
    const frame = { t: 'cancel', turn: id, ...(heardMs !== undefined && Number.isFinite(heardMs) ? { heardMs: Math.max(0, heardMs) } : {}) };
    if (!this.send(frame)) {
      this.live.delete(id);
      listener.onLocalEnd({ cancelled: true, error: null });
    }
    // Otherwise the gateway answers with end{cancelled} at once.
  }

  private expireWaiting(id: number): void {
    const i = this.waiting.findIndex((p) => p.id === id);
    if (i < 0) return;
    const [p] = this.waiting.splice(i, 1);
    const why = this.current === 'connected' ? 'too many turns in flight' : this.lastDetail || this.current;
    p!.listener.onLocalEnd({ cancelled: false, error: localError('not_connected', `the line was not sent: no connection to the Parley gateway within ${this.sayWaitMs} ms (${why})`) });
  }

  private failWaiting(detail: string): void {
    for (const p of this.waiting.splice(0)) {
      this.opts.host.timers.clearTimeout(p.timer);
      p.listener.onLocalEnd({ cancelled: false, error: localError('not_connected', `not connected to the Parley gateway (${detail})`) });
    }
  }

  private flushWaiting(): void {
    if (this.current !== 'connected') return;
    const max = this.welcome?.maxTurnsInFlight ?? Infinity;
    while (this.waiting.length > 0 && this.live.size < max) {
      const p = this.waiting.shift()!;
      this.opts.host.timers.clearTimeout(p.timer);
      const { npc, player, text, tier, voice } = p.req;
      this.live.set(p.id, p.listener);
      const sent = this.send({ t: 'say', turn: p.id, npc, player, text, ...(tier ? { tier } : {}), ...(voice ? { voice } : {}) });
      if (!sent) {
        this.live.delete(p.id);
        p.listener.onLocalEnd({ cancelled: false, error: localError('connection_lost', 'the connection to the Parley gateway dropped before the line was sent') });
      }
    }
  }

  private endLiveTurns(detail: string): void {
    const lost = [...this.live.values()];
    this.live.clear();
    for (const l of lost) l.onLocalEnd({ cancelled: false, error: localError('connection_lost', `the connection to the Parley gateway was lost mid-reply (${detail})`) });
  }

  private dial(state: 'connecting' | 'reconnecting'): void {
    this.clearTimer('retryTimer');
    if (!/^wss?:\/\/[^/\s]+/i.test(this.opts.url)) {
      return this.giveUp(`the gateway URL "${this.opts.url}" is not a ws:// or wss:// URL (Project Settings > Plugins > Parley)`);
    }
    this.setState(state, this.lastDetail);
    let ws: WebSocketLike;
    try {
      ws = this.opts.createSocket(this.opts.url);
    } catch (err) {
      return this.onDrop(`cannot open ${this.opts.url}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.ws = ws;
    this.closing = null;
    try {
      ws.binaryType = 'arraybuffer';
    } catch {
      /* read-only in some hosts; binary arrives as ArrayBuffer there anyway */
    }
    ws.addEventListener('open', () => {
      if (ws !== this.ws) return;
      this.send({ t: 'hello', v: PROTOCOL_VERSION, token: this.token, ...(this.opts.client ? { client: this.opts.client } : {}) });
    });
    ws.addEventListener('message', (ev) => {
      if (ws === this.ws) this.onMessage(ev.data);
    });
    ws.addEventListener('close', (ev) => {
      if (ws !== this.ws) return;
      const c = this.closing;
      const detail = c?.detail ?? `connection closed (code ${ev.code ?? 1006}${ev.reason ? `: ${ev.reason}` : ''})`;
      this.onDrop(detail, c?.retryAfterMs ?? 0, c?.terminal ?? false);
    });
    ws.addEventListener('error', () => {
      /* a close event follows */
    });
    this.connectTimer = this.opts.host.timers.setTimeout(() => {
      if (ws === this.ws) this.onDrop(`no welcome from the gateway within ${this.connectTimeoutMs} ms`);
    }, this.connectTimeoutMs);
  }

  private onMessage(data: unknown): void {
    this.lastHeardAt = this.opts.host.now();
    const raw = decodeMessage(data);
    const parsed = raw.ok ? parseServerFrame(raw.value) : { kind: 'invalid' as const, message: raw.message };
    if (parsed.kind === 'ignored') return; // a frame type newer than this plugin
    if (parsed.kind === 'invalid') {
      this.emitError(localError('bad_server_frame', `ignored a malformed frame from the gateway: ${parsed.message}`));
      return;
    }
    const f = parsed.frame;
    switch (f.t) {
      case 'welcome':
        return this.onWelcome(f);
      case 'pong':
        return;
      case 'error':
        return this.onErrorFrame(f);
      default: {
        const listener = this.live.get(f.turn);
        if (!listener) return; // late frames of a turn that already ended locally
        if (f.t === 'end') this.onEnd(f);
        listener.onFrame(f);
        if (f.t === 'end') this.flushWaiting();
      }
    }
  }

  private onEnd(f: EndFrame): void {
    this.live.delete(f.turn);
  }

  private onWelcome(f: WelcomeFrame): void {
    this.welcome = f;
    this.attempt = 0;
    this.clearTimer('connectTimer');
    this.setState('connected', `session ${f.session}`);
    this.startHeartbeat(f.heartbeatMs);
    this.flushWaiting();
  }

  private onErrorFrame(f: ErrorFrame): void {
    const error: ParleyError = { code: f.code, message: f.message, fatal: f.fatal, local: false, ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}) };
    const listener = f.turn !== undefined ? this.live.get(f.turn) : undefined;
    if (listener) return listener.onFrame(f); // its end follows
    if (f.fatal) this.closing = { terminal: TERMINAL_CODES.has(f.code), retryAfterMs: f.retryAfterMs ?? 0, detail: `${f.code}: ${f.message}` };
    this.emitError(error);
  }

  private startHeartbeat(heartbeatMs: number): void {
    this.clearTimer('heartbeatTimer');
    const every = Math.max(1000, heartbeatMs || 15_000);
    // Silence for two heartbeats (the gateway answers every ping at once) means the link is dead
    // even if the socket has not noticed yet (a cable pulled, a NAT dropping the flow).
    const deadAfter = every * 2 + 1000;
    this.lastHeardAt = this.opts.host.now();
    this.heartbeatTimer = this.opts.host.timers.setInterval(() => {
      if (this.opts.host.now() - this.lastHeardAt > deadAfter) return this.onDrop(`no answer from the gateway for ${deadAfter} ms`);
      this.send({ t: 'ping', ts: this.opts.host.now() });
    }, every);
  }

  private onDrop(detail: string, retryAfterMs = 0, terminal = false): void {
    this.dropSocket(1000, 'reconnecting');
    this.endLiveTurns(detail);
    if (this.stopped) return;
    if (terminal) return this.giveUp(detail);
    if (!this.policy.enabled) {
      this.failWaiting(detail);
      return this.setState('disconnected', detail);
    }
    if (this.policy.maxAttempts > 0 && this.attempt >= this.policy.maxAttempts) return this.giveUp(`${detail}; gave up after ${this.attempt} reconnect attempts`);
    const delay = Math.max(retryAfterMs, reconnectDelayMs(this.attempt++, this.policy, this.opts.host.random));
    this.setState('reconnecting', detail);
    this.opts.host.log.warn(`lost the gateway (${detail}); reconnecting in ${Math.round(delay)} ms`);
    this.retryTimer = this.opts.host.timers.setTimeout(() => this.dial('reconnecting'), delay);
  }

  private giveUp(detail: string): void {
    this.dropSocket(1000, 'giving up');
    this.clearTimer('retryTimer');
    this.failWaiting(detail);
    this.setState('failed', detail);
    this.emitError(localError('connect_failed', detail, true));
  }

  private dropSocket(code: number, reason: string): void {
    this.clearTimer('connectTimer');
    this.clearTimer('heartbeatTimer');
    this.clearTimer('retryTimer');
    const ws = this.ws;
    this.ws = null;
    this.welcome = null;
    if (ws) {
      try {
        ws.close(code, reason);
      } catch {
        /* already closed */
      }
    }
  }

  /** Sends one frame; false when the link is not open or the host refused the write. */
  private send(frame: object): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return false;
    try {
      ws.send(encodeMessage(frame));
      return true;
    } catch {
      return false; // Puerts throws when the socket closed under us; the close event follows
    }
  }

  private clearTimer(which: 'retryTimer' | 'connectTimer' | 'heartbeatTimer'): void {
    const h = this[which];
    if (h === null) return;
    if (which === 'heartbeatTimer') this.opts.host.timers.clearInterval(h);
    else this.opts.host.timers.clearTimeout(h);
    this[which] = null;
  }

  private setState(state: ConnectionState, detail: string): void {
    this.lastDetail = detail;
    if (state === this.current) return;
    this.current = state;
    for (const l of this.stateListeners) l(state, detail);
  }

  private emitError(error: ParleyError): void {
    if (this.errorListeners.size === 0) this.opts.host.log.warn(`${error.code}: ${error.message}`);
    for (const l of this.errorListeners) l(error);
  }
}
