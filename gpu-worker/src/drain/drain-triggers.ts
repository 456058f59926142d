/**
 * What makes a worker drain: SIGTERM/SIGINT (the deadline is PARLEY_DRAIN_TIMEOUT_MS) and a
 * spot interruption notice or rebalance recommendation (deadline PARLEY_SPOT_DRAIN_TIMEOUT_MS,
 * cut to the interruption time minus a safety margin). Either way: stop taking turns, tell
 * every gateway, finish in-flight turns, exit 0.
 */
import type { Logger } from 'pino';
import type { SpotConfig } from './drain-config.js';
import { SpotWatcher, type SpotNotice } from './spot-watcher.js';

export interface Drainable {
  drain(opts?: { deadlineMs?: number; reason?: string }): Promise<void>;
}

/** Time kept between the end of the drain and the announced interruption (links close, logs flush). */
const INTERRUPTION_MARGIN_MS = 5000;

export function spotDrainDeadline(notice: SpotNotice, config: SpotConfig, now = Date.now()): number {
  if (notice.kind !== 'interruption' || !notice.at) return config.drainTimeoutMs;
  return Math.max(0, Math.min(config.drainTimeoutMs, notice.at.getTime() - now - INTERRUPTION_MARGIN_MS));
}

export function installDrainTriggers(opts: { worker: Drainable; spot: SpotConfig; log: Logger; exit(code: number): void }): { watcher: SpotWatcher } {
  const { worker, spot, log } = opts;
  let draining = false;
  const drain = (reason: string, deadlineMs?: number) => {
    if (draining) return;
    draining = true;
    watcher.stop();
    log.info({ reason, deadlineMs }, 'draining');
    void worker.drain({ reason, ...(deadlineMs !== undefined ? { deadlineMs } : {}) }).then(
      () => opts.exit(0),
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'drain failed');
        opts.exit(1);
      },
    );
  };
  const watcher = new SpotWatcher(spot, log, (notice) => drain(notice.kind === 'interruption' ? `spot ${notice.action}` : 'spot rebalance recommendation', spotDrainDeadline(notice, spot)));
  process.once('SIGTERM', () => drain('SIGTERM'));
  process.once('SIGINT', () => drain('SIGINT'));
  void watcher.start();
  return { watcher };
}
