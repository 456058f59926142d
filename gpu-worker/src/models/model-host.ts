/**
 * The I/O thread's handle on a model thread: start it (load the model), stream generations from
 * it, cancel them, and survive its crash (in-flight generations fail, a new thread loads the
 * model again, later requests wait for it).
 */
import type { Worker } from 'node:worker_threads';
import { AsyncQueue } from './async-queue.js';
import type { EngineStats } from './batch-engine.js';
import type { LoadModelOptions, ModelInfo } from './load-model.js';
import { ModelLoadError, type ModelErrorCode } from './model-errors.js';
import type { FinishedMessage, FromModelThread, ModelThreadData, ToModelThread } from './model-thread-protocol.js';
import type { SamplingParams } from './sampler.js';
import type { FinishReason } from './sequence.js';
import type { ChatMessage } from './text-codec.js';
import { DEFAULT_PREFIX_CACHE_MB } from './prefix-cache.js';
import { siblingModule, startThread } from './thread-entry.js';

export interface ModelHostOptions {
  load: LoadModelOptions;
  /** Sequences decoded together (default 32). */
  maxBatch?: number;
  /** Prompt tokens prefilled per step, between decode steps (default 1024). */
  maxPrefillTokens?: number;
  /** MiB of prompt KV cache kept for prompts that start alike (0 = off; default DEFAULT_PREFIX_CACHE_MB; see prefix-cache.ts). */
  prefixCacheMb?: number;
  /** Thread entry module; default model-thread beside this file. */
  threadUrl?: URL;
  /** Called when a crashed thread is being replaced. */
  onRestart?: (why: string) => void;
}

export interface GenerationRequest {
  messages: ChatMessage[];
  sampling: SamplingParams;
  maxNewTokens: number;
  stop?: string[];
  /** Keep going past end-of-sequence tokens (benchmarks). */
  ignoreEos?: boolean;
}

export interface GenerationResult {
  reason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  firstTokenMs: number | undefined;
  droppedTurns: number;
}

export class GenerationError extends Error {
  override name = 'GenerationError';
  constructor(
    readonly code: 'prompt_too_long' | 'bad_prompt' | 'model_error' | 'model_unavailable',
    message: string,
  ) {
    super(message);
  }
}

const abortError = () => new DOMException('generation aborted', 'AbortError');

/** A running generation: iterate it for text deltas; `result` settles when it ends. */
export class Generation implements AsyncIterable<string> {
  readonly deltas = new AsyncQueue<string>();
  readonly result: Promise<GenerationResult>;
  private settle!: { resolve: (r: GenerationResult) => void; reject: (e: unknown) => void };
  done = false;

  constructor() {
    this.result = new Promise<GenerationResult>((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => undefined); // consumers may only iterate; the iterator reports the error too
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return this.deltas[Symbol.asyncIterator]();
  }

  finish(r: GenerationResult): void {
    if (this.done) return;
    this.done = true;
    this.deltas.end();
    this.settle.resolve(r);
  }

  fail(e: unknown): void {
    if (this.done) return;
    this.done = true;
    this.deltas.fail(e);
    this.settle.reject(e);
  }
}

export class ModelHost {
  private worker!: Worker;
  private ready!: Promise<ModelInfo>;
  private readonly active = new Map<number, Generation>();
  private nextId = 1;
  private closed = false;
  private statsWaiters: Array<(s: { stats: EngineStats; waiting: number; running: number }) => void> = [];
  info!: ModelInfo;
  restarts = 0;

  private constructor(private readonly opts: ModelHostOptions) {}

  /** Starts the thread and loads the model; rejects with ModelLoadError when the folder is unusable. */
  static async start(opts: ModelHostOptions): Promise<ModelHost> {
    const host = new ModelHost(opts);
    host.spawn();
    host.info = await host.ready;
    return host;
  }

  generate(req: GenerationRequest, signal?: AbortSignal): Generation {
    const g = new Generation();
    if (this.closed) {
      g.fail(new GenerationError('model_unavailable', 'the model host is closed'));
      return g;
    }
    if (signal?.aborted) {
      g.fail(abortError());
      return g;
    }
    const id = this.nextId++;
    this.active.set(id, g);
    const msg: ToModelThread = { type: 'generate', id, messages: req.messages, sampling: req.sampling, maxNewTokens: req.maxNewTokens, stop: req.stop ?? [], ...(req.ignoreEos ? { ignoreEos: true } : {}) };
    this.ready.then(
      () => (this.active.has(id) ? this.worker.postMessage(msg) : undefined),
      (e: unknown) => this.end(id, (x) => x.fail(new GenerationError('model_unavailable', e instanceof Error ? e.message : String(e)))),
    );
    signal?.addEventListener(
      'abort',
      () => {
        if (!this.active.has(id)) return;
        this.end(id, (x) => x.fail(abortError()));
        void this.ready.then(() => this.worker.postMessage({ type: 'cancel', id } satisfies ToModelThread), () => undefined);
      },
      { once: true },
    );
    return g;
  }

  /** The engine's counters (steps, tokens, time in session.run) and queue sizes. */
  async stats(): Promise<{ stats: EngineStats; waiting: number; running: number }> {
    await this.ready;
    return new Promise((resolve) => {
      this.statsWaiters.push(resolve);
      this.worker.postMessage({ type: 'stats' } satisfies ToModelThread);
    });
  }

  get inFlight(): number {
    return this.active.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.active.keys()]) this.end(id, (g) => g.fail(new GenerationError('model_unavailable', 'the model host is closed')));
    await this.worker.terminate();
  }

  private end(id: number, how: (g: Generation) => void): void {
    const g = this.active.get(id);
    if (!g) return;
    this.active.delete(id);
    how(g);
  }

  private spawn(): void {
    const data: ModelThreadData = { load: this.opts.load, maxBatch: this.opts.maxBatch ?? 32, maxPrefillTokens: this.opts.maxPrefillTokens ?? 1024, prefixCacheBytes: (this.opts.prefixCacheMb ?? DEFAULT_PREFIX_CACHE_MB) * 1024 * 1024 };
    const worker = startThread(this.opts.threadUrl ?? siblingModule(import.meta.url, 'model-thread'), { workerData: data });
    this.worker = worker;
    let settled = false;
    let lastError: Error | undefined;
    this.ready = new Promise<ModelInfo>((resolve, reject) => {
      worker.on('message', (msg: FromModelThread) => {
        switch (msg.type) {
          case 'ready':
            settled = true;
            return resolve(msg.info);
          case 'init-error':
            settled = true;
            void worker.terminate();
            return reject(msg.code === 'internal' ? new Error(`the model thread failed to start: ${msg.message}`) : new ModelLoadError(msg.code as ModelErrorCode, msg.message));
          case 'step':
            for (const [id, text] of msg.deltas) this.active.get(id)?.deltas.push(text);
            for (const f of msg.finished) this.onFinished(f);
            return;
          case 'rejected':
            return this.end(msg.id, (g) => g.fail(new GenerationError(msg.code, msg.message)));
          case 'stats':
            return this.statsWaiters.shift()?.({ stats: msg.stats, waiting: msg.waiting, running: msg.running });
        }
      });
      worker.on('error', (e) => (lastError = e));
      worker.on('exit', (code) => {
        if (!settled) {
          settled = true;
          reject(new Error(`the model thread exited during start (${lastError?.message ?? `exit code ${code}`})`));
          return;
        }
        if (this.closed || this.worker !== worker) return;
        this.onCrash(lastError?.message ?? `exit code ${code}`);
      });
    });
    this.ready.catch(() => undefined);
  }

  private onFinished(f: FinishedMessage): void {
    this.end(f.id, (g) => {
      if (f.reason === 'error') g.fail(new GenerationError('model_error', f.error ?? 'the model failed'));
      else g.finish({ reason: f.reason, promptTokens: f.promptTokens, completionTokens: f.completionTokens, firstTokenMs: f.firstTokenMs, droppedTurns: f.droppedTurns ?? 0 });
    });
  }

  private onCrash(why: string): void {
    for (const id of [...this.active.keys()]) this.end(id, (g) => g.fail(new GenerationError('model_error', `the model thread crashed (${why})`)));
    this.restarts++;
    this.opts.onRestart?.(why);
    this.spawn();
  }
}
