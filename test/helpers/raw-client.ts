/**
 * A deliberately low-level protocol client for end-to-end tests: it sends exactly the bytes
 * a test asks for and records every frame and the close, so tests can prove what the
 * gateway does with bad input as well as good.
 */
import WebSocket from 'ws';
import { decodeServerFrame, encodeFrame, type ServerFrame, type TurnId } from '@parley/protocol';

export class RawClient {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) throw new Error('gateway sent a text frame');
      const r = decodeServerFrame(data as Buffer);
      if (!r.ok) throw new Error(`gateway sent an invalid frame: ${r.error.message}`);
      this.frames.push(r.frame);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const c = new RawClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('error', reject);
    });
  }

  /** Opens, says hello and waits for welcome. */
  static async connect(url: string, token: string): Promise<RawClient> {
    const c = await RawClient.open(url);
    c.send({ t: 'hello', v: 1, token, client: { name: 'e2e', version: '1' } });
    await c.waitFor((f) => f.t === 'welcome');
    return c;
  }

  send(frame: object): void {
    this.ws.send(encodeFrame(frame));
  }

  sendBytes(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until a frame matches (searching frames already received too). */
  async waitFor<F extends ServerFrame>(pred: (f: ServerFrame) => f is F, timeoutMs?: number): Promise<F>;
  async waitFor(pred: (f: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  async waitFor(pred: (f: ServerFrame) => boolean, timeoutMs = 10_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.frames.find(pred);
      if (hit) return hit;
      if (this.closed) throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) before the expected frame; got ${this.frames.map((f) => f.t).join(',')}`);
      if (Date.now() > deadline) throw new Error(`timed out; got ${this.frames.map((f) => f.t).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection did not close');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closed;
  }

  /** Sends a say and resolves with all of that turn's frames once its end arrives. */
  async turn(turn: TurnId, npc: string, text: string, extra: object = {}): Promise<ServerFrame[]> {
    this.send({ t: 'say', turn, npc, player: 'e2e-player', text, ...extra });
    await this.waitFor((f) => f.t === 'end' && f.turn === turn, 20_000);
    return this.framesOf(turn);
  }

  framesOf(turn: TurnId): ServerFrame[] {
    return this.frames.filter((f) => 'turn' in f && f.turn === turn);
  }

  close(): void {
    this.ws.close();
  }
}
