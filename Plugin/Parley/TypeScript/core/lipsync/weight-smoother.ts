/**
 * Per-channel exponential smoothing with separate attack (rising) and release (falling) time
 * constants: mouths open fast and close a little slower, which reads as natural speech. The
 * step is exact for any frame time, so the result does not depend on the frame rate.
 */
export class WeightSmoother {
  readonly value: Float32Array;

  constructor(channels: number) {
    this.value = new Float32Array(channels);
  }

  step(target: Float32Array, dtSeconds: number, attackMs: number, releaseMs: number): Float32Array {
    const dtMs = Math.max(0, dtSeconds * 1000);
    const up = attackMs > 0 ? 1 - Math.exp(-dtMs / attackMs) : 1;
    const down = releaseMs > 0 ? 1 - Math.exp(-dtMs / releaseMs) : 1;
    for (let i = 0; i < this.value.length; i++) {
      const y = this.value[i]!;
      const t = target[i] ?? 0;
      this.value[i] = y + (t - y) * (t > y ? up : down);
    }
    return this.value;
  }

  reset(): void {
    this.value.fill(0);
  }
}
