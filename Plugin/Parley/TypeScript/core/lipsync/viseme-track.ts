/**
 * The viseme schedule of one reply, sampled by audio playback position.
 *
 * Frames are `[viseme, startMs, endMs, weight]` on the turn's audio timeline. Coarticulation:
 * each frame fades in over `blendMs` centred on its start and out over `blendMs` centred on its
 * end, so neighbouring mouth shapes overlap the way speech does instead of snapping; a frame
 * shorter than `blendMs` peaks below full weight, as fast consonants do. With `blendMs` 0 the
 * output is exactly the frame under the position.
 */
import type { VisemeTuple } from '@parley/protocol';
import { VISEME_COUNT } from './ovr-visemes.js';

export class VisemeTrack {
  private frames: VisemeTuple[] = [];

  add(frames: readonly VisemeTuple[]): void {
    for (const f of frames) {
      const last = this.frames[this.frames.length - 1];
      this.frames.push(f);
      if (last && f[1] < last[1]) this.frames.sort((a, b) => a[1] - b[1]); // a late message; keep time order
    }
  }

  clear(): void {
    this.frames = [];
  }

  get length(): number {
    return this.frames.length;
  }

  get endMs(): number {
    return this.frames.length ? this.frames[this.frames.length - 1]![2] : 0;
  }

  /** Fills `out` (15 OVR weights, 0..1) for the audio position `ms`. */
  sample(ms: number, blendMs: number, out: Float32Array = new Float32Array(VISEME_COUNT)): Float32Array {
    out.fill(0);
    const h = Math.max(0, blendMs) / 2;
    for (let i = this.firstEndingAfter(ms, h); i < this.frames.length; i++) {
      const [v, start, end, weight] = this.frames[i]!;
      if (start - h > ms) break;
      let env: number;
      if (h === 0) env = ms >= start && ms < end ? 1 : 0;
      else env = Math.max(0, Math.min(1, (ms - (start - h)) / (2 * h), (end + h - ms) / (2 * h)));
      const w = env * weight;
      if (w > out[v]!) out[v] = w;
    }
    return out;
  }

  /** Index of the first frame whose (extended) end lies after `ms` (binary search; frames are ordered). */
  private firstEndingAfter(ms: number, h: number): number {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.frames[mid]![2] + h <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
