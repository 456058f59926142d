/**
 * Automatic blinks: a blink every `minIntervalSeconds`..`maxIntervalSeconds` (uniformly
 * random, like people), closing fast and opening slower over `durationSeconds`.
 */
export interface BlinkSettings {
  enabled: boolean;
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
  durationSeconds: number;
}

export const DEFAULT_BLINK: BlinkSettings = { enabled: true, minIntervalSeconds: 2.5, maxIntervalSeconds: 6, durationSeconds: 0.18 };

const CLOSING = 0.4; // share of the blink spent closing

export class Blinker {
  private untilNext: number;
  private inBlink = -1; // seconds into the current blink, -1 when none
  blinks = 0;

  constructor(
    public settings: BlinkSettings,
    private readonly random: () => number,
  ) {
    this.untilNext = this.interval();
  }

  /** Advances by `dtSeconds`; returns the eyelid closure 0..1. */
  update(dtSeconds: number): number {
    const s = this.settings;
    if (!s.enabled) return 0;
    if (this.inBlink < 0) {
      this.untilNext -= dtSeconds;
      if (this.untilNext > 0) return 0;
      this.inBlink = -this.untilNext; // overshoot into the blink
      this.blinks++;
    } else this.inBlink += dtSeconds;
    const d = Math.max(0.02, s.durationSeconds);
    const t = this.inBlink;
    if (t >= d) {
      this.inBlink = -1;
      this.untilNext = this.interval();
      return 0;
    }
    return t < d * CLOSING ? t / (d * CLOSING) : 1 - (t - d * CLOSING) / (d * (1 - CLOSING));
  }

  private interval(): number {
    const { minIntervalSeconds: lo, maxIntervalSeconds: hi } = this.settings;
    return Math.max(0.1, lo + this.random() * Math.max(0, hi - lo));
  }
}

export const BLINK_TARGETS = ['eyeBlinkLeft', 'eyeBlinkRight'] as const;
