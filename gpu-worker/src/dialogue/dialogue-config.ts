/**
 * Dialogue backend settings from `PARLEY_*` environment variables (docs/configuration.md,
 * "Dialogue models"). The worker's config schema spreads DIALOGUE_ENV into its own, so one
 * validation pass reports any bad variable by name; toDialogueConfig adds the checks that span
 * several variables.
 */
import * as v from 'valibot';
import { DIALOGUE_BACKENDS, type DialogueBackendName } from './backend.js';
import { DEFAULT_SAMPLING, parseSamplingTable, type SamplingTable } from './sampling.js';
import { DEFAULT_PREFIX_CACHE_MB } from '../models/prefix-cache.js';
import { envInt as int } from '@parley/protocol';

const bool = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], 'must be true or false'), v.transform((s) => ['1', 'true', 'yes', 'on'].includes(s)));
const sampling = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      return parseSamplingTable(dataset.value);
    } catch (e) {
      addIssue({ message: e instanceof Error ? e.message : String(e) });
      return NEVER;
    }
  }),
);

/** Entries for the worker's environment schema. */
export const DIALOGUE_ENV = {
  PARLEY_DIALOGUE_BACKEND: v.optional(v.picklist(DIALOGUE_BACKENDS, `must be one of: ${DIALOGUE_BACKENDS.join(', ')}`), 'scripted'),
  PARLEY_MODEL_DIR: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  PARLEY_MODEL_FILE: v.optional(v.pipe(v.string(), v.trim(), v.regex(/\.onnx$/, 'must name an .onnx file'))),
  PARLEY_MODEL_PROVIDER: v.optional(v.picklist(['cpu', 'cuda'], 'must be cpu or cuda'), 'cpu'),
  PARLEY_MODEL_CUDA_DEVICE: v.optional(int(0, 64), '0'),
  PARLEY_MODEL_THREADS: v.optional(int(0, 256), '0'),
  PARLEY_MODEL_MAX_BATCH: v.optional(int(1, 1024), '32'),
  PARLEY_MODEL_PREFIX_CACHE_MB: v.optional(int(0, 1_048_576), String(DEFAULT_PREFIX_CACHE_MB)),
  PARLEY_MODEL_MAX_CONTEXT: v.optional(int(64, 1_048_576)),
  PARLEY_MODEL_PADDING: v.optional(v.picklist(['auto', 'left', 'right'], 'must be auto, left or right'), 'auto'),
  PARLEY_UPSTREAM_URL: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8000/v1'))),
  PARLEY_UPSTREAM_MODEL: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  PARLEY_UPSTREAM_API_KEY: v.optional(v.string()),
  PARLEY_UPSTREAM_TIMEOUT_MS: v.optional(int(100, 600_000), '15000'),
  PARLEY_UPSTREAM_IDLE_TIMEOUT_MS: v.optional(int(100, 600_000), '10000'),
  PARLEY_UPSTREAM_RETRIES: v.optional(int(0, 10), '2'),
  PARLEY_UPSTREAM_VENDOR_PARAMS: v.optional(bool, 'true'),
  PARLEY_SAMPLING: v.optional(sampling),
  PARLEY_PROMPT_HISTORY_TURNS: v.optional(int(0, 200), '16'),
  PARLEY_SCRIPTED_FALLBACK: v.optional(bool, 'true'),
};

const DialogueEnvSchema = v.object(DIALOGUE_ENV);
type DialogueEnv = v.InferOutput<typeof DialogueEnvSchema>;

export interface DialogueConfig {
  backend: DialogueBackendName;
  model: {
    dir: string;
    file: string | undefined;
    provider: 'cpu' | 'cuda';
    cudaDevice: number;
    threads: number;
    maxBatch: number;
    /** MiB of prompt KV cache kept for reuse (0 = off). */
    prefixCacheMb: number;
    maxContext: number | undefined;
    padding: 'left' | 'right' | undefined;
  } | undefined;
  upstream: { url: string; model: string; apiKey: string | undefined; timeoutMs: number; idleTimeoutMs: number; retries: number; vendorParams: boolean } | undefined;
  sampling: SamplingTable;
  historyTurns: number;
  /** Answer with the scripted backend when the model fails before saying anything. */
  scriptedFallback: boolean;
}

export function toDialogueConfig(e: DialogueEnv, fail: (message: string) => Error): DialogueConfig {
  const backend = e.PARLEY_DIALOGUE_BACKEND;
  if (backend === 'onnx' && !e.PARLEY_MODEL_DIR) throw fail('PARLEY_MODEL_DIR is not set: PARLEY_DIALOGUE_BACKEND=onnx needs a model folder (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx)');
  if (backend === 'openai' && !e.PARLEY_UPSTREAM_URL) throw fail('PARLEY_UPSTREAM_URL is not set: PARLEY_DIALOGUE_BACKEND=openai needs the server\'s base URL, e.g. http://127.0.0.1:8000/v1');
  if (backend === 'openai' && !e.PARLEY_UPSTREAM_MODEL) throw fail('PARLEY_UPSTREAM_MODEL is not set: name the model the upstream serves (as its /v1/models lists it)');
  return {
    backend,
    model: e.PARLEY_MODEL_DIR
      ? {
          dir: e.PARLEY_MODEL_DIR,
          file: e.PARLEY_MODEL_FILE,
          provider: e.PARLEY_MODEL_PROVIDER,
          cudaDevice: e.PARLEY_MODEL_CUDA_DEVICE,
          threads: e.PARLEY_MODEL_THREADS,
          maxBatch: e.PARLEY_MODEL_MAX_BATCH,
          prefixCacheMb: e.PARLEY_MODEL_PREFIX_CACHE_MB,
          maxContext: e.PARLEY_MODEL_MAX_CONTEXT,
          padding: e.PARLEY_MODEL_PADDING === 'auto' ? undefined : e.PARLEY_MODEL_PADDING,
        }
      : undefined,
    upstream:
      e.PARLEY_UPSTREAM_URL && e.PARLEY_UPSTREAM_MODEL
        ? { url: e.PARLEY_UPSTREAM_URL, model: e.PARLEY_UPSTREAM_MODEL, apiKey: e.PARLEY_UPSTREAM_API_KEY, timeoutMs: e.PARLEY_UPSTREAM_TIMEOUT_MS, idleTimeoutMs: e.PARLEY_UPSTREAM_IDLE_TIMEOUT_MS, retries: e.PARLEY_UPSTREAM_RETRIES, vendorParams: e.PARLEY_UPSTREAM_VENDOR_PARAMS }
        : undefined,
    sampling: e.PARLEY_SAMPLING ?? DEFAULT_SAMPLING,
    historyTurns: e.PARLEY_PROMPT_HISTORY_TURNS,
    scriptedFallback: e.PARLEY_SCRIPTED_FALLBACK,
  };
}
