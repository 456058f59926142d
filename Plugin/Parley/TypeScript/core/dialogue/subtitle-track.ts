/**
 * Subtitles of one reply. Text arrives a sentence ahead of its audio; with `followAudio` each
 * piece is revealed when playback reaches the audio that was received after it (the start of
 * its sentence), so subtitles match the voice instead of running ahead of it.
 */
export class SubtitleTrack {
  private readonly cues: { atMs: number; delta: string }[] = [];
  private shown = '';
  private all = '';

  constructor(private readonly followAudio: boolean) {}

  /** Everything shown so far. */
  get text(): string {
    return this.shown;
  }
  /** Everything received so far. */
  get received(): string {
    return this.all;
  }

  /** Adds a text delta that belongs to the audio from `atAudioMs` on. Returns it if it shows at once. */
  push(delta: string, atAudioMs: number): string | null {
    this.all += delta;
    if (!this.followAudio) {
      this.shown += delta;
      return delta;
    }
    this.cues.push({ atMs: atAudioMs, delta });
    return null;
  }

  /** Deltas due at playback position `ms` (all of them when `flush`). */
  reveal(ms: number, flush = false): string[] {
    const due: string[] = [];
    while (this.cues.length > 0 && (flush || this.cues[0]!.atMs <= ms)) {
      const cue = this.cues.shift()!;
      this.shown += cue.delta;
      due.push(cue.delta);
    }
    return due;
  }
}
