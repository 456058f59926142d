import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pack } from 'msgpackr';
import {
  decodeClientFrame,
  decodeGatewayToWorkerFrame,
  decodeServerFrame,
  decodeWorkerFrame,
  encodeFrame,
  type ClientFrame,
  type GatewayToWorkerFrame,
  type ServerFrame,
  type WorkerToGatewayFrame,
} from './index.js';

const pcm = new Uint8Array([1, 0, 255, 127, 0, 128]);

const clientFrames: ClientFrame[] = [
  { t: 'hello', v: 1, token: 'key-1', client: { name: 'chat', version: '0.1.0' } },
  { t: 'hello', v: 1, token: '' },
  { t: 'say', turn: 't1', npc: 'vampire-lord', player: 'p1', text: 'Good evening.', tier: 'gold' },
  { t: 'say', turn: 42, npc: 'zombie', player: 'p1', text: 'hi' },
  { t: 'cancel', turn: 't1' },
  { t: 'cancel', turn: 't1', heardMs: 1234.5 },
  { t: 'ping', ts: 1700000000000 },
];

const serverFrames: ServerFrame[] = [
  { t: 'welcome', v: 1, session: 's-1', heartbeatMs: 15000, maxFrameBytes: 65536, maxTurnsInFlight: 4, idleTimeoutMs: 60000 },
  { t: 'text', turn: 't1', delta: 'Ah, ' },
  { t: 'emotion', turn: 't1', label: 'contempt', intensity: 0.7 },
  { t: 'audio', turn: 't1', seq: 0, rate: 22050, pcm, startMs: 0, durationMs: 0.13 },
  { t: 'visemes', turn: 't1', seq: 0, frames: [[0, 0, 10, 1], [10, 10, 80.5, 0.8]] },
  { t: 'end', turn: 't1', text: 'Ah, a guest.', tier: 'gold', degraded: false, cancelled: false, reason: 'completed', audioMs: 900, timings: { queueMs: 0.4, firstTextMs: 2, firstAudioMs: 30, totalMs: 120 } },
  { t: 'end', turn: 7, text: '', tier: null, degraded: false, cancelled: true, timings: { queueMs: null, firstTextMs: null, firstAudioMs: null, totalMs: 3 } },
  { t: 'error', turn: 't1', code: 'overloaded', message: 'no worker', retryAfterMs: 500, fatal: false },
  { t: 'error', code: 'unauthorized', message: 'bad token', fatal: true },
  { t: 'pong', ts: 5 },
];

const workerFrames: WorkerToGatewayFrame[] = [
  { t: 'register', v: 1, key: 'k', worker: { id: 'w1', tiers: ['gold', 'bronze'], slots: 8, voices: ['male-deep'], backend: 'scripted' } },
  { t: 'hb', inFlight: 2, ts: 10 },
  { t: 'hb', inFlight: 3, ts: 11, model: { running: 3, waiting: 1, generated: 912, prefilled: 400, prefixCached: 1210 } },
  { t: 'draining', deadlineMs: 120000 },
  { t: 'text', job: 'j1', delta: 'x' },
  { t: 'emotion', job: 'j1', label: 'joy', intensity: 1 },
  { t: 'audio', job: 'j1', seq: 1, rate: 22050, pcm, startMs: 10, durationMs: 0.1 },
  { t: 'visemes', job: 'j1', seq: 1, frames: [[1, 0, 5, 1]] },
  { t: 'done', job: 'j1', text: 'x', tier: 'scripted', audioMs: 10, cancelled: false },
  { t: 'fail', job: 'j1', code: 'internal', message: 'boom' },
  { t: 'tts_ok', req: 'r1', sampleRate: 22050, pcm, durationMs: 0.1, phonemes: [{ p: 'h', startMs: 0, endMs: 0.1 }], visemes: [{ v: 0, startMs: 0, endMs: 0.1 }] },
  { t: 'tts_fail', req: 'r1', code: 'unknown_voice', message: 'no such voice' },
  { t: 'summary_ok', req: 's1', text: 'The player asked about the castle.' },
  { t: 'summary_fail', req: 's1', code: 'internal', message: 'no summarizer' },
];

const gatewayFrames: GatewayToWorkerFrame[] = [
  { t: 'registered', gateway: 'g1', heartbeatMs: 5000 },
  { t: 'job', job: 'j1', npc: { id: 'zombie', name: 'Zed', archetype: 'zombie', persona: 'Hungry.', voice: 'growl' }, player: 'p', text: 'hi', tier: 'bronze', seed: 3 },
  { t: 'abort', job: 'j1' },
  { t: 'tts', req: 'r1', text: 'Hello.', voice: 'elder' },
  { t: 'summarize', req: 's1', npc: { name: 'Bess', persona: 'An innkeeper.', archetype: 'innkeeper' }, turns: [{ role: 'player', text: 'hi' }, { role: 'npc', text: 'Evening!' }], maxTokens: 120 },
  { t: 'refused', code: 'unauthorized', message: 'bad key' },
];

/** Plain-data view for comparison: binary (Buffer or Uint8Array) becomes a number array. */
const norm = (x: unknown): unknown =>
  x instanceof Uint8Array ? [...x] : Array.isArray(x) ? x.map(norm) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, val]) => [k, norm(val)])) : x;

describe('protocol round trips', () => {
  it.each(clientFrames.map((f) => [f.t, f] as const))('client %s', (_t, frame) => {
    const r = decodeClientFrame(encodeFrame(frame));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) expect(norm(r.frame)).toEqual(norm(frame));
  });
  it.each(serverFrames.map((f) => [f.t, f] as const))('server %s', (_t, frame) => {
    const r = decodeServerFrame(encodeFrame(frame));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) expect(norm(r.frame)).toEqual(norm(frame));
  });
  it.each(workerFrames.map((f) => [f.t, f] as const))('worker→gateway %s', (_t, frame) => {
    const r = decodeWorkerFrame(encodeFrame(frame));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) expect(norm(r.frame)).toEqual(norm(frame));
  });
  it.each(gatewayFrames.map((f) => [f.t, f] as const))('gateway→worker %s', (_t, frame) => {
    const r = decodeGatewayToWorkerFrame(encodeFrame(frame));
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    if (r.ok) expect(norm(r.frame)).toEqual(norm(frame));
  });

  it('encodes plain msgpack maps without record extensions', () => {
    const bytes = encodeFrame({ t: 'ping', ts: 1 });
    // fixmap with 2 entries: 0x82; msgpackr records would start with an ext type (0xd4..0xd8, 0xc7..0xc9).
    expect(bytes[0]).toBe(0x82);
    expect(encodeFrame(serverFrames[3]!)).toContain(0xc4); // bin 8 for the PCM bytes
  });

  it('carries PCM as raw binary, not base64', () => {
    const big = new Uint8Array(4800).fill(7);
    const bytes = encodeFrame({ t: 'audio', turn: 't', seq: 0, rate: 22050, pcm: big, startMs: 0 });
    expect(bytes.length).toBeLessThan(4800 + 64);
  });
});

describe('decoder errors name the problem', () => {
  const bad = (x: unknown) => {
    const r = decodeClientFrame(x instanceof Uint8Array ? x : pack(x));
    expect(r.ok).toBe(false);
    return r.ok ? null : r.error;
  };
  it('rejects garbage bytes', () => {
    expect(bad(new Uint8Array([0xc1]))?.code).toBe('bad_frame');
    expect(bad(new Uint8Array([]))?.message).toMatch(/empty/);
  });
  it('rejects non-map frames', () => {
    expect(bad([1, 2, 3])?.message).toMatch(/map/);
    expect(bad('hello')?.message).toMatch(/map/);
  });
  it('rejects unknown frame types', () => expect(bad({ t: 'shout' })?.message).toMatch(/hello\|say\|cancel\|ping/));
  it('rejects a missing field and names it', () => expect(bad({ t: 'say', turn: 'a', npc: 'zombie', player: 'p' })?.message).toMatch(/^text/));
  it('rejects empty text after trim', () => expect(bad({ t: 'say', turn: 'a', npc: 'zombie', player: 'p', text: '   ' })?.message).toMatch(/text: must not be empty/));
  it('rejects too long text', () => expect(bad({ t: 'say', turn: 'a', npc: 'zombie', player: 'p', text: 'x'.repeat(2001) })?.message).toMatch(/text/));
  it('rejects a bad tier', () => expect(bad({ t: 'say', turn: 'a', npc: 'zombie', player: 'p', text: 'x', tier: 'platinum' })?.message).toMatch(/tier: must be one of/));
  it('rejects a bad npc id', () => expect(bad({ t: 'say', turn: 'a', npc: 'Zombie King!', player: 'p', text: 'x' })?.message).toMatch(/npc/));
  it('rejects bad turn ids and keeps a valid turn id for the error', () => {
    expect(bad({ t: 'say', turn: -1, npc: 'zombie', player: 'p', text: 'x' })?.message).toMatch(/turn/);
    expect(bad({ t: 'say', turn: 'x'.repeat(65), npc: 'zombie', player: 'p', text: 'x' })?.message).toMatch(/turn/);
    expect(bad({ t: 'say', turn: 't9', npc: 'zombie', player: 'p', text: 7 })?.turn).toBe('t9');
  });
  it('rejects two values in one frame', () => {
    const two = new Uint8Array([...pack({ t: 'ping', ts: 1 }), ...pack({ t: 'ping', ts: 2 })]);
    expect(bad(two)?.message).toMatch(/exactly one/);
  });
});

describe('worker heartbeats', () => {
  it('reject a model load with a negative count and name the field', () => {
    const r = decodeWorkerFrame(encodeFrame({ t: 'hb', inFlight: 0, ts: 1, model: { running: -1, waiting: 0, generated: 0, prefilled: 0, prefixCached: 0 } } as never));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/model\.running/);
  });
});

describe('decoder fuzzing: never throws', () => {
  const decoders = [decodeClientFrame, decodeServerFrame, decodeWorkerFrame, decodeGatewayToWorkerFrame];
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        for (const d of decoders) {
          const r = d(bytes);
          if (!r.ok) expect(r.error.code).toBe('bad_frame');
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('mutated valid frames', () => {
    const all = [...clientFrames, ...serverFrames, ...workerFrames, ...gatewayFrames].map((f) => encodeFrame(f));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(64), (i, edits, cut) => {
        const bytes = Uint8Array.from(all[i]!);
        for (const [pos, val] of edits) bytes[pos % bytes.length] = val;
        for (const b of [bytes, bytes.subarray(0, Math.max(0, bytes.length - cut))]) {
          for (const d of decoders) {
            const r = d(b);
            if (!r.ok) expect(r.error.code).toBe('bad_frame');
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('arbitrary msgpack values', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withBigInt: false, withMap: true, withSet: false, withDate: true }), (value) => {
        let bytes: Uint8Array;
        try {
          bytes = pack(value);
        } catch {
          return;
        }
        for (const d of decoders) expect(() => d(bytes)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
  it('objects with the right type key but random fields', () => {
    const types = ['hello', 'say', 'cancel', 'ping', 'audio', 'visemes', 'end', 'register', 'job'];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 })), (t, fields) => {
        const bytes = pack({ ...fields, t });
        for (const d of decoders) expect(() => d(bytes)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
  it('deeply nested values do not overflow the decoder', () => {
    let nested: unknown = 1;
    for (let i = 0; i < 20000; i++) nested = [nested];
    const bytes = new Uint8Array(20001 + 1);
    bytes.fill(0x91, 0, 20000); // fixarray(1) × 20000
    bytes[20000] = 0x01;
    for (const d of decoders) expect(d(bytes.subarray(0, 20001)).ok).toBe(false);
  });
});
