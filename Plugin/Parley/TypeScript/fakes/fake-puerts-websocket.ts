/**
 * A WebSocket with the behaviour of Puerts' `puerts/websocketpp.js` wrapper, carried over a
 * real socket (Node `ws`), so the plugin is tested against what it meets in the engine:
 *
 * - EventTarget only: addEventListener/removeEventListener; no onopen/onmessage properties;
 * - events are queued and dispatched one per 1 ms poll tick (setInterval), never synchronously;
 * - binary messages arrive as ArrayBuffer, text as string, whatever binaryType says;
 * - send() throws when the socket is not open; a subprotocol argument throws;
 * - after a local close() no further events are delivered (the native handles are reset).
 */
import WebSocket from 'ws';

type Listener = (ev: any) => void;
type PendingEvent = { type: 'open' } | { type: 'message'; data: ArrayBuffer | string } | { type: 'close'; code: number; reason: string } | { type: 'error' };

export interface PuertsWebSocketOptions {
  /** Sees every binary message the client receives (for test expectations). */
  tap?: (data: ArrayBuffer) => void;
  /** Every socket created, for tests that pull the plug. */
  created?: PuertsWebSocket[];
}

const STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

export class PuertsWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  binaryType = 'blob'; // ignored, as in Puerts
  private readonly listeners: Record<string, Listener[]> = {};
  private pendingEvents: PendingEvent[] = [];
  private state = PuertsWebSocket.CONNECTING;
  private raw: WebSocket | null;
  private readonly tid: ReturnType<typeof setInterval>;

  constructor(
    readonly url: string,
    protocols?: unknown,
    private readonly opts: PuertsWebSocketOptions = {},
  ) {
    if (protocols) throw new Error('do not support protocols argument');
    const raw = new WebSocket(url, { perMessageDeflate: false });
    this.raw = raw;
    raw.binaryType = 'arraybuffer';
    raw.on('open', () => {
      this.state = PuertsWebSocket.OPEN;
      this.pendingEvents.push({ type: 'open' });
    });
    raw.on('message', (data, isBinary) => {
      if (isBinary) {
        const ab = data as ArrayBuffer;
        this.opts.tap?.(ab);
        this.pendingEvents.push({ type: 'message', data: ab });
      } else this.pendingEvents.push({ type: 'message', data: Buffer.from(data as ArrayBuffer).toString('utf8') });
    });
    raw.on('close', (code, reason) => {
      this.state = PuertsWebSocket.CLOSING;
      this.pendingEvents.push({ type: 'close', code, reason: reason.toString() });
    });
    raw.on('error', () => {
      this.pendingEvents.push({ type: 'error' });
    });
    this.tid = setInterval(() => this.poll(), 1);
    opts.created?.push(this);
  }

  get readyState(): number {
    return this.state;
  }

  addEventListener(type: string, callback: Listener): void {
    (this.listeners[type] ??= []).push(callback);
  }

  removeEventListener(type: string, callback: Listener): void {
    const stack = this.listeners[type];
    const i = stack ? stack.indexOf(callback) : -1;
    if (i >= 0) stack!.splice(i, 1);
  }

  send(data: unknown): void {
    if (this.state !== PuertsWebSocket.OPEN || !this.raw) throw new Error(`WebSocket is not open: readyState ${this.state} (${STATES[this.state]})`);
    if (typeof data === 'string' || ArrayBuffer.isView(data) || Object.prototype.toString.call(data) === '[object ArrayBuffer]') this.raw.send(data as Uint8Array);
    else throw new Error('data must be String/ArrayBuffer/ArrayBufferView');
  }

  close(code?: number, reason?: string): void {
    const raw = this.raw;
    this.raw = null;
    if (raw) {
      raw.removeAllListeners();
      raw.on('error', () => {});
      try {
        raw.close(code ?? 1000, reason);
      } catch {
        raw.terminate();
      }
    }
    this.pendingEvents = [];
    this.state = PuertsWebSocket.CLOSING;
  }

  /** Test helper: the network goes away under this socket (no close handshake). */
  pullThePlug(): void {
    this.raw?.terminate();
  }

  private dispatchEvent(ev: PendingEvent): void {
    for (const l of [...(this.listeners[ev.type] ?? [])]) l.call(this, ev);
  }

  private poll(): void {
    const ev = this.pendingEvents.shift();
    if (ev) this.dispatchEvent(ev);
    if ((this.pendingEvents.length === 0 && this.state === PuertsWebSocket.CLOSING) || ev?.type === 'close') {
      clearInterval(this.tid);
      this.state = PuertsWebSocket.CLOSED;
      this.pendingEvents = [];
    }
  }
}

/** A WebSocket constructor (as the plugin sees the global) that shares `opts` across sockets. */
export function puertsWebSocketClass(opts: PuertsWebSocketOptions = {}): new (url: string) => PuertsWebSocket {
  return class extends PuertsWebSocket {
    constructor(url: string, protocols?: unknown) {
      super(url, protocols, opts);
    }
  };
}
