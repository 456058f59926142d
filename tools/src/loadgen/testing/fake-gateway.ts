/**
 * A fake Parley gateway for tests and for measuring the load generator itself: a real `ws`
 * server on loopback speaking protocol v1, answering every `say` with a known, injected
 * timing (no worker, no speech): emotion + first text after `firstTextMs`, the first audio
 * chunk after `firstAudioMs`, further chunks every `chunkIntervalMs`, then `end`.
 *
 * `pause(ms)` stalls it like a GC pause or a stuck event loop, without blocking the process:
 * frames due during the pause are held and flushed when it ends, and a `say` received during
 * the pause starts its clock at the end of the pause.
 *
 * Run standalone: `npx tsx tools/src/loadgen/testing/fake-gateway.ts [--port 8788] [--first-audio-ms 20]`.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { decodeClientFrame, encodeFrame, type ServerFrame, type Tier, type TurnId } from '@parley/protocol';
import { createRng } from '../rng.js';

export type Delay = number | { kind: 'fixed'; ms: number } | { kind: 'uniform'; min: number; max: number };

export interface FakeGatewayOptions {
  port?: number;
  host?: string;
  token?: string;
  firstTextMs?: Delay;
  firstAudioMs?: Delay;
  audioChunks?: number;
  chunkIntervalMs?: number;
  /** Audio per chunk (ms of PCM16 at `sampleRate`). */
  chunkAudioMs?: number;
  sampleRate?: number;
  maxTurnsInFlight?: number;
  /** Every n-th say gets an `overloaded` error and a rejected end (0 = never). */
  failEvery?: number;
  /** Every n-th say is served degraded by a lower tier (0 = never). */
  degradeEvery?: number;
  seed?: number;
}

const drawer = (d: Delay, rng: () => number): (() => number) => {
  if (typeof d === 'number') return () => d;
  if (d.kind === 'fixed') return () => d.ms;
  return () => d.min + rng() * (d.max - d.min);
};

const LOWER: Record<Tier, Tier> = { gold: 'silver', silver: 'bronze', bronze: 'bronze' };

export interface FakeGatewayStats {
  connections: number;
  says: number;
  cancels: number;
  ends: number;
}

export class FakeGateway {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly stats: FakeGatewayStats = { connections: 0, says: 0, cancels: 0, ends: 0 };
  private readonly wss: WebSocketServer;
  private pausedUntil = 0;
  private held: (() => void)[] = [];
  private resumeTimer: NodeJS.Timeout | null = null;

  private constructor(wss: WebSocketServer, token: string, opts: FakeGatewayOptions) {
    this.wss = wss;
    this.token = token;
    const addr = wss.address() as AddressInfo;
    this.port = addr.port;
    this.url = `ws://${opts.host ?? '127.0.0.1'}:${addr.port}/v1/ws`;
    const rng = createRng(opts.seed ?? 1);
    const textDelay = drawer(opts.firstTextMs ?? 5, rng.next);
    const audioDelay = drawer(opts.firstAudioMs ?? 20, rng.next);
    const chunks = opts.audioChunks ?? 3;
    const interval = opts.chunkIntervalMs ?? 10;
    const rate = opts.sampleRate ?? 16000;
    const chunkMs = opts.chunkAudioMs ?? 100;
    const pcm = new Uint8Array(Math.round((rate * chunkMs) / 1000) * 2);
    const failEvery = opts.failEvery ?? 0;
    const degradeEvery = opts.degradeEvery ?? 0;

    wss.on('connection', (ws: WebSocket) => {
      this.stats.connections++;
      let authed = false;
      const turns = new Map<string, { timers: NodeJS.Timeout[]; cancelled: boolean }>();
      const key = (t: TurnId) => `${typeof t}:${t}`;
      const send = (f: ServerFrame) => this.deliver(() => ws.readyState === ws.OPEN && ws.send(encodeFrame(f)));
      ws.on('close', () => {
        for (const t of turns.values()) for (const tm of t.timers) clearTimeout(tm);
        turns.clear();
      });
      ws.on('message', (data, isBinary) => {
        this.whenRunning(() => {
          if (!isBinary) return;
          const r = decodeClientFrame(data as Buffer);
          if (!r.ok) return send({ t: 'error', code: 'bad_frame', message: r.error.message, fatal: false, ...(r.error.turn !== undefined ? { turn: r.error.turn } : {}) });
          const f = r.frame;
          if (!authed) {
            if (f.t !== 'hello' || f.token !== token) {
              send({ t: 'error', code: 'unauthorized', message: f.t === 'hello' ? 'invalid token' : 'send hello first', fatal: true });
              this.deliver(() => ws.close(1008, 'unauthorized'));
              return;
            }
            authed = true;
            return send({ t: 'welcome', v: 1, session: `fake-${this.stats.connections}`, heartbeatMs: 15000, maxFrameBytes: 65536, maxTurnsInFlight: opts.maxTurnsInFlight ?? 1024, idleTimeoutMs: 120000 });
          }
          if (f.t === 'ping') return send({ t: 'pong', ts: f.ts });
          if (f.t === 'cancel') {
            const t = turns.get(key(f.turn));
            if (!t) return send({ t: 'error', turn: f.turn, code: 'unknown_turn', message: 'no such turn in flight', fatal: false });
            for (const tm of t.timers) clearTimeout(tm);
            turns.delete(key(f.turn));
            this.stats.cancels++;
            this.stats.ends++;
            return send({ t: 'end', turn: f.turn, text: '', tier: 'gold', degraded: false, cancelled: true, reason: 'cancelled', timings: { queueMs: 0, firstTextMs: null, firstAudioMs: null, totalMs: 1 } });
          }
          if (f.t !== 'say') return;
          const n = ++this.stats.says;
          if (turns.has(key(f.turn))) return send({ t: 'error', turn: f.turn, code: 'duplicate_turn', message: 'turn in flight', fatal: false });
          const requested: Tier = f.tier ?? 'bronze';
          if (failEvery > 0 && n % failEvery === 0) {
            send({ t: 'error', turn: f.turn, code: 'overloaded', message: 'injected overload', retryAfterMs: 100, fatal: false });
            this.stats.ends++;
            return send({ t: 'end', turn: f.turn, text: '', tier: null, degraded: false, cancelled: false, reason: 'rejected', timings: { queueMs: null, firstTextMs: null, firstAudioMs: null, totalMs: 0 } });
          }
          const degraded = degradeEvery > 0 && n % degradeEvery === 0;
          const served = degraded ? LOWER[requested] : requested;
          const t0 = performance.now();
          const dText = textDelay();
          const dAudio = audioDelay();
          const entry = { timers: [] as NodeJS.Timeout[], cancelled: false };
          turns.set(key(f.turn), entry);
          const reply = `You said: ${f.text.slice(0, 40)}`;
          entry.timers.push(
            setTimeout(() => {
              send({ t: 'emotion', turn: f.turn, label: 'neutral', intensity: 0.5 });
              send({ t: 'text', turn: f.turn, delta: reply });
            }, dText),
          );
          for (let i = 0; i < chunks; i++) {
            const last = i === chunks - 1;
            entry.timers.push(
              setTimeout(() => {
                send({ t: 'visemes', turn: f.turn, seq: i, frames: [[10, i * chunkMs, (i + 1) * chunkMs, 1]] });
                send({ t: 'audio', turn: f.turn, seq: i, rate, pcm, startMs: i * chunkMs, durationMs: chunkMs });
                if (last) {
                  turns.delete(key(f.turn));
                  this.stats.ends++;
                  const total = performance.now() - t0;
                  send({ t: 'end', turn: f.turn, text: reply, tier: served, degraded, cancelled: false, reason: 'completed', audioMs: chunks * chunkMs, timings: { queueMs: 0, firstTextMs: dText, firstAudioMs: dAudio, totalMs: total } });
                }
              }, dAudio + i * interval),
            );
          }
        });
      });
    });
  }

  static async start(opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const wss = new WebSocketServer({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', path: '/v1/ws', perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new FakeGateway(wss, opts.token ?? 'test-token', opts);
  }

  /** Stalls every reply for `ms` from now (see the file comment). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => this.resume(), Math.max(0, this.pausedUntil - performance.now()));
  }

  get paused(): boolean {
    return performance.now() < this.pausedUntil;
  }

  private resume(): void {
    this.resumeTimer = null;
    const left = this.pausedUntil - performance.now();
    if (left > 0) {
      // Timers can fire a fraction of a millisecond early: wait out the rest.
      this.resumeTimer = setTimeout(() => this.resume(), Math.ceil(left));
      return;
    }
    const held = this.held;
    this.held = [];
    for (const f of held) f();
  }

  private deliver(f: () => unknown): void {
    if (this.paused) this.held.push(() => void f());
    else f();
  }

  private whenRunning(f: () => void): void {
    if (this.paused) this.held.push(f);
    else f();
  }

  /** Drops every client connection at once (like a gateway crash), keeping the listener. */
  dropConnections(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  async close(): Promise<void> {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8788' },
      token: { type: 'string', default: 'test-token' },
      'first-text-ms': { type: 'string', default: '5' },
      'first-audio-ms': { type: 'string', default: '20' },
      chunks: { type: 'string', default: '3' },
    },
  });
  const gw = await FakeGateway.start({ port: Number(values.port), token: values.token, firstTextMs: Number(values['first-text-ms']), firstAudioMs: Number(values['first-audio-ms']), audioChunks: Number(values.chunks) });
  console.error(`fake gateway on ${gw.url} (token ${gw.token}); Ctrl-C stops`);
  process.on('SIGINT', () => void gw.close().then(() => process.exit(0)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`fake gateway: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
