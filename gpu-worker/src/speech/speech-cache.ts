/**
 * A byte-bounded LRU cache in front of the speech pool, keyed by (voice, text). NPC lines
 * repeat — barks, greetings, the scripted backend's phrase banks, a zombie's groans — and a
 * cached sentence costs nothing to speak again. Concurrent requests for the same sentence
 * share one synthesis. Cached results are shared: callers must not mutate or transfer them.
 */
import { LRUCache } from 'lru-cache';
import type { SpeechResult } from './synth-pool.js';

/** What the job runner and the TTS endpoint need from a synthesizer. */
export interface Speaker {
  speak(text: string, voiceId?: string, signal?: AbortSignal): Promise<SpeechResult>;
}

export interface SpeechCacheStats {
  hits: number;
  misses: number;
  /** Requests that joined a synthesis already in flight. */
  joined: number;
  entries: number;
  bytes: number;
}

const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });

/** Approximate memory of a result: PCM plus timing arrays. */
const sizeOf = (r: SpeechResult) => r.pcm.byteLength + (r.phonemes.length + r.visemes.length + r.words.length) * 48 + 256;

export class SpeechCache implements Speaker {
  private readonly cache: LRUCache<string, SpeechResult>;
  private readonly inFlight = new Map<string, Promise<SpeechResult>>();
  private readonly counts = { hits: 0, misses: 0, joined: 0 };

  constructor(
    private readonly inner: Speaker,
    opts: { maxBytes: number; maxSentenceChars?: number },
  ) {
    this.cache = new LRUCache<string, SpeechResult>({ maxSize: Math.max(1, opts.maxBytes), sizeCalculation: sizeOf });
    this.maxChars = opts.maxSentenceChars ?? 400;
  }

  private readonly maxChars: number;

  speak(text: string, voiceId?: string, signal?: AbortSignal): Promise<SpeechResult> {
    if (signal?.aborted) return Promise.reject(abortError());
    // Long, one-off texts (e.g. the TTS endpoint) are not worth keeping.
    if (text.length > this.maxChars) return this.inner.speak(text, voiceId, signal);
    const key = `${voiceId ?? ''}\u0000${text}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.counts.hits++;
      return Promise.resolve(hit);
    }
    let shared = this.inFlight.get(key);
    if (shared) this.counts.joined++;
    else {
      this.counts.misses++;
      // The shared synthesis is not tied to one caller's signal: another caller may still want it.
      shared = this.inner.speak(text, voiceId).then(
        (r) => {
          this.inFlight.delete(key);
          this.cache.set(key, r);
          return r;
        },
        (e: unknown) => {
          this.inFlight.delete(key);
          throw e;
        },
      );
      this.inFlight.set(key, shared);
    }
    return signal ? raceAbort(shared, signal) : shared;
  }

  get stats(): SpeechCacheStats {
    return { ...this.counts, entries: this.cache.size, bytes: this.cache.calculatedSize };
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
