/** An AudioSink for tests: records what is queued; `play(n)` is the audio device consuming n samples. */
import type { AudioSink } from '../audio/audio-sink.js';

export class RecordingSink implements AudioSink {
  rate = 0;
  begins = 0;
  stops = 0;
  readonly buffers: ArrayBuffer[] = [];
  private queued = 0;
  private played = 0;

  begin(rate: number): void {
    this.rate = rate;
    this.begins++;
    this.queued = 0;
    this.played = 0;
  }
  queue(pcm: ArrayBuffer): void {
    this.buffers.push(pcm);
    this.queued += pcm.byteLength >> 1;
  }
  stop(): void {
    this.stops++;
    this.queued = 0;
    this.played = 0;
  }
  samplesPlayed(): number {
    return this.played;
  }
  get samplesQueued(): number {
    return this.queued;
  }
  /** The device pulls up to `samples`; returns how many it got. */
  play(samples: number): number {
    const n = Math.min(samples, this.queued - this.played);
    this.played += n;
    return n;
  }
  /** All queued samples as one Int16Array. */
  pcm(): Int16Array {
    const total = this.buffers.reduce((n, b) => n + (b.byteLength >> 1), 0);
    const out = new Int16Array(total);
    let o = 0;
    for (const b of this.buffers) {
      out.set(new Int16Array(b), o);
      o += b.byteLength >> 1;
    }
    return out;
  }
}

/** `ms` of PCM16 at `rate` where sample i = (i + offset) mod 32768: contiguity is checkable. */
export function rampPcm(ms: number, rate: number, offset = 0): Uint8Array {
  const n = Math.round((ms / 1000) * rate);
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = (i + offset) % 32768;
  return new Uint8Array(s.buffer);
}
