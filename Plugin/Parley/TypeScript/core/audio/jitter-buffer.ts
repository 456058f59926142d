/**
 * Audio jitter buffer and playback clock for one reply.
 *
 * Chunks arrive faster than real time but not evenly (one burst per sentence). Playback starts
 * once `prebufferMs` of audio is waiting (or the reply is complete), so a slow sentence does not
 * cut the voice mid-word; if the device still runs dry before the reply is complete, the buffer
 * goes back to buffering and counts an underrun. Chunks are released in `seq` order; a hole in
 * the timeline (a missing chunk) is filled with silence so the clock stays on the turn's
 * timeline, on which visemes are scheduled.
 *
 * The clock is the audio device's own: samples played ÷ rate, never wall time.
 */
import { ownedBuffer, type AudioSink } from './audio-sink.js';

export interface AudioChunk {
  seq: number;
  /** ms from the start of the turn's audio. */
  startMs: number;
  rate: number;
  /** PCM16 little-endian mono. */
  pcm: Uint8Array;
}

export type JitterState = 'idle' | 'buffering' | 'playing' | 'stopped';

export class AudioJitterBuffer {
  private readonly pending = new Map<number, AudioChunk>();
  private nextSeq = 0;
  private rate = 0;
  private releasedSamples = 0;
  private receivedSamples = 0;
  private finished = false;
  private started = false;
  state: JitterState = 'idle';
  underruns = 0;

  constructor(
    private readonly sink: AudioSink,
    private readonly prebufferMs = 120,
  ) {}

  get sampleRate(): number {
    return this.rate;
  }
  /** Audio received so far, ms of the turn's timeline. */
  get receivedMs(): number {
    return this.rate ? (this.receivedSamples / this.rate) * 1000 : 0;
  }
  get hasStarted(): boolean {
    return this.started;
  }

  push(chunk: AudioChunk): void {
    if (this.state === 'stopped' || chunk.seq < this.nextSeq || this.pending.has(chunk.seq)) return;
    if (this.rate === 0) this.rate = chunk.rate;
    if (chunk.rate !== this.rate) return; // one rate per reply (protocol v1); a stray chunk cannot be played in time
    this.pending.set(chunk.seq, chunk);
    this.receivedSamples += chunk.pcm.byteLength >> 1;
    if (this.state === 'idle') this.state = 'buffering';
  }

  /** No more chunks will come. */
  finish(): void {
    this.finished = true;
  }

  /** Moves ready audio to the sink; call once per frame. */
  pump(): void {
    if (this.state === 'stopped' || this.state === 'idle') return;
    if (this.state === 'buffering') {
      const ready = this.contiguousPendingMs();
      if ((ready === 0 || this.queuedAheadMs() + ready < this.prebufferMs) && !this.finished) return;
      if (!this.started) {
        this.sink.begin(this.rate);
        this.started = true;
      }
      this.state = 'playing';
    }
    this.release();
    if (!this.finished && this.queuedAheadMs() <= 0 && this.pending.size === 0) {
      this.state = 'buffering';
      this.underruns++;
    }
  }

  /** Playback position on the turn's timeline (ms), from the device's sample count. */
  positionMs(): number {
    if (!this.started || this.rate === 0) return 0;
    return (Math.min(this.sink.samplesPlayed(), this.releasedSamples) / this.rate) * 1000;
  }

  /** Everything received was played (or playback was stopped). */
  get drained(): boolean {
    if (this.state === 'stopped') return true;
    if (!this.finished) return false;
    if (this.pending.size > 0) return false;
    return !this.started || this.sink.samplesPlayed() >= this.releasedSamples;
  }

  stop(): void {
    if (this.state === 'stopped') return;
    if (this.started) this.sink.stop();
    this.state = 'stopped';
    this.pending.clear();
  }

  private queuedAheadMs(): number {
    if (!this.started) return 0;
    return ((this.releasedSamples - this.sink.samplesPlayed()) / this.rate) * 1000;
  }

  private contiguousPendingMs(): number {
    let samples = 0;
    for (let s = this.nextSeq; this.pending.has(s); s++) samples += this.pending.get(s)!.pcm.byteLength >> 1;
    return this.rate ? (samples / this.rate) * 1000 : 0;
  }

  private release(): void {
    for (;;) {
      let chunk = this.pending.get(this.nextSeq);
      if (!chunk && this.finished && this.pending.size > 0) {
        // A chunk never came and the reply is complete: skip to the next one we have.
        this.nextSeq = Math.min(...this.pending.keys());
        chunk = this.pending.get(this.nextSeq);
      }
      if (!chunk) return;
      this.pending.delete(this.nextSeq++);
      const startSample = Math.round((chunk.startMs / 1000) * this.rate);
      const gap = startSample - this.releasedSamples;
      if (gap > 1) {
        this.sink.queue(new ArrayBuffer(gap * 2)); // silence keeps the clock on the turn's timeline
        this.releasedSamples += gap;
      }
      const buffer = ownedBuffer(chunk.pcm);
      if (buffer.byteLength === 0) continue;
      this.sink.queue(buffer);
      this.releasedSamples += buffer.byteLength >> 1;
    }
  }
}
