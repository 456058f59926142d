/**
 * Per-frame lip sync: viseme weights for the audio position → smoothing → face weights.
 *
 * The driver never looks at wall time to decide *which* mouth shape shows: that comes from the
 * playback position (see VisemeTrack). Frame time only sets how fast the smoothing follows,
 * and how fast the mouth closes when speech stops or is cancelled.
 */
import { VISEME_COUNT } from './ovr-visemes.js';
import { WeightSmoother } from './weight-smoother.js';
import { mapVisemes, type VisemeMapping } from './viseme-mapping.js';

export interface LipSyncSettings {
  mapping: VisemeMapping;
  /** Multiplier on mouth movement (1 = as mapped). */
  intensity: number;
  /** Smoothing time constants (ms): rising weights, falling weights. 0 = none. */
  attackMs: number;
  releaseMs: number;
  /** Overlap of neighbouring visemes (ms), see VisemeTrack. */
  coarticulationMs: number;
  /** Delay lips by this much to match audio output latency (ms; negative = earlier). */
  latencyMs: number;
}

export const DEFAULT_LIP_SYNC: Omit<LipSyncSettings, 'mapping'> = { intensity: 1, attackMs: 40, releaseMs: 70, coarticulationMs: 60, latencyMs: 0 };

/** Samples the active reply's visemes at its playback position; false when nothing is being said. */
export type VisemeSource = (blendMs: number, latencyMs: number, out: Float32Array) => boolean;

export class LipSyncDriver {
  private readonly target = new Float32Array(VISEME_COUNT);
  private readonly smoother = new WeightSmoother(VISEME_COUNT);
  private readonly face = new Map<string, number>();

  constructor(public settings: LipSyncSettings) {}

  /** Current OVR viseme weights after smoothing (for debugging and tests). */
  get visemes(): Float32Array {
    return this.smoother.value;
  }

  /** One frame: returns the lip layer (face weights); all zero once speech stops. */
  update(dtSeconds: number, source: VisemeSource | null): ReadonlyMap<string, number> {
    const s = this.settings;
    if (!source || !source(s.coarticulationMs, s.latencyMs, this.target)) this.target.fill(0);
    const smoothed = this.smoother.step(this.target, dtSeconds, s.attackMs, s.releaseMs);
    return mapVisemes(smoothed, s.mapping, s.intensity, this.face);
  }

  reset(): void {
    this.smoother.reset();
    this.target.fill(0);
  }
}
