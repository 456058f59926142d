/**
 * End to end over real processes and sockets: a gateway and a worker started as child
 * processes, a client speaking protocol v1 over ws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, pcmBytesToInt16, rms, type AudioFrame, type EndFrame, type ErrorFrame, type ServerFrame, type VisemesFrame } from '@parley/protocol';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';

let stack: Stack;
let slow: Stack;

beforeAll(async () => {
  [stack, slow] = await Promise.all([
    startStack({ workers: 1 }),
    // A worker that pauses before each sentence, so a turn is long enough to cancel mid-way.
    startStack({ workers: 1, workerEnv: { PARLEY_FAULT_SENTENCE_DELAY_MS: '400' }, gatewayEnv: { PARLEY_MAX_FRAME_BYTES: '4096' } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stack?.stop(), slow?.stop()]);
});

const isEnd = (f: ServerFrame): f is EndFrame => f.t === 'end';
const isError = (f: ServerFrame): f is ErrorFrame => f.t === 'error';

describe('a turn', () => {
  it('streams text, emotion, audio and visemes, then exactly one end', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const frames = await c.turn('t1', 'vampire-lord', 'Good evening, my lord. Who are you, and what is this castle?');
    const ends = frames.filter(isEnd);
    expect(ends).toHaveLength(1);
    const end = ends[0]!;
    expect(end).toMatchObject({ reason: 'completed', cancelled: false, degraded: false, tier: 'gold' });
    expect(frames.at(-1)).toBe(end);

    const text = frames.filter((f) => f.t === 'text').map((f) => (f as { delta: string }).delta).join('');
    expect(text.length).toBeGreaterThan(10);
    expect(end.text).toBe(text);
    expect(frames.some((f) => f.t === 'emotion')).toBe(true);

    const audio = frames.filter((f): f is AudioFrame => f.t === 'audio');
    expect(audio.length).toBeGreaterThanOrEqual(1);
    audio.forEach((a, i) => expect(a.seq).toBe(i));
    // Chunks are contiguous: each starts where the previous ended.
    let expectedStart = 0;
    const rate = audio[0]!.rate;
    let samples = 0;
    for (const a of audio) {
      expect(a.startMs).toBeCloseTo(expectedStart, 0);
      const n = a.pcm.byteLength / 2;
      expectedStart += (n / rate) * 1000;
      samples += n;
    }
    const audioMs = (samples / rate) * 1000;
    expect(end.audioMs).toBeCloseTo(audioMs, -1);
    const pcm = new Int16Array(samples);
    let off = 0;
    for (const a of audio) {
      const s = pcmBytesToInt16(a.pcm);
      pcm.set(s, off);
      off += s.length;
    }
    expect(rms(pcm)).toBeGreaterThan(0.01); // not silence

    const visemes = frames.filter((f): f is VisemesFrame => f.t === 'visemes').flatMap((f) => f.frames);
    expect(visemes.length).toBeGreaterThan(5);
    let last = 0;
    for (const [v, start, endMs, weight] of visemes) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(14);
      expect(start).toBeGreaterThanOrEqual(last - 0.01); // ordered, non-overlapping
      expect(endMs).toBeGreaterThanOrEqual(start);
      expect(endMs).toBeLessThanOrEqual(audioMs + 1); // within the audio
      expect(weight).toBeGreaterThan(0);
      last = endMs;
    }
    expect(Math.abs(audioMs - last)).toBeLessThanOrEqual(50); // the last viseme ends with the audio
    expect(new Set(visemes.map((v) => v[0])).size).toBeGreaterThan(4); // real mouth movement

    const t = end.timings;
    expect(t.queueMs).not.toBeNull();
    expect(t.firstTextMs).not.toBeNull();
    expect(t.firstAudioMs).not.toBeNull();
    expect(t.firstAudioMs!).toBeLessThanOrEqual(t.totalMs);
    c.close();
  });

  it('answers different NPCs in character and keeps serving many turns on one connection', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const [zombie, guard] = await Promise.all([c.turn(1, 'zombie', 'Hello there, who are you?'), c.turn(2, 'guard', 'Hello there, who are you?')]);
    const z = zombie.find(isEnd)!, g = guard.find(isEnd)!;
    expect(z.reason).toBe('completed');
    expect(g.reason).toBe('completed');
    expect(z.text).not.toBe(g.text);
    expect(z.tier).toBe('bronze');
    c.close();
  });

  it('cancel mid-turn ends the turn as cancelled and stops the audio', async () => {
    const c = await RawClient.connect(slow.wsUrl, slow.token);
    c.send({ t: 'say', turn: 'long', npc: 'innkeeper', player: 'p', text: 'Tell me everything about the town, the roads, and the old castle!' });
    await c.waitFor((f) => f.t === 'audio' && f.turn === 'long');
    c.send({ t: 'cancel', turn: 'long', heardMs: 100 });
    const end = await c.waitFor((f): f is EndFrame => isEnd(f) && f.turn === 'long');
    expect(end.cancelled).toBe(true);
    expect(end.reason).toBe('cancelled');
    const endIndex = c.frames.indexOf(end);
    await new Promise((r) => setTimeout(r, 1000)); // longer than the worker's sentence pause
    expect(c.frames.slice(endIndex + 1).filter((f) => 'turn' in f && f.turn === 'long')).toHaveLength(0);
    // The worker frees its slot promptly (it answers the abort within 100 ms plus transport).
    const fleet = (await (await fetch(`${slow.url}/v1/admin/fleet`, { headers: { authorization: `Bearer ${slow.token}` } })).json()) as { workers: { inFlight: number }[] };
    expect(fleet.workers[0]!.inFlight).toBe(0);
    c.close();
  });

  it('a turn with an unknown NPC gets unknown_npc and its end', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const frames = await c.turn('u', 'dragon', 'hi');
    expect(frames.find(isError)).toMatchObject({ code: 'unknown_npc', fatal: false });
    expect(frames.find(isEnd)).toMatchObject({ reason: 'rejected', tier: null });
    c.close();
  });

  it('a say may override the voice; an unknown voice is rejected with its end', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const ok = await c.turn('v1', 'zombie', 'Hello?', { voice: 'female-bright' });
    expect(ok.find(isEnd)?.reason).toBe('completed');
    const bad = await c.turn('v2', 'zombie', 'Hello?', { voice: 'kazoo' });
    expect(bad.find(isError)).toMatchObject({ code: 'bad_frame' });
    expect(bad.find(isError)?.message).toMatch(/^voice: unknown voice/);
    expect(bad.find(isEnd)?.reason).toBe('rejected');
    c.close();
  });

  it('ping gets pong', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    c.send({ t: 'ping', ts: 12345 });
    expect(await c.waitFor((f) => f.t === 'pong')).toEqual({ t: 'pong', ts: 12345 });
    c.close();
  });
});

describe('bad input gets the right error while others keep being served', () => {
  it('garbage bytes → bad_frame, connection stays usable', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    c.sendBytes(new Uint8Array([0xc1, 0xff, 0x00, 0x13]));
    expect(await c.waitFor(isError)).toMatchObject({ code: 'bad_frame', fatal: false });
    const frames = await c.turn('after', 'zombie', 'Still there?');
    expect(frames.find(isEnd)?.reason).toBe('completed');
    c.close();
  });

  it('a malformed say names the field and still ends the turn', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    c.send({ t: 'say', turn: 'm', npc: 'zombie', player: 'p', text: 42 });
    const err = await c.waitFor(isError);
    expect(err).toMatchObject({ code: 'bad_frame', turn: 'm' });
    expect(err.message).toMatch(/^text/);
    expect(await c.waitFor(isEnd)).toMatchObject({ turn: 'm', reason: 'rejected' });
    c.close();
  });

  it('an oversized frame → too_large and close 1009', async () => {
    const c = await RawClient.connect(slow.wsUrl, slow.token);
    c.send({ t: 'say', turn: 'big', npc: 'zombie', player: 'p', text: 'x'.repeat(1999), pad: 'y'.repeat(8000) });
    expect(await c.waitFor(isError)).toMatchObject({ code: 'too_large', fatal: true });
    expect((await c.waitClosed()).code).toBe(1009);
  });

  it('a frame before hello → unauthorized and close', async () => {
    const c = await RawClient.open(stack.wsUrl);
    c.send({ t: 'say', turn: 1, npc: 'zombie', player: 'p', text: 'hi' });
    expect(await c.waitFor(isError)).toMatchObject({ code: 'unauthorized', fatal: true });
    expect((await c.waitClosed()).code).toBe(1008);
  });

  it('a bad token → unauthorized and close', async () => {
    const c = await RawClient.open(stack.wsUrl);
    c.send({ t: 'hello', v: 1, token: 'wrong-token' });
    expect(await c.waitFor(isError)).toMatchObject({ code: 'unauthorized', fatal: true });
    expect((await c.waitClosed()).code).toBe(1008);
  });

  it('an unknown protocol version → unsupported_version', async () => {
    const c = await RawClient.open(stack.wsUrl);
    c.send({ t: 'hello', v: 2, token: stack.token });
    expect(await c.waitFor(isError)).toMatchObject({ code: 'unsupported_version', fatal: true });
    expect((await c.waitClosed()).code).toBe(1002);
  });

  it('while bad clients are refused, a good client is served at the same time', async () => {
    const good = await RawClient.connect(stack.wsUrl, stack.token);
    const bad = await Promise.all(Array.from({ length: 5 }, () => RawClient.open(stack.wsUrl)));
    bad.forEach((b, i) => (i % 2 ? b.sendBytes('not msgpack') : b.sendBytes(new Uint8Array([1, 2, 3]))));
    const frames = await good.turn('g', 'oracle', 'What does the future hold?');
    expect(frames.find(isEnd)?.reason).toBe('completed');
    for (const b of bad) expect((await b.waitClosed()).code).toBe(1008);
    good.close();
  });
});

describe('HTTP', () => {
  const auth = () => ({ authorization: `Bearer ${stack.token}` });

  it('health, readiness and metrics need no auth', async () => {
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', workers: 1 });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_turns_total/);
    expect(metrics).toMatch(/parley_workers\{state="healthy"\} 1/);
  });

  it('the catalog needs a bearer key', async () => {
    const denied = await fetch(`${stack.url}/v1/npcs`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: 'unauthorized' });
    const body = (await (await fetch(`${stack.url}/v1/npcs`, { headers: auth() })).json()) as { npcs: { id: string; archetype: string }[] };
    expect(body.npcs.map((n) => n.archetype)).toEqual(expect.arrayContaining(['vampire', 'zombie']));
    expect(body.npcs.length).toBeGreaterThanOrEqual(5);
  });

  it('POST /api/tts/generate returns a WAV whose length matches durationMs, with phonemes and visemes', async () => {
    const r = await fetch(`${stack.url}/api/tts/generate`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'The night is young, and so are you.', voice: 'male-deep' }) });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { wav: string; sampleRate: number; durationMs: number; phonemes: { p: string; startMs: number; endMs: number }[]; visemes: { v: number; startMs: number; endMs: number }[] };
    const wav = decodeWav(new Uint8Array(Buffer.from(body.wav, 'base64')));
    expect(wav.sampleRate).toBe(body.sampleRate);
    expect(Math.abs((wav.pcm.length / wav.sampleRate) * 1000 - body.durationMs)).toBeLessThan(1);
    expect(rms(wav.pcm)).toBeGreaterThan(0.01);
    expect(body.phonemes.length).toBeGreaterThan(5);
    expect(body.visemes.at(-1)!.endMs).toBeLessThanOrEqual(body.durationMs + 1);
  });

  it('POST /api/tts/generate speaks msgpack with raw WAV bytes when asked', async () => {
    const { unpack } = await import('msgpackr');
    const r = await fetch(`${stack.url}/api/tts/generate`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json', accept: 'application/msgpack' }, body: JSON.stringify({ text: 'Braaains.' }) });
    expect(r.headers.get('content-type')).toBe('application/msgpack');
    const body = unpack(new Uint8Array(await r.arrayBuffer())) as { wav: Uint8Array; durationMs: number };
    expect(body.wav).toBeInstanceOf(Uint8Array);
    expect(decodeWav(body.wav).pcm.length).toBeGreaterThan(0);
  });

  it('POST /api/tts/generate rejects bad input with a clear 4xx', async () => {
    const post = (body: string, headers: Record<string, string> = auth()) => fetch(`${stack.url}/api/tts/generate`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    expect((await post('{"text": "hi"}', {})).status).toBe(401);
    const notJson = await post('text=hi');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/JSON/);
    const empty = await post('{"text": "  "}');
    expect(((await empty.json()) as { message: string }).message).toMatch(/text must not be empty/);
    const voice = await post('{"text": "hi", "voice": "nope"}');
    expect(voice.status).toBe(400);
    expect(await voice.json()).toMatchObject({ error: 'unknown_voice' });
  });
});
