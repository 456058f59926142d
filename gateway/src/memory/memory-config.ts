/**
 * Memory configuration (`PARLEY_*` variables, documented in docs/configuration.md § Memory).
 * The entries are merged into the gateway's environment schema, so a bad value stops the
 * gateway with a message naming the variable, like every other setting.
 */
import { resolve } from 'node:path';
import * as v from 'valibot';
import { SCHEMA_NAME } from './archive/archive-db.js';
import type { RetrievalWeights } from './retrieval.js';
import { envInt as int, envNumber as num } from '@parley/protocol';

const url = (schemes: string[]) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.check((s) => {
      try {
        return schemes.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`),
  );

const weights = v.pipe(
  v.string(),
  v.transform((s) => Object.fromEntries(s.split(',').map((kv) => kv.split('=').map((x) => x.trim())))),
  v.check((o) => Object.keys(o).every((k) => ['recency', 'importance', 'relevance'].includes(k)), 'keys must be recency, importance, relevance (e.g. recency=1,importance=1,relevance=1)'),
  v.check((o) => Object.values(o).every((x) => /^\d*\.?\d+$/.test(String(x)) && Number(x) <= 100), 'each weight must be a number 0..100'),
  v.transform((o): RetrievalWeights => ({ recency: Number(o.recency ?? 1), importance: Number(o.importance ?? 1), relevance: Number(o.relevance ?? 1) })),
);

export const MEMORY_ENV = {
  PARLEY_MEMORY: v.optional(v.picklist(['on', 'off'], 'must be on or off'), 'on'),
  PARLEY_REDIS_URL: v.optional(url(['redis:', 'rediss:'])),
  PARLEY_REDIS_PREFIX: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1..64 characters [A-Za-z0-9_.:-]')), 'parley'),
  PARLEY_DATABASE_URL: v.optional(url(['postgres:', 'postgresql:'])),
  PARLEY_DATABASE_SCHEMA: v.optional(v.pipe(v.string(), v.regex(SCHEMA_NAME, 'must be a lowercase SQL name [a-z_][a-z0-9_]*')), 'parley'),
  PARLEY_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), '.parley/data'),
  PARLEY_MEMORY_HOT_TURNS: v.optional(int(2, 200), '20'),
  PARLEY_MEMORY_SUMMARIZER: v.optional(v.picklist(['extractive', 'worker'], 'must be extractive or worker'), 'extractive'),
  PARLEY_MEMORY_HOT_TURNS_MIN: v.optional(int(1, 199), '12'),
  PARLEY_MEMORY_WINDOW_DAYS: v.optional(num(0.0001, 3650), '30'),
  PARLEY_MEMORY_TOP_K: v.optional(int(0, 64), '6'),
  PARLEY_MEMORY_TOKEN_BUDGET: v.optional(int(50, 100_000), '800'),
  PARLEY_MEMORY_WEIGHTS: v.optional(weights, 'recency=1,importance=1,relevance=1'),
  PARLEY_MEMORY_RECENCY_DECAY: v.optional(num(0.5, 1), '0.995'),
  PARLEY_MEMORY_TIMEOUT_MS: v.optional(int(5, 10_000), '250'),
  PARLEY_MEMORY_CONVERSATION_GAP_MS: v.optional(int(1000, 30 * 86_400_000), '1800000'),
  PARLEY_MEMORY_MAX_PAIRS: v.optional(int(100, 100_000_000), '100000'),
  PARLEY_EMBEDDER: v.optional(v.pipe(v.string(), v.regex(/^(?:hash(?::\d{2,4})?|onnx:.+)$/, 'must be hash, hash:<dimensions> or onnx:<model folder>')), 'hash'),
  PARLEY_ARCHIVE_BATCH: v.optional(int(1, 10_000), '500'),
  PARLEY_ARCHIVE_CLAIM_IDLE_MS: v.optional(int(100, 3_600_000), '30000'),
  PARLEY_PLAYER_TOKEN_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'must have at least 32 characters'))),
  PARLEY_PLAYER_TOKEN_TTL_S: v.optional(int(60, 30 * 86_400), '86400'),
};

const MemoryEnvSchema = v.object(MEMORY_ENV);
type MemoryEnv = v.InferOutput<typeof MemoryEnvSchema>;

export interface MemoryConfig {
  enabled: boolean;
  redisUrl: string | null;
  redisPrefix: string;
  databaseUrl: string | null;
  databaseSchema: string;
  /** Absolute path of the embedded default's data folder (journal, PGlite). */
  dataDir: string;
  hotTurnsMax: number;
  hotTurnsMin: number;
  /** Who summarizes turns leaving the hot window: the gateway (extractive) or a worker's dialogue model. */
  summarizer: 'extractive' | 'worker';
  windowMs: number;
  topK: number;
  tokenBudget: number;
  weights: RetrievalWeights;
  decayPerHour: number;
  timeoutMs: number;
  conversationGapMs: number;
  maxPairs: number;
  embedder: { kind: 'hash'; dimensions: number } | { kind: 'onnx'; folder: string };
  archiveBatch: number;
  claimIdleMs: number;
  /** Secret that signs player tokens (null: player tokens are not accepted). */
  playerTokenSecret: string | null;
  /** Lifetime of tokens minted by POST /v1/players/:player/token, seconds. */
  playerTokenTtlS: number;
}

/** Builds the memory config from the validated environment; a bad combination throws `makeError(message naming the variable)`. */
export function memoryConfigFrom(e: MemoryEnv, makeError: (message: string) => Error = (m) => new Error(m)): MemoryConfig {
  if (e.PARLEY_MEMORY_HOT_TURNS_MIN >= e.PARLEY_MEMORY_HOT_TURNS) {
    throw makeError(`PARLEY_MEMORY_HOT_TURNS_MIN=${e.PARLEY_MEMORY_HOT_TURNS_MIN}: must be less than PARLEY_MEMORY_HOT_TURNS (${e.PARLEY_MEMORY_HOT_TURNS})`);
  }
  const emb = e.PARLEY_EMBEDDER;
  const dims = Number(emb.startsWith('hash:') ? emb.slice(5) : 256);
  if (dims < 16 || dims > 4096) throw makeError(`PARLEY_EMBEDDER=${emb}: hash dimensions must be 16..4096`);
  return {
    enabled: e.PARLEY_MEMORY === 'on',
    redisUrl: e.PARLEY_REDIS_URL ?? null,
    redisPrefix: e.PARLEY_REDIS_PREFIX,
    databaseUrl: e.PARLEY_DATABASE_URL ?? null,
    databaseSchema: e.PARLEY_DATABASE_SCHEMA,
    dataDir: resolve(e.PARLEY_DATA_DIR),
    hotTurnsMax: e.PARLEY_MEMORY_HOT_TURNS,
    hotTurnsMin: e.PARLEY_MEMORY_HOT_TURNS_MIN,
    summarizer: e.PARLEY_MEMORY_SUMMARIZER,
    windowMs: Math.round(e.PARLEY_MEMORY_WINDOW_DAYS * 86_400_000),
    topK: e.PARLEY_MEMORY_TOP_K,
    tokenBudget: e.PARLEY_MEMORY_TOKEN_BUDGET,
    weights: e.PARLEY_MEMORY_WEIGHTS,
    decayPerHour: e.PARLEY_MEMORY_RECENCY_DECAY,
    timeoutMs: e.PARLEY_MEMORY_TIMEOUT_MS,
    conversationGapMs: e.PARLEY_MEMORY_CONVERSATION_GAP_MS,
    maxPairs: e.PARLEY_MEMORY_MAX_PAIRS,
    embedder: emb.startsWith('onnx:') ? { kind: 'onnx', folder: resolve(emb.slice(5)) } : { kind: 'hash', dimensions: dims },
    archiveBatch: e.PARLEY_ARCHIVE_BATCH,
    claimIdleMs: e.PARLEY_ARCHIVE_CLAIM_IDLE_MS,
    playerTokenSecret: e.PARLEY_PLAYER_TOKEN_SECRET ?? null,
    playerTokenTtlS: e.PARLEY_PLAYER_TOKEN_TTL_S,
  };
}

/** The defaults, for tests and tools that build a memory system without environment variables. */
export function defaultMemoryConfig(overrides: Partial<MemoryConfig> = {}): MemoryConfig {
  const parsed = v.parse(MemoryEnvSchema, {});
  return { ...memoryConfigFrom(parsed), ...overrides };
}
