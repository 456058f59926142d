/**
 * Spot-notice settings (`PARLEY_SPOT_WATCH`, `PARLEY_IMDS_ENDPOINT`, `PARLEY_SPOT_POLL_MS`,
 * `PARLEY_SPOT_DRAIN_TIMEOUT_MS`), read beside the worker's own configuration.
 */
import * as v from 'valibot';
import { WorkerConfigError } from '../config/worker-config.js';
import { envInt as int, parseEnv } from '@parley/protocol';


const DrainEnv = v.object({
  PARLEY_SPOT_WATCH: v.optional(v.picklist(['auto', 'on', 'off'], 'must be auto, on or off'), 'auto'),
  PARLEY_IMDS_ENDPOINT: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, 'must be an http:// URL such as http://169.254.169.254')), 'http://169.254.169.254'),
  PARLEY_SPOT_POLL_MS: v.optional(int(100, 600_000), '5000'),
  PARLEY_SPOT_DRAIN_TIMEOUT_MS: v.optional(int(0, 3600 * 1000), '120000'),
});

export interface SpotConfig {
  /** auto: watch if the instance metadata service answers at start; on: always; off: never. */
  mode: 'auto' | 'on' | 'off';
  imdsEndpoint: string;
  pollMs: number;
  /** Drain deadline on a spot notice (capped by the interruption time the notice gives). */
  drainTimeoutMs: number;
}

export function loadSpotConfig(env: NodeJS.ProcessEnv = process.env): SpotConfig {
  const e = parseEnv(DrainEnv, env, (k) => k.startsWith('PARLEY_SPOT_') || k === 'PARLEY_IMDS_ENDPOINT', (m) => new WorkerConfigError(m));
  return { mode: e.PARLEY_SPOT_WATCH, imdsEndpoint: e.PARLEY_IMDS_ENDPOINT.replace(/\/$/, ''), pollMs: e.PARLEY_SPOT_POLL_MS, drainTimeoutMs: e.PARLEY_SPOT_DRAIN_TIMEOUT_MS };
}
