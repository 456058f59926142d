import { describe, expect, it } from 'vitest';
import { decodeClientFrame, encodeFrame, type ServerFrame } from '@parley/protocol';
import { decodeMessage, encodeMessage } from './wire-codec.js';
import { parseServerFrame } from './server-frames.js';

const timings = { queueMs: 1, firstTextMs: 2, firstAudioMs: 3, totalMs: 4 };
const FRAMES: ServerFrame[] = [
  { t: 'welcome', v: 1, session: 'abc', heartbeatMs: 15000, maxFrameBytes: 65536, maxTurnsInFlight: 8, idleTimeoutMs: 120000 },
  { t: 'text', turn: 3, delta: 'Grüß dich — 日本語 😀 '.repeat(8) },
  { t: 'emotion', turn: 't', label: 'joy', intensity: 0.6 },
  { t: 'audio', turn: 3, seq: 0, rate: 22050, pcm: new Uint8Array([1, 0, 2, 0, 255, 255]), startMs: 0, durationMs: 0.136 },
  { t: 'visemes', turn: 3, seq: 0, frames: [[0, 0, 50, 1], [10, 50, 120.5, 0.8]] },
  { t: 'relationship', turn: 3, npc: 'innkeeper', player: 'p', card: { trust: 0.2, respect: -0.1, familiarity: 0.3, affinity: 0 }, delta: { trust: 0.05, respect: 0, familiarity: 0.1, affinity: -0.02 }, conversations: 4 },
  { t: 'end', turn: 3, text: 'Hi.', tier: 'silver', degraded: false, cancelled: false, reason: 'completed', audioMs: 900, timings },
  { t: 'end', turn: 4, text: '', tier: null, degraded: false, cancelled: false, reason: 'rejected', timings: { queueMs: null, firstTextMs: null, firstAudioMs: null, totalMs: 1 } },
  { t: 'error', turn: 4, code: 'unknown_npc', message: 'no such NPC', fatal: false },
  { t: 'error', code: 'shutting_down', message: 'bye', fatal: true, retryAfterMs: 1000 },
  { t: 'pong', ts: 12.5 },
];

describe('wire codec and server frame parsers', () => {
  it('parse every frame the gateway encodes into the same frame', () => {
    for (const frame of FRAMES) {
      const bytes = encodeFrame(frame);
      const raw = decodeMessage(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      expect(raw.ok).toBe(true);
      const parsed = parseServerFrame(raw.ok ? raw.value : null);
      expect(parsed).toEqual({ kind: 'frame', frame });
    }
  });

  it('encodes client frames the gateway decodes', () => {
    const say = { t: 'say', turn: 7, npc: 'vampire-lord', player: 'Ærin', text: 'Who — are you? 🦇', tier: 'gold' };
    expect(decodeClientFrame(encodeMessage(say))).toEqual({ ok: true, frame: say });
    const hello = { t: 'hello', v: 1, token: 'k'.repeat(40), client: { name: 'parley-ue5', version: '0.1.0' } };
    expect(decodeClientFrame(encodeMessage(hello))).toEqual({ ok: true, frame: hello });
  });

  it('ignores frame types it does not know and unknown keys (newer gateways)', () => {
    expect(parseServerFrame({ t: 'memory_hint', x: 1 })).toEqual({ kind: 'ignored', type: 'memory_hint' });
    expect(parseServerFrame({ t: 'pong', ts: 1, extra: true })).toEqual({ kind: 'frame', frame: { t: 'pong', ts: 1 } });
  });

  it('reports malformed frames by field, never throws', () => {
    expect(parseServerFrame({ t: 'audio', turn: 1, seq: 0, rate: 22050, pcm: 'AAAA', startMs: 0 })).toEqual({ kind: 'invalid', message: 'audio.pcm: must be binary' });
    expect(parseServerFrame({ t: 'visemes', turn: 1, seq: 0, frames: [[15, 0, 1, 1]] })).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/viseme must be 0..14/) });
    expect(parseServerFrame({ t: 'text', delta: 'x' })).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/^text\.turn/) });
    expect(parseServerFrame([1, 2])).toMatchObject({ kind: 'invalid' });
    expect(decodeMessage('hello')).toMatchObject({ ok: false, message: expect.stringMatching(/text message/) });
    for (const junk of [[0xc1], [0xdc, 0xff], [0x92, 0x01]]) {
      const r = decodeMessage(new Uint8Array(junk));
      expect(r.ok ? parseServerFrame(r.value).kind : 'invalid').toBe('invalid');
    }
    expect(decodeMessage(new Uint8Array([0x01, 0x02]))).toMatchObject({ ok: false, message: expect.stringMatching(/exactly one/) });
  });
});
