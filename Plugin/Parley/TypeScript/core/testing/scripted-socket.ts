/**
 * Test double for the core's WebSocket: records what the client sends (decoded with the
 * gateway's own validating decoder) and lets a test play the gateway's part frame by frame.
 */
import { decodeClientFrame, decodeRaw, encodeFrame, type ClientFrame, type ServerFrame } from '@parley/protocol';
import type { CloseEventLike, MessageEventLike, WebSocketLike } from '../connection/websocket-like.js';

type Listeners = { open: ((ev: unknown) => void)[]; message: ((ev: MessageEventLike) => void)[]; close: ((ev: CloseEventLike) => void)[]; error: ((ev: unknown) => void)[] };

export class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  binaryType = 'blob';
  readonly sent: ClientFrame[] = [];
  /** The same frames before validation (keys the gateway would ignore included). */
  readonly rawSent: Record<string, unknown>[] = [];
  closedByClient: { code?: number; reason?: string } | null = null;
  private readonly l: Listeners = { open: [], message: [], close: [], error: [] };

  constructor(readonly url: string) {}

  addEventListener(type: keyof Listeners, listener: (ev: any) => void): void {
    this.l[type].push(listener);
  }
  send(data: Uint8Array): void {
    if (this.readyState !== 1) throw new Error('WebSocket is not open');
    const r = decodeClientFrame(data);
    if (!r.ok) throw new Error(`client sent an invalid frame: ${r.error.message}`);
    this.sent.push(r.frame);
    const raw = decodeRaw(data);
    if (raw.ok) this.rawSent.push(raw.frame as Record<string, unknown>);
  }
  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }

  // ── the gateway's side ──
  open(): void {
    this.readyState = 1;
    for (const f of this.l.open) f({});
  }
  receive(frame: ServerFrame | Record<string, unknown>): void {
    const bytes = encodeFrame(frame);
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    for (const f of this.l.message) f({ data: ab });
  }
  welcome(extra: Partial<Extract<ServerFrame, { t: 'welcome' }>> = {}): void {
    this.receive({ t: 'welcome', v: 1, session: 's1', heartbeatMs: 15000, maxFrameBytes: 65536, maxTurnsInFlight: 8, idleTimeoutMs: 120000, ...extra });
  }
  serverClose(code = 1006, reason = ''): void {
    this.readyState = 3;
    for (const f of this.l.close) f({ code, reason });
  }
  lastSent<T extends ClientFrame['t']>(t: T): Extract<ClientFrame, { t: T }> | undefined {
    return [...this.sent].reverse().find((f): f is Extract<ClientFrame, { t: T }> => f.t === t);
  }
}

/** A factory that remembers every socket it made. */
export function scriptedSockets(): { sockets: ScriptedSocket[]; create: (url: string) => ScriptedSocket; last: () => ScriptedSocket } {
  const sockets: ScriptedSocket[] = [];
  return {
    sockets,
    create: (url) => {
      const s = new ScriptedSocket(url);
      sockets.push(s);
      return s;
    },
    last: () => {
      const s = sockets[sockets.length - 1];
      if (!s) throw new Error('no socket was created');
      return s;
    },
  };
}
