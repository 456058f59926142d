/**
 * The `onnx` dialogue backend: a local decoder-only language model (Hugging Face Optimum /
 * transformers.js folder) run by onnxruntime-node in a model thread with continuous batching.
 * Replies follow the emotion-tag convention (emotion-tags.ts); the same model also writes
 * summaries for the memory store.
 */
import type { Logger } from 'pino';
import type { LoadModelOptions } from '../models/load-model.js';
import type { ModelLoad } from '@parley/protocol';
import { ModelHost } from '../models/model-host.js';
import { DEFAULT_PREFIX_CACHE_MB } from '../models/prefix-cache.js';
import type { DialogueBackend, DialogueEvent, DialogueRequest, SummaryRequest } from './backend.js';
import { emotionEvents } from './emotion-tags.js';
import { buildReplyMessages, buildSummaryMessages, REPLY_STOP_STRINGS } from './prompt.js';
import { samplingFor, type SamplingTable } from './sampling.js';

export interface OnnxBackendOptions {
  load: LoadModelOptions;
  maxBatch: number;
  /** MiB of prompt KV cache kept for reuse (0 = off; default DEFAULT_PREFIX_CACHE_MB). */
  prefixCacheMb?: number;
  sampling: SamplingTable;
  maxHistoryTurns: number;
}

const isAbort = (e: unknown) => e instanceof Error && e.name === 'AbortError';

export class OnnxDialogueBackend implements DialogueBackend {
  readonly name = 'onnx' as const;
  readonly description: string;

  private constructor(
    readonly host: ModelHost,
    private readonly opts: OnnxBackendOptions,
  ) {
    this.description = `onnx:${host.info.dir}`;
  }

  async modelLoad(): Promise<ModelLoad> {
    const { stats, running, waiting } = await this.host.stats();
    return { running, waiting, generated: stats.tokens, prefilled: stats.prefillTokens, prefixCached: stats.prefixReusedTokens };
  }

  /** Loads the model (in its thread) and logs which execution provider runs it. */
  static async start(opts: OnnxBackendOptions, log: Logger): Promise<OnnxDialogueBackend> {
    const host = await ModelHost.start({ load: opts.load, maxBatch: opts.maxBatch, prefixCacheMb: opts.prefixCacheMb, onRestart: (why) => log.error({ why }, 'model thread crashed; reloading the model') });
    const i = host.info;
    if (i.fallbackReason) log.warn({ requested: 'cuda', reason: i.fallbackReason }, 'CUDA execution provider unavailable; the model runs on CPU');
    log.info({ model: i.dir, file: i.onnxPath, provider: i.provider, layers: i.layers, kvHeads: i.kvHeads, headDim: i.headDim, kvType: i.kvType, layout: i.layout, maxContext: i.maxContext, maxBatch: opts.maxBatch, prefixCacheMb: opts.prefixCacheMb ?? DEFAULT_PREFIX_CACHE_MB, loadMs: Math.round(i.loadMs) }, `model loaded; execution provider: ${i.provider}`);
    return new OnnxDialogueBackend(host, opts);
  }

  async *reply(req: DialogueRequest, signal: AbortSignal): AsyncIterable<DialogueEvent> {
    const { maxTokens, ...sampling } = samplingFor(this.opts.sampling, req.tier, req.npc.archetype, req.seed);
    const gen = this.host.generate({ messages: buildReplyMessages(req, { maxHistoryTurns: this.opts.maxHistoryTurns }), sampling, maxNewTokens: maxTokens, stop: REPLY_STOP_STRINGS }, signal);
    try {
      yield* emotionEvents(gen);
    } catch (e) {
      if (isAbort(e) && signal.aborted) return;
      throw e;
    }
  }

  async summarize(req: SummaryRequest, signal?: AbortSignal): Promise<string> {
    const gen = this.host.generate({ messages: buildSummaryMessages(req), sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1.1, seed: 0 }, maxNewTokens: req.maxTokens ?? 120, stop: REPLY_STOP_STRINGS }, signal);
    let text = '';
    for await (const d of gen) text += d;
    return text.replace(/\[\s*emotion[^\]]*\]/gi, '').replace(/\s+/g, ' ').trim();
  }

  close(): Promise<void> {
    return this.host.close();
  }
}
