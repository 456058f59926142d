import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { decodeClientFrame, encodeFrame, int16ToPcmBytes, type ClientFrame, type SayFrame, type ServerFrame } from '@parley/protocol';
import { ParleyClient, ParleyClientError } from './parley-client.js';

/** A tiny protocol-v1 server; `onSay` scripts each test's replies. */
interface TinyServer {
  url: string;
  received: ClientFrame[];
  sockets: WebSocket[];
  close(): Promise<void>;
}

type SayHandler = (say: SayFrame, send: (f: ServerFrame) => void, ws: WebSocket) => void;

async function tinyServer(onSay: SayHandler = () => {}, opts: { token?: string } = {}): Promise<TinyServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/v1/ws' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const received: ClientFrame[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => {
    sockets.push(ws);
    const send = (f: ServerFrame) => ws.send(encodeFrame(f));
    ws.on('message', (data) => {
      const r = decodeClientFrame(data as Buffer);
      if (!r.ok) return send({ t: 'error', code: 'bad_frame', message: r.error.message, fatal: false });
      const f = r.frame;
      received.push(f);
      if (f.t === 'hello') {
        if (f.token !== (opts.token ?? 'tok')) {
          send({ t: 'error', code: 'unauthorized', message: 'invalid token', fatal: true });
          ws.close(1008, 'unauthorized');
          return;
        }
        send({ t: 'welcome', v: 1, session: 's-1', heartbeatMs: 15000, maxFrameBytes: 65536, maxTurnsInFlight: 8, idleTimeoutMs: 60000 });
      } else if (f.t === 'say') onSay(f, send, ws);
      else if (f.t === 'ping') send({ t: 'pong', ts: f.ts });
      else if (f.t === 'cancel') {
        send({ t: 'end', turn: f.turn, text: '', tier: 'gold', degraded: false, cancelled: true, reason: 'cancelled', timings: { queueMs: 0, firstTextMs: null, firstAudioMs: null, totalMs: 5 } });
      }
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/v1/ws`,
    received,
    sockets,
    close: () =>
      new Promise((r) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => r());
      }),
  };
}

const pcm = (values: number[]) => int16ToPcmBytes(Int16Array.from(values));
const timings = { queueMs: 0.4, firstTextMs: 2, firstAudioMs: 30, totalMs: 120 };

let server: TinyServer | null = null;
let client: ParleyClient | null = null;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = null;
  server = null;
});

describe('ParleyClient', () => {
  it('connects, streams a turn and aggregates the result', async () => {
    server = await tinyServer((say, send) => {
      send({ t: 'emotion', turn: say.turn, label: 'contempt', intensity: 0.7 });
      send({ t: 'text', turn: say.turn, delta: 'Ah, ' });
      send({ t: 'visemes', turn: say.turn, seq: 1, frames: [[10, 1, 2, 1]] });
      send({ t: 'visemes', turn: say.turn, seq: 0, frames: [[0, 0, 1, 1]] });
      // chunks arrive out of order: the result orders them by startMs
      send({ t: 'audio', turn: say.turn, seq: 1, rate: 8000, pcm: pcm([3, 4]), startMs: 0.25 });
      send({ t: 'audio', turn: say.turn, seq: 0, rate: 8000, pcm: pcm([1, 2]), startMs: 0 });
      send({ t: 'text', turn: say.turn, delta: 'a guest.' });
      send({ t: 'end', turn: say.turn, text: 'Ah, a guest.', tier: 'gold', degraded: false, cancelled: false, reason: 'completed', audioMs: 4, timings });
    });
    client = await ParleyClient.connect({ url: server.url, token: 'tok', clientName: 'test' });
    expect(client.welcome.session).toBe('s-1');
    const turn = client.say({ npc: 'vampire-lord', player: 'p1', text: 'Good evening.', tier: 'gold' });
    const texts: string[] = [];
    turn.on('text', (f) => texts.push(f.delta));
    const kinds: string[] = [];
    for await (const f of turn) kinds.push(f.t);
    const r = await turn.done;
    expect(kinds).toEqual(['emotion', 'text', 'visemes', 'visemes', 'audio', 'audio', 'text', 'end']);
    expect(texts).toEqual(['Ah, ', 'a guest.']);
    expect(r.ok).toBe(true);
    expect(r.text).toBe('Ah, a guest.');
    expect(r.end?.tier).toBe('gold');
    expect(r.emotions).toEqual([{ label: 'contempt', intensity: 0.7 }]);
    expect([...r.audio]).toEqual([1, 2, 3, 4]);
    expect(r.sampleRate).toBe(8000);
    expect(r.audioMs).toBeCloseTo(0.5);
    expect(r.audioChunks).toBe(2);
    expect(r.visemes).toEqual([[0, 0, 1, 1], [10, 1, 2, 1]]);
    expect(r.firstTextMs).not.toBeNull();
    expect(r.firstAudioMs).toBeGreaterThanOrEqual(r.firstTextMs!);
    expect(r.totalMs).toBeGreaterThanOrEqual(r.firstAudioMs!);
    const say = server.received.find((f) => f.t === 'say');
    expect(say).toMatchObject({ t: 'say', npc: 'vampire-lord', player: 'p1', text: 'Good evening.', tier: 'gold' });
    expect(server.received[0]).toMatchObject({ t: 'hello', v: 1, token: 'tok', client: { name: 'test' } });
  });

  it('multiplexes turns and numbers them', async () => {
    server = await tinyServer((say, send) => {
      setTimeout(() => send({ t: 'end', turn: say.turn, text: say.text, tier: 'bronze', degraded: false, cancelled: false, timings }), say.text === 'slow' ? 30 : 1);
    });
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const a = client.say({ npc: 'zombie', player: 'p', text: 'slow' });
    const b = client.say({ npc: 'zombie', player: 'p', text: 'fast' });
    expect(client.inFlight).toBe(2);
    const order: string[] = [];
    await Promise.all([a.done.then((r) => order.push(r.end!.text)), b.done.then((r) => order.push(r.end!.text))]);
    expect(order).toEqual(['fast', 'slow']);
    expect([a.turn, b.turn]).toEqual([1, 2]);
    expect(client.inFlight).toBe(0);
    expect(() => {
      client!.say({ npc: 'zombie', player: 'p', text: 'x', turn: 'same' });
      client!.say({ npc: 'zombie', player: 'p', text: 'y', turn: 'same' });
    }).toThrow(/still in flight/);
  });

  it('rejects connect with the fatal error code and message', async () => {
    server = await tinyServer();
    const err = await ParleyClient.connect({ url: server.url, token: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParleyClientError);
    expect((err as ParleyClientError).code).toBe('unauthorized');
    expect((err as ParleyClientError).message).toMatch(/unauthorized: invalid token/);
  });

  it('rejects connect when nothing listens', async () => {
    server = await tinyServer();
    const url = server.url;
    await server.close();
    server = null;
    const err = await ParleyClient.connect({ url, token: 'tok' }).catch((e: unknown) => e);
    expect((err as ParleyClientError).code).toBe('connect_failed');
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('routes turn errors to the turn and connection errors to serverError', async () => {
    server = await tinyServer((say, send) => {
      send({ t: 'error', turn: say.turn, code: 'overloaded', message: 'no worker', retryAfterMs: 500, fatal: false });
      send({ t: 'end', turn: say.turn, text: '', tier: null, degraded: false, cancelled: false, reason: 'rejected', timings: { queueMs: null, firstTextMs: null, firstAudioMs: null, totalMs: 3 } });
      send({ t: 'error', code: 'bad_frame', message: 'something odd', fatal: false });
    });
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const connErrors: string[] = [];
    client.on('serverError', (f) => connErrors.push(f.code));
    const r = await client.say({ npc: 'zombie', player: 'p', text: 'hi' }).done;
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([{ code: 'overloaded', message: 'no worker', retryAfterMs: 500, fatal: false, local: false }]);
    expect(r.end?.reason).toBe('rejected');
    await client.ping();
    expect(connErrors).toEqual(['bad_frame']);
  });

  it('cancel sends heardMs and the turn ends cancelled', async () => {
    server = await tinyServer((say, send) => send({ t: 'text', turn: say.turn, delta: 'Long story…' }));
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const turn = client.say({ npc: 'oracle', player: 'p', text: 'tell me' });
    turn.once('text', () => client!.cancel(turn.turn, 120));
    const r = await turn.done;
    expect(r.cancelled).toBe(true);
    expect(r.ok).toBe(false);
    expect(server.received.find((f) => f.t === 'cancel')).toEqual({ t: 'cancel', turn: turn.turn, heardMs: 120 });
  });

  it('ping resolves with a round-trip time', async () => {
    server = await tinyServer();
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const rtt = await client.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(1000);
  });

  it('a dropped connection ends every open turn with a local error', async () => {
    server = await tinyServer((say, send, ws) => {
      send({ t: 'text', turn: say.turn, delta: 'Hm' });
      if (say.text === 'drop') setTimeout(() => ws.terminate(), 10);
    });
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const a = client.say({ npc: 'guard', player: 'p', text: 'wait' });
    const b = client.say({ npc: 'guard', player: 'p', text: 'drop' });
    const closed = new Promise<number>((r) => client!.once('close', (code) => r(code)));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    for (const r of [ra, rb]) {
      expect(r.end).toBeNull();
      expect(r.text).toBe('Hm');
      expect(r.errors[0]).toMatchObject({ code: 'connection_closed', local: true, fatal: true });
    }
    expect(await closed).toBe(1006);
    expect(client.isOpen).toBe(false);
    const late = await client.say({ npc: 'guard', player: 'p', text: 'anyone?' }).done;
    expect(late.errors[0]?.code).toBe('connection_closed');
    await expect(client.ping()).rejects.toThrow(/closed/);
  });

  it('a fatal error mid-session surfaces as an event and ends turns with its code', async () => {
    server = await tinyServer((_say, send, ws) => {
      send({ t: 'error', code: 'shutting_down', message: 'the gateway is shutting down', retryAfterMs: 1000, fatal: true });
      ws.close(1001, 'shutting down');
    });
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const events: string[] = [];
    client.on('serverError', (f) => events.push(`${f.code}:${f.fatal}`));
    const r = await client.say({ npc: 'guard', player: 'p', text: 'hi' }).done;
    expect(events).toEqual(['shutting_down:true']);
    expect(r.errors[0]).toMatchObject({ code: 'shutting_down', local: true });
    expect(r.errors[0]?.message).toMatch(/1001/);
  });

  it("'summary' collection keeps counters, not samples", async () => {
    server = await tinyServer((say, send) => {
      send({ t: 'audio', turn: say.turn, seq: 0, rate: 16000, pcm: pcm(new Array(160).fill(1)), startMs: 0 });
      send({ t: 'end', turn: say.turn, text: 'x', tier: 'bronze', degraded: true, cancelled: false, timings });
    });
    client = await ParleyClient.connect({ url: server.url, token: 'tok' });
    const r = await client.say({ npc: 'zombie', player: 'p', text: 'hi', collect: 'summary' }).done;
    expect(r.audio.length).toBe(0);
    expect(r.audioMs).toBeCloseTo(10);
    expect(r.audioChunks).toBe(1);
    expect(r.end?.degraded).toBe(true);
  });
});
