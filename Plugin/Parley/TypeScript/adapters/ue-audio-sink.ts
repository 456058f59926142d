/**
 * Plays a reply through the DialogueManager's audio component: PCM goes into a
 * UParleyProceduralSound (a USoundWaveProcedural; its QueueAudio is not reflected, so the C++
 * helper takes the bytes as FArrayBuffer, which Puerts fills from a JS ArrayBuffer). The
 * playback clock is the sound's count of samples handed to the audio mixer.
 */
import type * as UE from 'ue';
import type { AudioSink } from '../core/audio/audio-sink.js';

export class UeAudioSink implements AudioSink {
  private sound: UE.ParleyProceduralSound | null = null;
  private rate = 0;

  constructor(
    private readonly ue: typeof UE,
    private readonly component: UE.ParleyDialogueManagerComponent,
  ) {}

  begin(rate: number): void {
    const audio = this.component.GetVoiceAudio();
    if (!this.sound || this.rate !== rate) {
      this.sound = this.ue.ParleyProceduralSound.CreateParleySound(this.component, rate);
      this.rate = rate;
    } else this.sound.ResetPlayback();
    audio.SetSound(this.sound);
    audio.Play(0);
  }

  queue(pcm: ArrayBuffer): void {
    this.sound?.QueuePcm16(pcm);
  }

  stop(): void {
    this.component.GetVoiceAudio().Stop();
    this.sound?.ResetPlayback();
  }

  samplesPlayed(): number {
    return this.sound?.GetSamplesPlayed() ?? 0;
  }
}
