/** Plain-data messages between the ModelHost (I/O thread) and its model thread. */
import type { EngineStats } from './batch-engine.js';
import type { LoadModelOptions, ModelInfo } from './load-model.js';
import type { ModelErrorCode } from './model-errors.js';
import type { SamplingParams } from './sampler.js';
import type { FinishReason } from './sequence.js';
import type { ChatMessage } from './text-codec.js';

export interface ModelThreadData {
  load: LoadModelOptions;
  maxBatch: number;
  maxPrefillTokens: number;
  prefixCacheBytes: number;
}

export interface GenerateMessage {
  type: 'generate';
  id: number;
  messages: ChatMessage[];
  sampling: SamplingParams;
  maxNewTokens: number;
  stop: string[];
  ignoreEos?: boolean;
}

export type ToModelThread = GenerateMessage | { type: 'cancel'; id: number } | { type: 'stats' };

export interface FinishedMessage {
  id: number;
  reason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  firstTokenMs: number | undefined;
  /** Earlier turns left out so the prompt fits the context. */
  droppedTurns?: number;
  error?: string;
}

export type FromModelThread =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'init-error'; code: ModelErrorCode | 'internal'; message: string }
  | { type: 'step'; deltas: Array<[number, string]>; finished: FinishedMessage[] }
  | { type: 'rejected'; id: number; code: 'prompt_too_long' | 'bad_prompt'; message: string }
  | { type: 'stats'; stats: EngineStats; waiting: number; running: number };
