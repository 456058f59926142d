/**
 * Gateway configuration from `PARLEY_*` environment variables, validated at start.
 * Every variable is documented in docs/configuration.md; a bad value stops the gateway
 * with a message naming the variable and what to fix.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { LIMITS, envInt as int, parseEnv } from '@parley/protocol';
import { DEFAULT_CATALOG_PATH } from '../catalog/npc-catalog.js';
import { FLEET_ENV, fleetPolicyFrom, type FleetPolicyConfig } from '../fleet/fleet-config.js';
import { RATE_LIMIT_ENV, rateLimitsFrom } from '../limits/rate-limit-config.js';
import type { RateLimitConfig } from '../limits/rate-limits.js';
import { MEMORY_ENV, memoryConfigFrom, type MemoryConfig } from '../memory/memory-config.js';

const list = v.pipe(v.string(), v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)), v.check((keys) => keys.every((k) => k.length >= 8 && k.length <= LIMITS.tokenMaxChars), 'each key must have 8..512 characters'));

const EnvSchema = v.object({
  PARLEY_PORT: v.optional(int(0, 65535), '8787'),
  PARLEY_HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  PARLEY_API_KEYS: v.optional(list, ''),
  PARLEY_WORKER_KEYS: v.optional(list, ''),
  PARLEY_DEV_TOKEN: v.optional(v.pipe(v.string(), v.minLength(8, 'must have at least 8 characters'))),
  PARLEY_CATALOG: v.optional(v.pipe(v.string(), v.minLength(1))),
  PARLEY_MAX_FRAME_BYTES: v.optional(int(1024, 16 * 1024 * 1024), String(LIMITS.defaultMaxFrameBytes)),
  PARLEY_MAX_TURNS_IN_FLIGHT: v.optional(int(1, 1024), '8'),
  PARLEY_IDLE_TIMEOUT_MS: v.optional(int(1000, 24 * 3600 * 1000), '120000'),
  PARLEY_HEARTBEAT_MS: v.optional(int(100, 3600 * 1000), '15000'),
  PARLEY_HELLO_TIMEOUT_MS: v.optional(int(100, 600 * 1000), '10000'),
  PARLEY_QUEUE_TIMEOUT_MS: v.optional(int(1, 600 * 1000), '5000'),
  PARLEY_MAX_QUEUE: v.optional(int(0, 1_000_000), '2000'),
  PARLEY_TURN_TIMEOUT_MS: v.optional(int(100, 3600 * 1000), '60000'),
  PARLEY_TTS_TIMEOUT_MS: v.optional(int(100, 600 * 1000), '15000'),
  PARLEY_LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal|error|warn|info|debug|trace|silent'), 'info'),
  PARLEY_GATEWAY_ID: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  PARLEY_ADMIN_KEYS: v.optional(list, ''),
  PARLEY_WORKER_HEARTBEAT_MS: v.optional(int(100, 60 * 1000), '5000'),
  ...FLEET_ENV,
  ...RATE_LIMIT_ENV,
  ...MEMORY_ENV,
});

export interface GatewayConfig {
  port: number;
  host: string;
  /** Keys accepted from game clients and on the HTTP API. */
  apiKeys: readonly string[];
  /** Keys accepted from workers (defaults to apiKeys). */
  workerKeys: readonly string[];
  /** Set when no keys are configured: a development token valid for clients and workers. */
  devToken: string | null;
  catalogPath: string;
  maxFrameBytes: number;
  maxTurnsInFlight: number;
  idleTimeoutMs: number;
  heartbeatMs: number;
  helloTimeoutMs: number;
  queueTimeoutMs: number;
  maxQueue: number;
  turnTimeoutMs: number;
  ttsTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  gatewayId: string;
  /** Keys for /v1/admin/* (empty: the client keys). */
  adminKeys: readonly string[];
  /** Heartbeat interval asked of workers; three missed → the worker is dropped. */
  workerHeartbeatMs: number;
  /** Scheduling policy (docs/fleet.md). */
  fleet: FleetPolicyConfig;
  rateLimits: RateLimitConfig;
  /** NPC memory (docs/memory.md). */
  memory: MemoryConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.');

/** Reads and validates configuration; throws ConfigError with a message that says what to fix. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  const e = parseEnv(EnvSchema, env, (k) => k.startsWith('PARLEY_'), (m) => new ConfigError(m));
  const apiKeys = e.PARLEY_API_KEYS;
  const workerKeys = e.PARLEY_WORKER_KEYS.length > 0 ? e.PARLEY_WORKER_KEYS : apiKeys;
  const devToken = apiKeys.length === 0 ? (e.PARLEY_DEV_TOKEN ?? `dev-${randomBytes(12).toString('hex')}`) : null;
  const config: GatewayConfig = {
    port: e.PARLEY_PORT,
    host: e.PARLEY_HOST,
    apiKeys,
    workerKeys,
    devToken,
    catalogPath: e.PARLEY_CATALOG ?? DEFAULT_CATALOG_PATH,
    maxFrameBytes: e.PARLEY_MAX_FRAME_BYTES,
    maxTurnsInFlight: e.PARLEY_MAX_TURNS_IN_FLIGHT,
    idleTimeoutMs: e.PARLEY_IDLE_TIMEOUT_MS,
    heartbeatMs: e.PARLEY_HEARTBEAT_MS,
    helloTimeoutMs: e.PARLEY_HELLO_TIMEOUT_MS,
    queueTimeoutMs: e.PARLEY_QUEUE_TIMEOUT_MS,
    maxQueue: e.PARLEY_MAX_QUEUE,
    turnTimeoutMs: e.PARLEY_TURN_TIMEOUT_MS,
    ttsTimeoutMs: e.PARLEY_TTS_TIMEOUT_MS,
    logLevel: e.PARLEY_LOG_LEVEL,
    gatewayId: e.PARLEY_GATEWAY_ID ?? `gw-${randomBytes(4).toString('hex')}`,
    adminKeys: e.PARLEY_ADMIN_KEYS,
    workerHeartbeatMs: e.PARLEY_WORKER_HEARTBEAT_MS,
    fleet: fleetPolicyFrom(e),
    rateLimits: rateLimitsFrom(e),
    memory: memoryConfigFrom(e, (message) => new ConfigError(message)),
    ...overrides,
  };
  if (config.apiKeys.length === 0 && !isLoopbackHost(config.host)) {
    throw new ConfigError(`PARLEY_HOST=${config.host}: refusing to listen on a non-loopback address without PARLEY_API_KEYS; set PARLEY_API_KEYS (comma-separated) or bind 127.0.0.1`);
  }
  return config;
}

/** Whether `token` is an accepted client key under this configuration (constant-time compare). */
export function makeKeyCheck(keys: readonly string[], devToken: string | null): (token: string) => boolean {
  const accepted = devToken ? [...keys, devToken] : [...keys];
  const buffers = accepted.map((k) => Buffer.from(k));
  return (token: string) => {
    const t = Buffer.from(token);
    let ok = false;
    for (const b of buffers) if (b.length === t.length && timingSafeEqual(b, t)) ok = true;
    return ok;
  };
}

