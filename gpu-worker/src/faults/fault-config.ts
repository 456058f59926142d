/**
 * Fault injection for tests and drills (`PARLEY_FAULT_*`), read beside the worker's own
 * configuration. All unset in production. `PARLEY_FAULT_SENTENCE_DELAY_MS` (a pause before
 * each sentence) lives in the worker configuration because the job runner applies it.
 */
import * as v from 'valibot';
import { WorkerConfigError } from '../config/worker-config.js';
import { envInt as int } from '@parley/protocol';


const FaultEnv = v.object({
  PARLEY_FAULT_FAIL_AFTER_FRAMES: v.optional(int(0, 1_000_000)),
  PARLEY_FAULT_CRASH_AFTER_FRAMES: v.optional(int(0, 1_000_000)),
  PARLEY_FAULT_HANG_AFTER_FRAMES: v.optional(int(0, 1_000_000)),
  PARLEY_FAULT_EVERY: v.optional(int(1, 1_000_000), '1'),
});

export interface FaultConfig {
  /** A job answers `fail` instead of its (N+1)-th output frame. */
  failAfterFrames: number | null;
  /** The process kills itself (SIGKILL) instead of sending a job's (N+1)-th frame. */
  crashAfterFrames: number | null;
  /** The worker goes silent (no frames, no heartbeats) instead of a job's (N+1)-th frame. */
  hangAfterFrames: number | null;
  /** Faults hit every K-th job (1 = every job). */
  every: number;
}

export function loadFaultConfig(env: NodeJS.ProcessEnv = process.env): FaultConfig {
  const picked = Object.fromEntries(Object.entries(env).filter(([k, val]) => k.startsWith('PARLEY_FAULT_') && val !== undefined && val !== ''));
  const parsed = v.safeParse(FaultEnv, picked);
  if (!parsed.success) {
    const name = String(parsed.issues[0]!.path?.[0]?.key ?? 'environment');
    throw new WorkerConfigError(`${name}=${JSON.stringify(picked[name] ?? '')}: ${parsed.issues[0]!.message}`);
  }
  const e = parsed.output;
  return { failAfterFrames: e.PARLEY_FAULT_FAIL_AFTER_FRAMES ?? null, crashAfterFrames: e.PARLEY_FAULT_CRASH_AFTER_FRAMES ?? null, hangAfterFrames: e.PARLEY_FAULT_HANG_AFTER_FRAMES ?? null, every: e.PARLEY_FAULT_EVERY };
}

export const faultsEnabled = (c: FaultConfig): boolean => c.failAfterFrames !== null || c.crashAfterFrames !== null || c.hangAfterFrames !== null;
