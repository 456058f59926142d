/**
 * Load-generator measurements: per-tier HdrHistograms (recorded in microseconds) and counters,
 * serialised per process and merged exactly (histogram `add`, counter sums) — percentiles are
 * always computed from the merged histogram, never averaged.
 */
import * as hdr from 'hdr-histogram-js';
import { TIERS, type Tier } from '@parley/protocol';

export type Histogram = hdr.Histogram;

/** Latency histograms: µs from the turn's *intended* send time. `rtf` is recorded ×1000. */
export const METRICS = ['firstText', 'firstAudio', 'turn', 'rtf'] as const;
export type MetricName = (typeof METRICS)[number];
export const LATENCY_METRICS = ['firstText', 'firstAudio', 'turn'] as const satisfies readonly MetricName[];

const BUCKET_SIZE = 32 as const;
/** 1 µs .. 1 h, 3 significant digits (±0.1 %), resized automatically beyond. */
export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: BUCKET_SIZE, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}
export const encodeHistogram = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);
export function decodeHistogram(s: string): Histogram {
  const h = newHistogram();
  h.add(hdr.decodeFromCompressedBase64(s, BUCKET_SIZE, false));
  return h;
}
/** Merges histograms exactly into a new one. */
export function mergeHistograms(hs: Iterable<Histogram>): Histogram {
  const out = newHistogram();
  for (const h of hs) out.add(h);
  return out;
}
/** Records a millisecond value (≥ 1 µs so zero-latency samples still count). */
export const recordMs = (h: Histogram, ms: number): void => h.recordValue(Math.max(1, Math.round(ms * 1000)));

export interface TierCounters {
  /** say frames sent (or attempted: a send on a closed connection counts and errors). */
  sent: number;
  /** Turns finished: end frame, local error or unfinished at the end of the run. */
  ended: number;
  /** Ended with an end frame, not cancelled, no error. */
  completed: number;
  cancelled: number;
  degraded: number;
  /** Turns with at least one error (server error frame or local). */
  errored: number;
  /** Still open when the drain phase ended (recorded with their elapsed time as a lower bound). */
  unfinished: number;
  /** cancel frames sent (barge-in). */
  bargeIns: number;
  /** Sends later than the late threshold after their intended time. */
  lateSends: number;
  /** Sends held locally because the connection had maxTurnsInFlight turns open. */
  queuedLocally: number;
  /** Turns whose audio arrived too late for gapless playback started at the first chunk. */
  playbackStalls: number;
  /** Turns with exactly one audio chunk (no streaming RTF). */
  singleChunkTurns: number;
  /** Audio received, ms. */
  audioMs: number;
}

export const emptyCounters = (): TierCounters => ({ sent: 0, ended: 0, completed: 0, cancelled: 0, degraded: 0, errored: 0, unfinished: 0, bargeIns: 0, lateSends: 0, queuedLocally: 0, playbackStalls: 0, singleChunkTurns: 0, audioMs: 0 });

export interface Timeline {
  /** Per second since start: sends, turn ends, completed turns, turns that errored. */
  sent: number[];
  ended: number[];
  completed: number[];
  errors: number[];
}

/** JSON-safe per-process metrics (sent over IPC, merged by the coordinator). */
export interface MetricsSnapshot {
  tiers: Record<Tier, { counters: TierCounters; errors: Record<string, number>; hist: Record<MetricName, string>; timeline: Timeline }>;
  /** Actual − intended send time (µs), all tiers. */
  sendLag: string;
  /** Late sends per second. */
  late: number[];
  /** Error frames not tied to a turn, and connection failures, by code. */
  connectionErrors: Record<string, number>;
}

export interface MergedMetrics {
  tiers: Record<Tier, { counters: TierCounters; errors: Record<string, number>; hist: Record<MetricName, Histogram>; timeline: Timeline }>;
  sendLag: Histogram;
  late: number[];
  connectionErrors: Record<string, number>;
}

/** What happened to one turn, as seen by the generator. Times in ms from the intended send. */
export interface TurnOutcome {
  tier: Tier;
  /** Intended send time in the measured (steady) window: latencies go into the histograms. */
  measured: boolean;
  firstTextMs: number | null;
  firstAudioMs: number | null;
  /** Full turn time; recorded for completed turns and (as a lower bound) unfinished ones. */
  turnMs: number | null;
  /** Audio ms received ÷ wall ms from first to last audio chunk; null with < 2 chunks. */
  rtf: number | null;
  completed: boolean;
  cancelled: boolean;
  degraded: boolean;
  unfinished: boolean;
  errorCodes: string[];
  audioChunks: number;
  audioMs: number;
  playbackStall: boolean;
}

const addInto = (a: number[], i: number, n = 1): void => {
  if (i < 0) return;
  while (a.length <= i) a.push(0);
  a[i]! += n;
};

export class MetricsRecorder {
  private readonly tiers: MergedMetrics['tiers'];
  private readonly sendLag = newHistogram();
  private readonly late: number[] = [];
  private readonly connectionErrors: Record<string, number> = {};
  /** All tiers' first-audio latency, ramp-up included (for the live progress line). */
  readonly firstAudioAll = newHistogram();

  constructor() {
    const tier = () => ({
      counters: emptyCounters(),
      errors: {} as Record<string, number>,
      hist: Object.fromEntries(METRICS.map((m) => [m, newHistogram()])) as Record<MetricName, Histogram>,
      timeline: { sent: [], ended: [], completed: [], errors: [] } as Timeline,
    });
    this.tiers = { gold: tier(), silver: tier(), bronze: tier() };
  }

  counters(tier: Tier): Readonly<TierCounters> {
    return this.tiers[tier].counters;
  }

  /** A say went out (or was attempted) `lagMs` after its intended time, `atS` seconds after start. */
  recordSend(tier: Tier, lagMs: number, lateThresholdMs: number, atS: number): void {
    const t = this.tiers[tier];
    t.counters.sent++;
    addInto(t.timeline.sent, Math.floor(atS));
    recordMs(this.sendLag, Math.max(0, lagMs));
    if (lagMs > lateThresholdMs) {
      t.counters.lateSends++;
      addInto(this.late, Math.floor(atS));
    }
  }

  recordQueued(tier: Tier): void {
    this.tiers[tier].counters.queuedLocally++;
  }

  recordBargeIn(tier: Tier): void {
    this.tiers[tier].counters.bargeIns++;
  }

  recordConnectionError(code: string): void {
    this.connectionErrors[code] = (this.connectionErrors[code] ?? 0) + 1;
  }

  /** A turn ended `atS` seconds after start. */
  recordTurn(o: TurnOutcome, atS: number): void {
    const t = this.tiers[o.tier];
    const c = t.counters;
    c.ended++;
    addInto(t.timeline.ended, Math.floor(atS));
    if (o.completed) {
      c.completed++;
      addInto(t.timeline.completed, Math.floor(atS));
    }
    if (o.cancelled) c.cancelled++;
    if (o.degraded) c.degraded++;
    if (o.unfinished) c.unfinished++;
    if (o.playbackStall) c.playbackStalls++;
    if (o.audioChunks === 1) c.singleChunkTurns++;
    c.audioMs += o.audioMs;
    if (o.errorCodes.length > 0) {
      c.errored++;
      addInto(t.timeline.errors, Math.floor(atS));
      for (const code of o.errorCodes) t.errors[code] = (t.errors[code] ?? 0) + 1;
    }
    if (o.firstAudioMs !== null) recordMs(this.firstAudioAll, o.firstAudioMs);
    if (!o.measured) return;
    if (o.firstTextMs !== null) recordMs(t.hist.firstText, o.firstTextMs);
    if (o.firstAudioMs !== null) recordMs(t.hist.firstAudio, o.firstAudioMs);
    if (o.turnMs !== null) recordMs(t.hist.turn, o.turnMs);
    if (o.rtf !== null && Number.isFinite(o.rtf)) t.hist.rtf.recordValue(Math.max(1, Math.round(o.rtf * 1000)));
  }

  snapshot(): MetricsSnapshot {
    const tiers = {} as MetricsSnapshot['tiers'];
    for (const tier of TIERS) {
      const t = this.tiers[tier];
      tiers[tier] = {
        counters: { ...t.counters },
        errors: { ...t.errors },
        hist: Object.fromEntries(METRICS.map((m) => [m, encodeHistogram(t.hist[m])])) as Record<MetricName, string>,
        timeline: { sent: [...t.timeline.sent], ended: [...t.timeline.ended], completed: [...t.timeline.completed], errors: [...t.timeline.errors] },
      };
    }
    return { tiers, sendLag: encodeHistogram(this.sendLag), late: [...this.late], connectionErrors: { ...this.connectionErrors } };
  }
}

const sumArrays = (arrays: number[][]): number[] => {
  const out: number[] = [];
  for (const a of arrays) a.forEach((n, i) => addInto(out, i, n));
  return out;
};
const sumRecords = (rs: Record<string, number>[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of rs) for (const [k, n] of Object.entries(r)) out[k] = (out[k] ?? 0) + n;
  return out;
};

/** Exact merge of per-process snapshots. */
export function mergeSnapshots(snaps: MetricsSnapshot[]): MergedMetrics {
  const tiers = {} as MergedMetrics['tiers'];
  for (const tier of TIERS) {
    const parts = snaps.map((s) => s.tiers[tier]);
    const counters = emptyCounters();
    for (const p of parts) for (const k of Object.keys(counters) as (keyof TierCounters)[]) counters[k] += p.counters[k];
    tiers[tier] = {
      counters,
      errors: sumRecords(parts.map((p) => p.errors)),
      hist: Object.fromEntries(METRICS.map((m) => [m, mergeHistograms(parts.map((p) => decodeHistogram(p.hist[m])))])) as Record<MetricName, Histogram>,
      timeline: { sent: sumArrays(parts.map((p) => p.timeline.sent)), ended: sumArrays(parts.map((p) => p.timeline.ended)), completed: sumArrays(parts.map((p) => p.timeline.completed)), errors: sumArrays(parts.map((p) => p.timeline.errors)) },
    };
  }
  return {
    tiers,
    sendLag: mergeHistograms(snaps.map((s) => decodeHistogram(s.sendLag))),
    late: sumArrays(snaps.map((s) => s.late)),
    connectionErrors: sumRecords(snaps.map((s) => s.connectionErrors)),
  };
}

export interface PercentileSummary {
  count: number;
  min: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Percentiles of a histogram, divided by `scale` (1000: µs → ms, or ×1000 RTF → ratio). */
export function summarize(h: Histogram, scale = 1000): PercentileSummary {
  const n = h.totalCount;
  if (n === 0) return { count: 0, min: null, mean: null, p50: null, p90: null, p95: null, p99: null, p999: null, max: null };
  const at = (p: number) => round3(h.getValueAtPercentile(p) / scale);
  return { count: n, min: round3(h.minNonZeroValue / scale), mean: round3(h.mean / scale), p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max: round3(h.maxValue / scale) };
}

/** Low-end summary for ratios where small is bad (RTF): min, p1, p10, p50. */
export function summarizeLow(h: Histogram, scale = 1000): { count: number; min: number | null; p1: number | null; p10: number | null; p50: number | null; mean: number | null } {
  if (h.totalCount === 0) return { count: 0, min: null, p1: null, p10: null, p50: null, mean: null };
  const at = (p: number) => round3(h.getValueAtPercentile(p) / scale);
  return { count: h.totalCount, min: round3(h.minNonZeroValue / scale), p1: at(1), p10: at(10), p50: at(50), mean: round3(h.mean / scale) };
}

export interface CurvePoint {
  /** Percentile 0..100. */
  p: number;
  /** 1 / (1 − p/100): the x axis of an HdrHistogram percentile plot. */
  x: number;
  value: number;
}

/** Percentile distribution curve: points log-spaced in 1/(1−p), from p0 up to the last sample. */
export function percentileCurve(h: Histogram, scale = 1000, pointsPerDecade = 12): CurvePoint[] {
  const n = h.totalCount;
  if (n === 0) return [];
  const xMax = Math.min(1e6, Math.max(2, n));
  const out: CurvePoint[] = [];
  const steps = Math.ceil(Math.log10(xMax) * pointsPerDecade);
  for (let i = 0; i <= steps; i++) {
    const x = Math.min(xMax, 10 ** (i / pointsPerDecade));
    const p = 100 * (1 - 1 / x);
    out.push({ p: round3(p), x: round3(x), value: round3(h.getValueAtPercentile(p) / scale) });
  }
  out.push({ p: 100, x: round3(xMax), value: round3(h.maxValue / scale) });
  return out;
}
