import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MetricsRecorder, decodeHistogram, encodeHistogram, mergeHistograms, mergeSnapshots, newHistogram, percentileCurve, recordMs, summarize, type TurnOutcome } from './metrics.js';
import { createRng } from './rng.js';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

describe('merging histograms across processes (b)', () => {
  it('N processes merged via encode/decode/add = one histogram of all samples, exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.nat(7), fc.double({ min: 0.001, max: 120_000, noNaN: true })), { minLength: 1, maxLength: 3000 }), (n, samples) => {
        const all = newHistogram();
        const parts = Array.from({ length: n }, () => newHistogram());
        for (const [p, ms] of samples) {
          recordMs(all, ms);
          recordMs(parts[p % n]!, ms);
        }
        // What crosses the process boundary is the compressed base64 encoding.
        const merged = mergeHistograms(parts.map((h) => decodeHistogram(encodeHistogram(h))));
        expect(merged.totalCount).toBe(all.totalCount);
        for (const p of PERCENTILES) expect(merged.getValueAtPercentile(p)).toBe(all.getValueAtPercentile(p));
        // min/max of a merged histogram are bucket values (±0.1 %), exactly as for one histogram that went through the same merge.
        const single = mergeHistograms([decodeHistogram(encodeHistogram(all))]);
        expect(merged.maxValue).toBe(single.maxValue);
        expect(merged.minNonZeroValue).toBe(single.minNonZeroValue);
        expect(Math.abs(merged.maxValue - all.maxValue)).toBeLessThanOrEqual(all.maxValue * 0.001 + 1);
      }),
      { numRuns: 60 },
    );
  });

  it('averaging per-process percentiles would be wrong; merging is not', () => {
    // Process A: 990 fast turns; process B: 10 turns, all slow. True p99 sits at the fast/slow edge.
    const a = newHistogram();
    const b = newHistogram();
    for (let i = 0; i < 990; i++) recordMs(a, 10);
    for (let i = 0; i < 10; i++) recordMs(b, 1000);
    const merged = mergeHistograms([a, b]);
    const avgOfP50 = (a.getValueAtPercentile(50) + b.getValueAtPercentile(50)) / 2 / 1000;
    expect(merged.getValueAtPercentile(50) / 1000).toBeCloseTo(10, 0);
    expect(avgOfP50).toBeGreaterThan(400); // the average of medians says ~505 ms: nonsense
    expect(merged.getValueAtPercentile(99.95) / 1000).toBeCloseTo(1000, -1);
  });

  it('mergeSnapshots sums counters and merges per-tier histograms exactly', () => {
    const rng = createRng(7);
    const recorders = [new MetricsRecorder(), new MetricsRecorder(), new MetricsRecorder()];
    const single = new MetricsRecorder();
    const tiers = ['gold', 'silver', 'bronze'] as const;
    for (let i = 0; i < 2000; i++) {
      const tier = tiers[rng.int(3)]!;
      const fa = rng.exp(40);
      const o: TurnOutcome = { tier, measured: true, firstTextMs: fa / 3, firstAudioMs: fa, turnMs: fa + rng.uniform(100, 2000), rtf: rng.uniform(1, 20), completed: i % 17 !== 0, cancelled: false, degraded: i % 11 === 0, unfinished: false, errorCodes: i % 17 === 0 ? ['overloaded'] : [], audioChunks: 3, audioMs: 900, playbackStall: false };
      const at = rng.uniform(0, 30);
      recorders[i % 3]!.recordSend(tier, rng.uniform(0, 20), 10, at);
      recorders[i % 3]!.recordTurn(o, at + 0.5);
      single.recordSend(tier, 0, 10, at);
      single.recordTurn(o, at + 0.5);
    }
    const merged = mergeSnapshots(recorders.map((r) => JSON.parse(JSON.stringify(r.snapshot()))));
    const one = mergeSnapshots([single.snapshot()]);
    for (const t of tiers) {
      expect(merged.tiers[t].counters.ended).toBe(one.tiers[t].counters.ended);
      expect(merged.tiers[t].counters.degraded).toBe(one.tiers[t].counters.degraded);
      expect(merged.tiers[t].errors).toEqual(one.tiers[t].errors);
      expect(merged.tiers[t].timeline.ended).toEqual(one.tiers[t].timeline.ended);
      for (const m of ['firstText', 'firstAudio', 'turn', 'rtf'] as const) expect(summarize(merged.tiers[t].hist[m])).toEqual(summarize(one.tiers[t].hist[m]));
    }
  });
});

describe('summaries and curves', () => {
  it('summarize reports ms percentiles of µs histograms', () => {
    const h = newHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i);
    const s = summarize(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -1);
    expect(s.p99).toBeCloseTo(990, -1);
    expect(s.max).toBeCloseTo(1000, 0);
    expect(summarize(newHistogram()).p50).toBeNull();
  });
  it('percentileCurve is monotone, log-spaced in 1/(1-p), ends at the max', () => {
    const rng = createRng(3);
    const hh = newHistogram();
    for (let i = 0; i < 5000; i++) recordMs(hh, rng.exp(20));
    const c = percentileCurve(hh);
    expect(c[0]!.p).toBe(0);
    expect(c.at(-1)!.value).toBeCloseTo(hh.maxValue / 1000, 2);
    for (let i = 1; i < c.length; i++) {
      expect(c[i]!.x).toBeGreaterThanOrEqual(c[i - 1]!.x);
      expect(c[i]!.value).toBeGreaterThanOrEqual(c[i - 1]!.value);
    }
    expect(Math.max(...c.map((p) => p.x))).toBe(5000);
  });
});
