/**
 * Blends emotion presets over time. A new emotion fades in over `blendSeconds` while the
 * previous one fades out; when the NPC stops talking the expression holds for `holdSeconds`,
 * then relaxes to neutral over `decaySeconds`. Linear ramps on each emotion's weight, stepped
 * by frame time (any frame rate gives the same curve).
 */
import { addPose, type FacePose } from '../face/face-pose.js';
import { normalizeEmotion } from './emotion-presets.js';

export interface ExpressionSettings {
  presets: ReadonlyMap<string, FacePose>;
  /** Overall multiplier (1 = presets as authored). */
  strength: number;
  blendSeconds: number;
  holdSeconds: number;
  decaySeconds: number;
}

export const DEFAULT_EXPRESSION: Omit<ExpressionSettings, 'presets'> = { strength: 1, blendSeconds: 0.35, holdSeconds: 1.5, decaySeconds: 2 };

export class ExpressionBlender {
  private readonly weights = new Map<string, number>();
  private readonly targets = new Map<string, number>();
  /** Seconds left before decaying to neutral; Infinity while the emotion should stay. */
  private holdLeft = Infinity;
  private decaying = false;
  private readonly out = new Map<string, number>();
  emotion = 'neutral';
  intensity = 0;

  constructor(public settings: ExpressionSettings) {}

  /** Shows `label` at `intensity` (0..1) until `relax()` or another emotion. Returns the label used. */
  setEmotion(label: string, intensity: number): string {
    const key = normalizeEmotion(label, this.settings.presets);
    this.emotion = key;
    this.intensity = Math.max(0, Math.min(1, intensity));
    for (const k of this.targets.keys()) this.targets.set(k, 0);
    this.targets.set(key, this.intensity);
    this.holdLeft = Infinity;
    this.decaying = false;
    return key;
  }

  /** The NPC finished speaking: hold, then decay to neutral. */
  relax(): void {
    if (this.holdLeft === Infinity) this.holdLeft = this.settings.holdSeconds;
  }

  /** Current weight of one emotion, 0..1 (for tests and debugging). */
  weightOf(label: string): number {
    return this.weights.get(label) ?? 0;
  }

  update(dtSeconds: number): ReadonlyMap<string, number> {
    const dt = Math.max(0, dtSeconds);
    if (this.holdLeft !== Infinity) {
      this.holdLeft -= dt;
      if (this.holdLeft <= 0 && !this.decaying) {
        this.decaying = true;
        for (const k of this.targets.keys()) this.targets.set(k, 0);
        this.emotion = 'neutral';
        this.intensity = 0;
      }
    }
    const s = this.settings;
    for (const [label, target] of this.targets) {
      const w = this.weights.get(label) ?? 0;
      const rampSeconds = target < w && this.decaying ? s.decaySeconds : s.blendSeconds;
      const step = rampSeconds > 0 ? dt / rampSeconds : 1;
      const next = target > w ? Math.min(target, w + step) : Math.max(target, w - step);
      if (next <= 0 && target <= 0) {
        this.weights.delete(label);
        this.targets.delete(label);
      } else this.weights.set(label, next);
    }
    this.out.clear();
    for (const [label, w] of this.weights) {
      const pose = s.presets.get(label);
      if (pose) addPose(this.out, pose, w * s.strength);
    }
    return this.out;
  }
}
