/**
 * Runs one turn on the worker: compose the reply, then stream it sentence by sentence —
 * text, then that sentence's audio (in chunks) and visemes — so the first sentence plays
 * while later ones are still being synthesized. Abort takes effect between chunks.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { JobFrame, JobOutputFrame, VisemeTuple } from '@parley/protocol';
import { int16ToPcmBytes } from '@parley/protocol';
import { composeScriptedReply } from '../dialogue/index.js';
import { splitForSpeech, type SpeechPool } from '../speech/index.js';

export interface JobRunnerOptions {
  speech: SpeechPool;
  /** Audio frame length; a sentence's PCM is cut into frames of about this many ms. */
  audioChunkMs: number;
  /** Fault injection: delay before each sentence (0 in production). */
  sentenceDelayMs?: number;
}

export type EmitJobFrame = (frame: JobOutputFrame) => void;

const isAbort = (err: unknown) => err instanceof Error && (err.name === 'AbortError' || err.name === 'AbortedError');

export class JobRunner {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly opts: JobRunnerOptions) {}

  get inFlight(): number {
    return this.running.size;
  }

  has(job: string): boolean {
    return this.running.has(job);
  }

  abort(job: string): void {
    this.running.get(job)?.abort();
  }

  abortAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  /** Runs the job to completion; always emits exactly one `done` or `fail`. */
  async run(job: JobFrame, emit: EmitJobFrame): Promise<void> {
    const ctrl = new AbortController();
    this.running.set(job.job, ctrl);
    let spoken = '';
    let audioMs = 0;
    try {
      const reply = composeScriptedReply({ npc: job.npc, playerText: job.text, seed: job.seed, ...(job.history ? { history: job.history } : {}) });
      emit({ t: 'emotion', job: job.job, label: reply.emotion.label, intensity: reply.emotion.intensity });
      let seq = 0;
      let audioSeq = 0;
      for (const sentence of splitForSpeech(reply.text)) {
        if (this.opts.sentenceDelayMs) await delay(this.opts.sentenceDelayMs, undefined, { signal: ctrl.signal });
        if (ctrl.signal.aborted) break;
        const delta = spoken ? ` ${sentence}` : sentence;
        emit({ t: 'text', job: job.job, delta });
        spoken += delta;
        const speech = await this.opts.speech.speak(sentence, job.npc.voice, ctrl.signal);
        if (ctrl.signal.aborted) break;
        const offset = audioMs;
        const frames: VisemeTuple[] = speech.visemes.map((f) => [f.v, round(offset + f.startMs), round(offset + f.endMs), f.weight ?? 1]);
        emit({ t: 'visemes', job: job.job, seq: seq++, frames });
        const samplesPerChunk = Math.max(1, Math.round((speech.sampleRate * this.opts.audioChunkMs) / 1000));
        for (let i = 0; i < speech.pcm.length; i += samplesPerChunk) {
          const part = speech.pcm.subarray(i, i + samplesPerChunk);
          emit({ t: 'audio', job: job.job, seq: audioSeq++, rate: speech.sampleRate, pcm: int16ToPcmBytes(part), startMs: round(offset + (i / speech.sampleRate) * 1000), durationMs: round((part.length / speech.sampleRate) * 1000) });
        }
        audioMs = offset + (speech.pcm.length / speech.sampleRate) * 1000;
      }
      emit({ t: 'done', job: job.job, text: spoken, tier: job.tier, audioMs: round(audioMs), cancelled: ctrl.signal.aborted });
    } catch (err) {
      if (isAbort(err) || ctrl.signal.aborted) emit({ t: 'done', job: job.job, text: spoken, tier: job.tier, audioMs: round(audioMs), cancelled: true });
      else emit({ t: 'fail', job: job.job, code: 'internal', message: err instanceof Error ? err.message : String(err) });
    } finally {
      this.running.delete(job.job);
    }
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
