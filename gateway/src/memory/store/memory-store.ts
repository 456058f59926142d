/**
 * The memory store interface: the hot context and 30-day window of every (npc, player) pair,
 * plus the durable queue that feeds the lifetime archive. Two implementations sit behind it —
 * Redis (production, shared by many gateways) and an in-process store with a local journal
 * (the embedded default) — and everything above it (memory service, HTTP routes) is the same.
 */
import type { ArchiveRecord, ForgetCounts, HotState, Pair, PairUpdate } from '../types.js';

export interface QueuedRecord {
  /** Queue position, passed back to ack(). */
  qid: string;
  record: ArchiveRecord;
}

/** At-least-once delivery of archive records to the archiver; the archive makes writes idempotent. */
export interface ArchiveQueue {
  /**
   * Up to `max` unacknowledged records, waiting up to `blockMs` when there are none. Records a
   * crashed archiver had taken come back (after the queue's claim timeout).
   */
  take(max: number, blockMs: number): Promise<QueuedRecord[]>;
  ack(qids: readonly string[]): Promise<void>;
  /** Records not yet acknowledged (taken or not). */
  backlog(): Promise<number>;
  close(): Promise<void>;
}

export interface MemoryStore {
  readonly kind: 'redis' | 'embedded';
  readonly queue: ArchiveQueue;
  /** The pair's hot state; null when the store holds nothing for it (the archive may). One round trip. */
  read(pair: Pair, now: number): Promise<HotState | null>;
  /** Applies the update and enqueues the archive record, in one round trip. */
  write(pair: Pair, update: PairUpdate, record: ArchiveRecord): Promise<void>;
  /** Enqueues an archive record alone (the hot state could not be updated). */
  enqueue(record: ArchiveRecord): Promise<void>;
  /** Removes every pair of this player from the store. */
  forgetPlayer(player: string): Promise<ForgetCounts>;
  /** Resolves when the store can serve (or after timeoutMs; it keeps reconnecting in the background). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The error a store throws when its backend is unreachable; the service turns it into `degraded`. */
export class MemoryUnavailableError extends Error {
  override name = 'MemoryUnavailableError';
}
