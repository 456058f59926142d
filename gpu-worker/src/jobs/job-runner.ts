/**
 * Runs one turn on the worker: stream the reply from the dialogue backend, cut it into
 * speakable chunks as it arrives (SpeechChunker), and for each chunk send its text, then its
 * visemes and audio, so the first sentence plays while the model is still writing the next.
 *
 * Two loops share a queue: the producer reads the backend as fast as it writes (generation
 * never waits for speech), the consumer speaks chunk by chunk in order. Emotions travel through
 * the same queue, so a change of emotion reaches the client with the words it belongs to.
 * Abort takes effect between chunks and stops the backend's generation.
 *
 * Jobs of the `scripted` tier use the scripted composer; with `scriptedFallback`, a backend that
 * fails before its first word is replaced by it too (the turn then ends as tier `scripted`).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { JobFrame, JobOutputFrame, ServedTier, VisemeTuple } from '@parley/protocol';
import { int16ToPcmBytes } from '@parley/protocol';
import type { DialogueBackend, DialogueRequest } from '../dialogue/backend.js';
import { ScriptedBackend } from '../dialogue/scripted-backend.js';
import { AsyncQueue } from '../models/async-queue.js';
import { SpeechChunker, type Speaker } from '../speech/index.js';

export interface JobRunnerOptions {
  speech: Speaker;
  /** Audio frame length; a chunk's PCM is cut into frames of about this many ms. */
  audioChunkMs: number;
  /** Fault injection: delay before each chunk (0 in production). */
  sentenceDelayMs?: number;
  /** Writes the NPC's words (default: the scripted composer). */
  backend?: DialogueBackend;
  /** Answer with the scripted composer when the backend fails before its first word. */
  scriptedFallback?: boolean;
  /** Told when the fallback answers instead of the backend. */
  onFallback?: (job: string, error: unknown) => void;
}

export type EmitJobFrame = (frame: JobOutputFrame) => void;

type Item = { kind: 'emotion'; label: string; intensity: number } | { kind: 'chunk'; text: string };

const isAbort = (err: unknown) => err instanceof Error && (err.name === 'AbortError' || err.name === 'AbortedError');

export class JobRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly backend: DialogueBackend;
  private readonly scripted: DialogueBackend;

  constructor(private readonly opts: JobRunnerOptions) {
    this.scripted = opts.backend?.name === 'scripted' ? opts.backend : new ScriptedBackend();
    this.backend = opts.backend ?? this.scripted;
  }

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
    // The backend stops when the job is aborted or when speaking fails.
    const generation = new AbortController();
    ctrl.signal.addEventListener('abort', () => generation.abort(), { once: true });
    this.running.set(job.job, ctrl);
    let spoken = '';
    let audioMs = 0;
    let tier: ServedTier = job.tier;
    try {
      const items = new AsyncQueue<Item>();
      ctrl.signal.addEventListener('abort', () => items.end(), { once: true }); // wake the consumer at once
      const producing = this.produce(job, generation.signal, items, () => (tier = 'scripted'));
      let seq = 0;
      let audioSeq = 0;
      for await (const item of items) {
        if (ctrl.signal.aborted) break;
        if (item.kind === 'emotion') {
          emit({ t: 'emotion', job: job.job, label: item.label, intensity: item.intensity });
          continue;
        }
        if (this.opts.sentenceDelayMs) await delay(this.opts.sentenceDelayMs, undefined, { signal: ctrl.signal });
        if (ctrl.signal.aborted) break;
        const delta = spoken ? ` ${item.text}` : item.text;
        emit({ t: 'text', job: job.job, delta });
        spoken += delta;
        const speech = await this.opts.speech.speak(item.text, job.npc.voice, ctrl.signal);
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
      if (!ctrl.signal.aborted) await producing;
      emit({ t: 'done', job: job.job, text: spoken, tier, audioMs: round(audioMs), cancelled: ctrl.signal.aborted });
    } catch (err) {
      if (isAbort(err) || ctrl.signal.aborted) emit({ t: 'done', job: job.job, text: spoken, tier, audioMs: round(audioMs), cancelled: true });
      else emit({ t: 'fail', job: job.job, code: 'internal', message: err instanceof Error ? err.message : String(err) });
    } finally {
      generation.abort();
      this.running.delete(job.job);
    }
  }

  /** Reads the backend into the queue as chunks and emotions; never throws (errors fail the queue). */
  private async produce(job: JobFrame, signal: AbortSignal, items: AsyncQueue<Item>, onFallback: () => void): Promise<void> {
    const req: DialogueRequest = { npc: job.npc, player: job.player, text: job.text, tier: job.tier, seed: job.seed, ...(job.history ? { history: job.history } : {}), ...(job.context ? { context: job.context } : {}) };
    const chunker = new SpeechChunker();
    let said = false;
    const pump = async (backend: DialogueBackend) => {
      for await (const ev of backend.reply(req, signal)) {
        if (signal.aborted) return;
        if (ev.type === 'emotion') items.push({ kind: 'emotion', label: ev.label, intensity: ev.intensity });
        else {
          said ||= ev.delta.trim() !== '';
          for (const text of chunker.push(ev.delta)) items.push({ kind: 'chunk', text });
        }
      }
    };
    try {
      const primary = job.tier === 'scripted' ? this.scripted : this.backend;
      try {
        await pump(primary);
      } catch (e) {
        if (signal.aborted || said || primary === this.scripted || !this.opts.scriptedFallback) throw e;
        this.opts.onFallback?.(job.job, e);
        onFallback();
        await pump(this.scripted);
      }
      if (!signal.aborted) for (const text of chunker.flush()) items.push({ kind: 'chunk', text });
      items.end();
    } catch (e) {
      items.fail(e);
    }
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
