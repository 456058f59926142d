/**
 * The archiver: drains the archive queue into PostgreSQL in batches, off the reply path.
 *
 * Loop: take up to `batchSize` records (blocking briefly when idle) → one batched write →
 * acknowledge. When the database is down the batch is kept and retried with backoff (capped),
 * while new records keep piling up in the durable queue; when it returns, the backlog drains at
 * batch speed. A crash between write and ack re-delivers the batch; the archive's idempotent
 * writes keep every turn exactly once.
 */
import type { Logger } from '../../logger.js';
import type { ArchiveQueue, QueuedRecord } from '../store/memory-store.js';
import type { ArchiveRecord } from '../types.js';
import type { BatchCounts } from './archive-db.js';

export interface ArchiveWriter {
  writeBatch(records: readonly ArchiveRecord[]): Promise<BatchCounts>;
}

export interface ArchiverOptions {
  queue: ArchiveQueue;
  db: ArchiveWriter;
  batchSize: number;
  /** How long one take() may wait for new records. */
  blockMs?: number;
  log?: Logger;
  /** Retry backoff bounds after a failed write, ms. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Called after each acknowledged batch / failed write (metrics). */
  onBatch?(records: number): void;
  onFailure?(): void;
}

export interface ArchiverStats {
  batches: number;
  records: number;
  inserted: BatchCounts;
  failures: number;
  /** True when the last write failed (the database is unreachable or refusing). */
  failing: boolean;
  /** True once a take() came back short of a full batch with nothing left to retry: the backlog present at start is archived. */
  caughtUp: boolean;
  /** True while the last take() came back full: more records are waiting. */
  behind: boolean;
  lastError: string | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export class Archiver {
  readonly stats: ArchiverStats = { batches: 0, records: 0, inserted: { turns: 0, memories: 0, cards: 0 }, failures: 0, failing: false, caughtUp: false, behind: false, lastError: null };
  private readonly stop = new AbortController();
  private loop: Promise<void> | null = null;
  private caughtUpWaiters: Array<() => void> = [];

  constructor(private readonly opts: ArchiverOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves when the backlog present at start has been archived (or after timeoutMs). */
  waitCaughtUp(timeoutMs: number): Promise<boolean> {
    if (this.stats.caughtUp) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.caughtUpWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  private async run(): Promise<void> {
    const { queue, db, batchSize, log } = this.opts;
    const blockMs = this.opts.blockMs ?? 1000;
    const retryMin = this.opts.retryMinMs ?? 200;
    const retryMax = this.opts.retryMaxMs ?? 5000;
    let batch: QueuedRecord[] = [];
    let backoff = retryMin;
    while (!this.stop.signal.aborted) {
      try {
        if (batch.length === 0) {
          // The first look does not wait, so an empty queue at start counts as caught up at once.
          batch = await queue.take(batchSize, this.stats.caughtUp ? blockMs : 0);
          this.stats.behind = batch.length >= batchSize;
          if (batch.length === 0) {
            this.markCaughtUp();
            continue;
          }
        }
        const counts = await db.writeBatch(batch.map((q) => q.record));
        await queue.ack(batch.map((q) => q.qid));
        this.stats.batches++;
        this.stats.records += batch.length;
        this.stats.inserted.turns += counts.turns;
        this.stats.inserted.memories += counts.memories;
        this.stats.inserted.cards += counts.cards;
        this.opts.onBatch?.(batch.length);
        if (this.stats.failing) log?.info({ backlogBatch: batch.length }, 'archive writes resumed');
        this.stats.failing = false;
        this.stats.lastError = null;
        if (batch.length < batchSize) this.markCaughtUp();
        batch = [];
        backoff = retryMin;
      } catch (err) {
        if (this.stop.signal.aborted) break;
        const message = err instanceof Error ? err.message : String(err);
        this.stats.failures++;
        this.opts.onFailure?.();
        if (!this.stats.failing) log?.warn({ err: message, held: batch.length }, 'archive write failed; records stay queued and are retried');
        this.stats.failing = true;
        this.stats.lastError = message;
        await sleep(backoff, this.stop.signal);
        backoff = Math.min(retryMax, backoff * 2);
      }
    }
  }

  private markCaughtUp(): void {
    if (this.stats.caughtUp) return;
    this.stats.caughtUp = true;
    for (const w of this.caughtUpWaiters) w();
    this.caughtUpWaiters = [];
  }

  /** Stops after the current step; records taken but not acknowledged are re-delivered later. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.loop?.catch(() => {});
  }
}
