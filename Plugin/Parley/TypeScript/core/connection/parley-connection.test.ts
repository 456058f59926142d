import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Host } from '../host.js';
import { scriptedSockets } from '../testing/scripted-socket.js';
import { reconnectDelayMs, type ReconnectPolicy } from './backoff.js';
import { ParleyConnection, type ConnectionState, type LocalEnd, type TurnFrame, type TurnListener } from './parley-connection.js';

const policy: ReconnectPolicy = { enabled: true, initialDelayMs: 500, maxDelayMs: 8000, maxAttempts: 0 };

function setup(opts: { random?: () => number; reconnect?: ReconnectPolicy; sayWaitMs?: number; url?: string } = {}) {
  const net = scriptedSockets();
  const logs: string[] = [];
  const host: Host = {
    timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout), setInterval: (f, ms) => setInterval(f, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) },
    now: () => Date.now(),
    random: opts.random ?? (() => 0.5),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
  };
  const conn = new ParleyConnection({ url: opts.url ?? 'ws://gw.test/v1/ws', token: 'tok-123456', client: { name: 't', version: '1' }, connectTimeoutMs: 3000, sayWaitMs: opts.sayWaitMs ?? 3000, reconnect: opts.reconnect ?? policy, createSocket: net.create, host });
  const states: [ConnectionState, string][] = [];
  conn.onState((s, d) => states.push([s, d]));
  const errors: string[] = [];
  conn.onError((e) => errors.push(e.code));
  return { conn, net, states, errors, logs };
}

function recorder(): TurnListener & { frames: TurnFrame[]; ends: LocalEnd[] } {
  const frames: TurnFrame[] = [];
  const ends: LocalEnd[] = [];
  return { frames, ends, onFrame: (f) => frames.push(f), onLocalEnd: (e) => ends.push(e) };
}

const end = (turn: number, extra = {}) => ({ t: 'end', turn, text: 'ok', tier: 'silver', degraded: false, cancelled: false, reason: 'completed', audioMs: 0, timings: { queueMs: 1, firstTextMs: 2, firstAudioMs: 3, totalMs: 4 }, ...extra }) as const;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('reconnect backoff', () => {
  it('doubles up to the cap, half fixed and half random', () => {
    const p = { enabled: true, initialDelayMs: 500, maxDelayMs: 8000, maxAttempts: 0 };
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => reconnectDelayMs(a, p, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect([0, 1, 5].map((a) => reconnectDelayMs(a, p, () => 0.999999))).toEqual([500, 1000, 8000].map((x) => expect.closeTo(x, 2)));
  });
});

describe('ParleyConnection', () => {
  it('says hello with the token and becomes connected on welcome', () => {
    const { conn, net, states } = setup();
    conn.start();
    const ws = net.last();
    expect(ws.binaryType).toBe('arraybuffer');
    ws.open();
    expect(ws.sent[0]).toEqual({ t: 'hello', v: 1, token: 'tok-123456', client: { name: 't', version: '1' } });
    ws.welcome();
    expect(conn.state).toBe('connected');
    expect(states.map((s) => s[0])).toEqual(['connecting', 'connected']);
  });

  it('queues a say made while connecting and sends it after welcome', () => {
    const { conn, net } = setup();
    const r = recorder();
    const handle = conn.say({ npc: 'innkeeper', player: 'p1', text: 'Hello there' }, r);
    expect(conn.state).toBe('connecting'); // a say starts the connection
    net.last().open();
    expect(net.last().lastSent('say')).toBeUndefined();
    net.last().welcome();
    expect(net.last().lastSent('say')).toEqual({ t: 'say', turn: handle.id, npc: 'innkeeper', player: 'p1', text: 'Hello there' });
    net.last().receive({ t: 'text', turn: handle.id, delta: 'Hi' });
    net.last().receive(end(handle.id));
    expect(r.frames.map((f) => f.t)).toEqual(['text', 'end']);
    expect(conn.turnsInFlight).toBe(0);
  });

  it('a say that cannot be sent in time ends with not_connected, nothing hangs', () => {
    const { conn } = setup({ sayWaitMs: 2000 });
    const r = recorder();
    conn.say({ npc: 'zombie', player: 'p', text: 'hi' }, r);
    vi.advanceTimersByTime(2001);
    expect(r.ends).toEqual([{ cancelled: false, error: expect.objectContaining({ code: 'not_connected', local: true }) }]);
  });

  it('after a drop: the turn in flight ends with connection_lost, then it reconnects with backoff', () => {
    const { conn, net, states, logs } = setup();
    conn.start();
    net.last().open();
    net.last().welcome();
    const r = recorder();
    const h = conn.say({ npc: 'guard', player: 'p', text: 'Open the gate' }, r);
    net.last().receive({ t: 'text', turn: h.id, delta: 'Halt.' });
    net.last().serverClose(1006);
    expect(r.ends).toEqual([{ cancelled: false, error: expect.objectContaining({ code: 'connection_lost', message: expect.stringMatching(/lost mid-reply/) }) }]);
    expect(conn.state).toBe('reconnecting');
    expect(logs.some((l) => /reconnecting in 375 ms/.test(l))).toBe(true); // attempt 0: 250 + 0.5 × 250

    vi.advanceTimersByTime(374);
    expect(net.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(net.sockets).toHaveLength(2);
    // The gateway is still down: the next delay doubles.
    net.last().serverClose(1006);
    expect(logs.some((l) => /reconnecting in 750 ms/.test(l))).toBe(true);
    vi.advanceTimersByTime(750);
    net.last().open();
    net.last().welcome();
    expect(conn.state).toBe('connected');
    expect(states.map((s) => s[0])).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    // Backoff starts over after a good connection.
    net.last().serverClose(1001);
    expect(logs.filter((l) => /reconnecting in 375 ms/.test(l))).toHaveLength(2);
  });

  it('says made while reconnecting go out on the new link', () => {
    const { conn, net } = setup();
    conn.start();
    net.last().open();
    net.last().welcome();
    net.last().serverClose(1006);
    const r = recorder();
    conn.say({ npc: 'oracle', player: 'p', text: 'What comes?' }, r);
    vi.advanceTimersByTime(400);
    net.last().open();
    net.last().welcome();
    expect(net.last().lastSent('say')).toMatchObject({ npc: 'oracle' });
    expect(r.ends).toEqual([]);
  });

  it('a refused token is final: no reconnect, the game is told', () => {
    const { conn, net, errors } = setup();
    conn.start();
    net.last().open();
    net.last().receive({ t: 'error', code: 'unauthorized', message: 'invalid token', fatal: true });
    net.last().serverClose(1008, 'unauthorized');
    expect(conn.state).toBe('failed');
    expect(errors).toEqual(['unauthorized', 'connect_failed']);
    vi.advanceTimersByTime(60_000);
    expect(net.sockets).toHaveLength(1);
    // A say now ends at once (asynchronously) instead of waiting.
    const r = recorder();
    conn.say({ npc: 'guard', player: 'p', text: 'hi' }, r);
    expect(r.ends).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(r.ends[0]?.error?.code).toBe('not_connected');
    // A new token dials again.
    conn.setToken('tok-new-123456');
    expect(net.sockets).toHaveLength(2);
    net.last().open();
    expect(net.last().sent[0]).toMatchObject({ t: 'hello', token: 'tok-new-123456' });
  });

  it('shutting_down waits at least retryAfterMs before redialling', () => {
    const { conn, net } = setup();
    conn.start();
    net.last().open();
    net.last().welcome();
    net.last().receive({ t: 'error', code: 'shutting_down', message: 'bye', fatal: true, retryAfterMs: 3000 });
    net.last().serverClose(1001, 'shutting_down');
    expect(conn.state).toBe('reconnecting');
    vi.advanceTimersByTime(2999);
    expect(net.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(net.sockets).toHaveLength(2);
  });

  it('pings every heartbeat and drops a link that went silent', () => {
    const { conn, net, states } = setup();
    conn.start();
    net.last().open();
    net.last().welcome({ heartbeatMs: 2000 });
    vi.advanceTimersByTime(2000);
    expect(net.last().lastSent('ping')).toBeDefined();
    net.last().receive({ t: 'pong', ts: 1 });
    vi.advanceTimersByTime(4000); // 2 heartbeats without a word back → still within 2×2000+1000
    expect(conn.state).toBe('connected');
    vi.advanceTimersByTime(2000);
    expect(conn.state).toBe('reconnecting');
    expect(states.at(-1)?.[1]).toMatch(/no answer from the gateway/);
  });

  it('no welcome in time counts as a failed attempt', () => {
    const { conn, net } = setup();
    conn.start();
    net.last().open();
    vi.advanceTimersByTime(3000);
    expect(conn.state).toBe('reconnecting');
    expect(net.sockets[0]!.closedByClient).not.toBeNull();
  });

  it('gives up after maxAttempts and fails waiting says', () => {
    const { conn, net, errors } = setup({ reconnect: { ...policy, maxAttempts: 2 } });
    const r = recorder();
    conn.say({ npc: 'guard', player: 'p', text: 'hi' }, r);
    for (let i = 0; i < 3; i++) {
      net.last().serverClose(1006);
      vi.advanceTimersByTime(10_000);
    }
    expect(conn.state).toBe('failed');
    expect(net.sockets).toHaveLength(3);
    expect(errors).toContain('connect_failed');
    expect(r.ends[0]?.error?.code).toBe('not_connected');
  });

  it('cancel before sending ends locally; cancel in flight sends heardMs', () => {
    const { conn, net } = setup();
    const early = recorder();
    conn.say({ npc: 'zombie', player: 'p', text: 'a' }, early).cancel(0);
    expect(early.ends).toEqual([{ cancelled: true, error: null }]);
    net.last().open();
    net.last().welcome();
    expect(net.last().lastSent('say')).toBeUndefined();
    const r = recorder();
    const h = conn.say({ npc: 'zombie', player: 'p', text: 'b' }, r);
    h.cancel(812.5);
    expect(net.last().lastSent('cancel')).toEqual({ t: 'cancel', turn: h.id, heardMs: 812.5 });
    net.last().receive(end(h.id, { cancelled: true, reason: 'cancelled' }));
    expect(r.frames.at(-1)).toMatchObject({ t: 'end', cancelled: true });
  });

  it('holds says beyond maxTurnsInFlight until a turn ends', () => {
    const { conn, net } = setup();
    conn.start();
    net.last().open();
    net.last().welcome({ maxTurnsInFlight: 1 });
    const a = conn.say({ npc: 'guard', player: 'p', text: 'one' }, recorder());
    conn.say({ npc: 'guard', player: 'p', text: 'two' }, recorder());
    expect(net.last().sent.filter((f) => f.t === 'say')).toHaveLength(1);
    net.last().receive(end(a.id));
    expect(net.last().sent.filter((f) => f.t === 'say')).toHaveLength(2);
  });

  it('reports malformed frames without dropping the link', () => {
    const { conn, net, errors } = setup();
    conn.start();
    net.last().open();
    net.last().welcome();
    net.last().receive({ t: 'audio', turn: 1, seq: 0, rate: 22050, pcm: 'not-bytes', startMs: 0 });
    expect(errors).toEqual(['bad_server_frame']);
    expect(conn.state).toBe('connected');
  });

  it('refuses a URL that is not ws:// or wss:// with a clear message', () => {
    const { conn, states } = setup({ url: 'http://localhost:8787' });
    conn.start();
    expect(conn.state).toBe('failed');
    expect(states.at(-1)?.[1]).toMatch(/not a ws:\/\/ or wss:\/\/ URL/);
  });

  it('stop() ends everything and does not reconnect', () => {
    const { conn, net } = setup();
    conn.start();
    net.last().open();
    net.last().welcome();
    const r = recorder();
    conn.say({ npc: 'guard', player: 'p', text: 'hi' }, r);
    conn.stop();
    expect(r.ends[0]?.error?.code).toBe('connection_lost');
    expect(conn.state).toBe('disconnected');
    vi.advanceTimersByTime(60_000);
    expect(net.sockets).toHaveLength(1);
  });
});
