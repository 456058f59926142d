/**
 * Worker configuration from `PARLEY_*` environment variables (documented in
 * docs/configuration.md), validated at start with a message that names the variable.
 */
import { hostname } from 'node:os';
import * as v from 'valibot';
import { TIERS, WORKER_WS_PATH, type Tier, envInt as int, envList as csv, parseEnv } from '@parley/protocol';
import type { DialogueBackendName } from '../dialogue/backend.js';
import { DIALOGUE_ENV, toDialogueConfig, type DialogueConfig } from '../dialogue/dialogue-config.js';


const EnvSchema = v.object({
  PARLEY_GATEWAY_URLS: v.optional(
    v.pipe(csv, v.check((urls) => urls.length > 0 && urls.every((u) => /^wss?:\/\/[^\s]+$/.test(u)), 'must be a comma-separated list of ws:// or wss:// URLs')),
    `ws://127.0.0.1:8787${WORKER_WS_PATH}`,
  ),
  PARLEY_WORKER_KEY: v.optional(v.pipe(v.string(), v.minLength(8, 'must have at least 8 characters'))),
  PARLEY_DEV_TOKEN: v.optional(v.string()),
  PARLEY_WORKER_ID: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1..128 characters of A-Z a-z 0-9 . _ : -'))),
  PARLEY_WORKER_TIERS: v.optional(v.pipe(csv, v.check((ts) => ts.length > 0 && ts.every((t) => [...TIERS, 'scripted'].includes(t)), `must be a comma-separated subset of ${TIERS.join(',')},scripted`)), `${TIERS.join(',')},scripted`),
  PARLEY_WORKER_SLOTS: v.optional(int(1, 10_000), '64'),
  PARLEY_TTS_THREADS: v.optional(int(1, 64), '1'),
  PARLEY_TTS_CACHE_MB: v.optional(int(0, 65536), '64'),
  // PARLEY_DIALOGUE_BACKEND, PARLEY_MODEL_*, PARLEY_UPSTREAM_*, PARLEY_SAMPLING, …: see dialogue-config.ts
  ...DIALOGUE_ENV,
  PARLEY_AUDIO_CHUNK_MS: v.optional(int(20, 5000), '250'),
  PARLEY_DRAIN_TIMEOUT_MS: v.optional(int(0, 3600 * 1000), '120000'),
  PARLEY_FAULT_SENTENCE_DELAY_MS: v.optional(int(0, 600_000), '0'),
  PARLEY_LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});

export interface WorkerConfig {
  gatewayUrls: string[];
  key: string;
  id: string;
  /** Model tiers served. */
  tiers: Tier[];
  /** Whether it takes last-resort `scripted` turns (PARLEY_WORKER_TIERS lists `scripted`). */
  scripted: boolean;
  slots: number;
  ttsThreads: number;
  /** Cache of synthesized sentences, in MiB (0 = off). */
  ttsCacheMb: number;
  backend: DialogueBackendName;
  /** Dialogue backend settings: model folder or upstream, sampling per tier and archetype. */
  dialogue: DialogueConfig;
  audioChunkMs: number;
  drainTimeoutMs: number;
  logLevel: string;
  /** Fault injection for tests and drills: extra delay before each sentence is spoken. */
  faultSentenceDelayMs: number;
}

export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError';
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(EnvSchema, env, (k) => k.startsWith('PARLEY_'), (m) => new WorkerConfigError(m));
  const key = e.PARLEY_WORKER_KEY ?? e.PARLEY_DEV_TOKEN;
  if (!key) throw new WorkerConfigError('PARLEY_WORKER_KEY is not set: give the worker a key from the gateway\'s PARLEY_WORKER_KEYS (or PARLEY_API_KEYS), or its development token in PARLEY_DEV_TOKEN');
  return {
    gatewayUrls: e.PARLEY_GATEWAY_URLS,
    key,
    id: e.PARLEY_WORKER_ID ?? `${hostname()}-${process.pid}`,
    tiers: e.PARLEY_WORKER_TIERS.filter((t): t is Tier => t !== 'scripted'),
    scripted: e.PARLEY_WORKER_TIERS.includes('scripted'),
    slots: e.PARLEY_WORKER_SLOTS,
    ttsThreads: e.PARLEY_TTS_THREADS,
    ttsCacheMb: e.PARLEY_TTS_CACHE_MB,
    backend: e.PARLEY_DIALOGUE_BACKEND,
    dialogue: toDialogueConfig(e, (message) => new WorkerConfigError(message)),
    audioChunkMs: e.PARLEY_AUDIO_CHUNK_MS,
    drainTimeoutMs: e.PARLEY_DRAIN_TIMEOUT_MS,
    logLevel: e.PARLEY_LOG_LEVEL,
    faultSentenceDelayMs: e.PARLEY_FAULT_SENTENCE_DELAY_MS,
  };
}
