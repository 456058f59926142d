import { describe, expect, it } from 'vitest';
import type { TurnResult } from '../client/parley-client.js';
import { explainConnectError, formatEmotions, formatError, formatLatency, formatMs, formatRelationship } from './format.js';
import { findPlayer } from './player.js';

const result = (o: Partial<TurnResult> = {}): TurnResult => ({
  turn: 1,
  npc: 'vampire-lord',
  end: { t: 'end', turn: 1, text: 'x', tier: 'gold', degraded: false, cancelled: false, audioMs: 2400, timings: { queueMs: 0.4, firstTextMs: 3.2, firstAudioMs: 41.4, totalMs: 310 } },
  text: 'x',
  emotions: [],
  audio: new Int16Array(0),
  sampleRate: 22050,
  audioChunks: 2,
  audioMs: 2400,
  lastAudioChunkMs: 1200,
  playbackStallMs: 0,
  visemes: [],
  errors: [],
  times: { sentAt: 0, firstTextAt: 1, firstAudioAt: 2, lastAudioAt: 3, endAt: 4 },
  firstTextMs: 1,
  firstAudioMs: 2,
  totalMs: 4,
  cancelled: false,
  ok: true,
  ...o,
});

describe('chat formatting', () => {
  it('formats milliseconds', () => {
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(3.2)).toBe('3 ms');
    expect(formatMs(310)).toBe('310 ms');
    expect(formatMs(12_500)).toBe('12.5 s');
    expect(formatMs(null)).toBe('—');
  });
  it('formats the latency line', () => {
    expect(formatLatency(result())).toBe('queue 0.4 ms · first text 3 ms · first audio 41 ms · total 310 ms · audio 2.4 s · tier gold');
    const cancelled = result({ cancelled: true, end: { t: 'end', turn: 1, text: '', tier: 'silver', degraded: true, cancelled: true, timings: { queueMs: 1, firstTextMs: null, firstAudioMs: null, totalMs: 20 } }, audioMs: 0 });
    expect(formatLatency(cancelled)).toBe('queue 1 ms · first text — · first audio — · total 20 ms · audio 0.0 s · tier silver (degraded) · cancelled');
  });
  it('formats emotions and errors', () => {
    expect(formatEmotions(result())).toBeNull();
    expect(formatEmotions(result({ emotions: [{ label: 'contempt', intensity: 0.7 }, { label: 'joy', intensity: 0.4 }] }))).toBe('contempt 0.70 → joy 0.40');
    expect(formatError({ code: 'overloaded', message: 'no worker', retryAfterMs: 500 })).toBe('overloaded: no worker (retry after 500 ms)');
    expect(explainConnectError('connect_failed', 'cannot connect to ws://x: ECONNREFUSED', 'ws://x')).toMatch(/ECONNREFUSED\). Is Parley running\? Start it with: npm start/);
    expect(explainConnectError('unauthorized', 'invalid token', 'ws://x')).toMatch(/^unauthorized: invalid token\. Pass --token/);
  });
  it('picks the first available player in order', () => {
    expect(findPlayer((c) => c === 'ffplay' || c === 'paplay')?.cmd).toBe('paplay');
    expect(findPlayer((c) => c === 'ffplay')?.args('a.wav')).toEqual(['-nodisp', '-autoexit', '-loglevel', 'quiet', 'a.wav']);
    expect(findPlayer(() => false)).toBeNull();
  });
});

describe('formatRelationship', () => {
  it('shows each meter and the change this turn made', () => {
    expect(formatRelationship({ card: { trust: 0.12, respect: 0, familiarity: 0.31, affinity: -0.1 }, delta: { trust: 0.04, respect: 0, familiarity: 0.05, affinity: -0.02 } })).toBe(
      'trust 0.12 (+0.04) · respect 0.00 · familiarity 0.31 (+0.05) · affinity −0.10 (−0.02)',
    );
  });
});
