/**
 * A fixed pool of worker threads running eSpeak NG, fronted by a FIFO queue.
 *
 * eSpeak's synthesize() is synchronous (a 12-word sentence blocks for 5–30 ms), so it never
 * runs on the I/O thread. Each thread owns one WASM instance and handles one request at a time.
 * - Requests wait in the queue while every thread is busy.
 * - Abort before start: the request leaves the queue and rejects at once with an AbortError.
 *   Abort while running: rejects at once; the thread stops synthesis at its next audio chunk
 *   (a shared cancel slot it polls) and only then takes new work.
 * - PCM comes back in the thread's own buffer through the transfer list (no copy).
 * - A thread that dies rejects its in-flight request and is replaced; if the replacement cannot
 *   start, the slot stays empty, and when no thread is left queued requests are rejected.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { EspeakSettings, WordTiming } from './espeak.js';
import type { FromThread, ThreadData, ToThread } from './synth-thread.js';
import type { PhonemeTiming, VisemeFrame } from './visemes.js';
import { listVoices, resolveVoice } from './voices.js';

export interface SpeechResult {
  pcm: Int16Array;
  sampleRate: number;
  durationMs: number;
  phonemes: PhonemeTiming[];
  visemes: VisemeFrame[];
  words: WordTiming[];
  /** Time the thread spent synthesizing (excludes queueing and message passing). */
  synthMs: number;
}

export interface SpeechPoolOptions {
  /** Number of threads; default min(2, max(1, cores − 1)). */
  threads?: number;
  /** Thread entry module; default synth-thread.(ts|js) beside this file. Tests swap it. */
  threadUrl?: URL;
  /**
   * Warm each thread at start by speaking a short sentence in every catalog voice (about 1 s of
   * CPU per thread; a cold first request costs 150–600 ms otherwise). Default true.
   */
  warmup?: boolean;
  /** start() rejects if a thread is not ready within this time. Default 30 s. */
  initTimeoutMs?: number;
}

export interface SpeechPoolStats {
  threads: number;
  busy: number;
  queued: number;
  /** Threads replaced after a crash. */
  restarts: number;
  /** Per-thread init time (module load + eSpeak init), ms. */
  initMs: number[];
  /** Per-thread warm-up time, ms. */
  warmupMs: number[];
}

/** What a thread warms at start: every catalog voice, as plain settings. */
export const warmupVoices = (): EspeakSettings[] => listVoices().map(({ voice, rate, pitch, range }) => ({ voice, rate, pitch, range }));

export const defaultThreadCount = (): number => Math.min(2, Math.max(1, availableParallelism() - 1));

interface Job {
  id: number;
  text: string;
  settings: EspeakSettings;
  resolve: (r: SpeechResult) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  done: boolean;
}

interface Slot {
  index: number;
  worker: Worker;
  cancel: Int32Array;
  ready: boolean;
  job: Job | undefined;
  initMs: number;
  warmupMs: number;
  /** Set when we terminate the worker on purpose: its exit is not a crash. */
  retiring: boolean;
  /** Until ready: fails this thread's start (clears its timer, terminates it). */
  failInit: ((why: string) => void) | undefined;
}

const abortError = (): DOMException => new DOMException('speech request aborted', 'AbortError');

const isTypeScript = (url: URL): boolean => /\.[cm]?ts$/.test(url.pathname);

/**
 * A thread whose entry is TypeScript (running under tsx or vitest) needs tsx's loader inside
 * the thread. On Node 20 `execArgv: ['--import', 'tsx']` does NOT apply the loader to the
 * worker's entry module ("Unknown file extension .ts"), so the thread starts from a tiny eval'd
 * bootstrap that registers tsx's ESM hooks in that thread and then imports the entry.
 * A compiled .js entry is started directly.
 */
function workerEntry(url: URL): { entry: string | URL; eval: boolean } {
  if (!isTypeScript(url)) return { entry: url, eval: false };
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return { entry: code, eval: true };
}

function defaultThreadUrl(): URL {
  const ext = /\.[cm]?ts$/.test(new URL(import.meta.url).pathname) ? '.ts' : '.js';
  return new URL(`./synth-thread${ext}`, import.meta.url);
}

export class SpeechPool {
  private readonly size: number;
  private readonly threadUrl: URL;
  private readonly warmup: boolean;
  private readonly initTimeoutMs: number;
  private readonly slots: (Slot | undefined)[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private restarts = 0;
  private started: Promise<void> | undefined;
  private startError: Error | undefined;
  private closed = false;

  constructor(opts: SpeechPoolOptions = {}) {
    const threads = opts.threads ?? defaultThreadCount();
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`SpeechPool: threads must be a positive integer, got ${threads}`);
    this.size = threads;
    this.threadUrl = opts.threadUrl ?? defaultThreadUrl();
    this.warmup = opts.warmup ?? true;
    this.initTimeoutMs = opts.initTimeoutMs ?? 30_000;
  }

  /** Starts every thread and initialises (and warms) its eSpeak; rejects, stopping them all, if any fails. Idempotent. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    this.started ??= (async () => {
      try {
        await Promise.all(Array.from({ length: this.size }, (_, i) => this.spawn(i)));
        if (this.closed) throw this.closedError();
      } catch (e) {
        this.startError = e instanceof Error ? e : new Error(String(e));
        this.closed = true;
        await this.terminateAll();
        throw e;
      }
      this.pump();
    })();
    return this.started;
  }

  /**
   * Synthesizes `text` with a Parley voice id (default voice when undefined). Starts the pool
   * if needed. Rejects with UnknownVoiceError for an unknown voice, with an AbortError when
   * `signal` aborts first.
   */
  speak(text: string, voiceId?: string, signal?: AbortSignal): Promise<SpeechResult> {
    return new Promise<SpeechResult>((resolve, reject) => {
      if (this.closed) return reject(this.closedError());
      const { voice, rate, pitch, range } = resolveVoice(voiceId); // throws UnknownVoiceError → rejects
      if (signal?.aborted) return reject(abortError());
      const job: Job = { id: this.nextId++, text, settings: { voice, rate, pitch, range }, resolve, reject, signal, onAbort: undefined, done: false };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      if (this.started) this.pump();
      else this.start().catch((e: unknown) => this.settle(job, undefined, e));
    });
  }

  /** Rejects queued and in-flight requests and terminates every thread. */
  async close(): Promise<void> {
    if (this.closed && this.slots.every((s) => !s)) return;
    this.closed = true;
    const err = new Error('SpeechPool is closed');
    for (const job of this.queue.splice(0)) this.settle(job, undefined, err);
    for (const slot of this.slots) if (slot?.job) this.settle(slot.job, undefined, err);
    await this.terminateAll();
  }

  get stats(): SpeechPoolStats {
    const live = this.slots.filter((s): s is Slot => !!s);
    return {
      threads: live.length,
      busy: live.filter((s) => s.job).length,
      queued: this.queue.length,
      restarts: this.restarts,
      initMs: live.map((s) => s.initMs),
      warmupMs: live.map((s) => s.warmupMs),
    };
  }

  // ---- internals ----

  private closedError(): Error {
    return this.startError ?? new Error('SpeechPool is closed');
  }

  private spawn(index: number): Promise<void> {
    const cancel = new SharedArrayBuffer(4);
    const workerData: ThreadData = { cancel, warmup: this.warmup ? warmupVoices() : [] };
    const { entry, eval: isEval } = workerEntry(this.threadUrl);
    const worker = new Worker(entry, { workerData, eval: isEval });
    const slot: Slot = { index, worker, cancel: new Int32Array(cancel), ready: false, job: undefined, initMs: 0, warmupMs: 0, retiring: false, failInit: undefined };
    this.slots[index] = slot;

    return new Promise<void>((resolve, reject) => {
      let lastError: Error | undefined;
      const failInit = (why: string): void => {
        clearTimeout(timer);
        slot.failInit = undefined;
        slot.retiring = true;
        void worker.terminate();
        if (this.slots[index] === slot) this.slots[index] = undefined;
        reject(new Error(`SpeechPool: speech thread ${index} failed to start: ${why}`));
      };
      const timer = setTimeout(() => failInit(`not ready after ${this.initTimeoutMs} ms`), this.initTimeoutMs);
      slot.failInit = failInit;

      worker.on('message', (msg: FromThread) => {
        switch (msg.type) {
          case 'ready':
            clearTimeout(timer);
            slot.failInit = undefined;
            slot.ready = true;
            slot.initMs = msg.initMs;
            slot.warmupMs = msg.warmupMs;
            resolve();
            this.pump();
            return;
          case 'init-error':
            failInit(msg.message);
            return;
          case 'result': {
            const job = this.finishSlotJob(slot, msg.id);
            if (job) {
              const { type: _t, id: _id, ...result } = msg;
              this.settle(job, result);
            }
            this.pump();
            return;
          }
          case 'error': {
            const job = this.finishSlotJob(slot, msg.id);
            if (job) {
              const err = new Error(`speech synthesis failed: ${msg.message}`);
              err.name = msg.name === 'AbortError' ? 'AbortError' : 'SpeechSynthesisError';
              this.settle(job, undefined, err);
            }
            this.pump();
            return;
          }
        }
      });
      worker.on('error', (err) => {
        lastError = err;
      });
      worker.on('exit', (code) => {
        if (slot.retiring) return;
        const why = lastError ? lastError.message : `exit code ${code}`;
        if (!slot.ready) return failInit(`thread exited during init (${why})`);
        this.onCrash(slot, why);
      });
    });
  }

  private onCrash(slot: Slot, why: string): void {
    if (this.slots[slot.index] === slot) this.slots[slot.index] = undefined;
    const job = slot.job;
    slot.job = undefined;
    if (job) this.settle(job, undefined, new Error(`SpeechPool: speech thread ${slot.index} crashed (${why})`));
    if (this.closed) return;
    this.restarts++;
    this.spawn(slot.index).catch(() => {
      // Replacement failed to start: leave the slot empty; fail waiting work if nothing is left.
      if (this.slots.every((s) => !s)) {
        const err = new Error('SpeechPool: no speech threads left (replacement failed to start)');
        for (const j of this.queue.splice(0)) this.settle(j, undefined, err);
      }
    });
  }

  /** Frees the slot; returns the job if it is still waiting for this result. */
  private finishSlotJob(slot: Slot, id: number): Job | undefined {
    const job = slot.job;
    if (!job || job.id !== id) return undefined;
    slot.job = undefined;
    return job.done ? undefined : job;
  }

  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot || !slot.ready || slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const msg: ToThread = { type: 'speak', id: job.id, text: job.text, settings: job.settings };
      slot.worker.postMessage(msg);
    }
  }

  private abort(job: Job): void {
    if (job.done) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else {
      const slot = this.slots.find((s) => s?.job === job);
      if (slot) Atomics.store(slot.cancel, 0, job.id); // the thread stops at its next chunk; slot frees on its reply
    }
    this.settle(job, undefined, abortError());
  }

  private settle(job: Job, result: SpeechResult | undefined, error?: unknown): void {
    if (job.done) return;
    job.done = true;
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    if (result) job.resolve(result);
    else job.reject(error);
  }

  private async terminateAll(): Promise<void> {
    const live = this.slots.filter((s): s is Slot => !!s);
    this.slots.fill(undefined);
    await Promise.all(
      live.map((s) => {
        s.failInit?.('the pool was closed');
        s.retiring = true;
        return s.worker.terminate();
      }),
    );
  }
}
