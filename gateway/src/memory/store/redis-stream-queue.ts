/**
 * The production archive queue: a Redis Stream read through a consumer group, so every gateway's
 * archiver shares the work and an entry is acknowledged only after PostgreSQL has it.
 *
 * - take(): first entries a dead consumer held longer than claimIdleMs (XAUTOCLAIM, checked at
 *   most every claimIdleMs / 2), then new ones (XREADGROUP … BLOCK) — on its own connection,
 *   because a blocking read would stall the hot path's commands.
 * - ack(): XACK, then XDEL of the same ids. With one consumer group an acknowledged entry is
 *   never needed again, so deleting it is the exact "trim behind the acknowledged point".
 */
import type { Redis } from 'ioredis';
import type { ArchiveRecord } from '../types.js';
import type { ArchiveQueue, QueuedRecord } from './memory-store.js';

export interface StreamQueueOptions {
  key: string;
  group: string;
  consumer: string;
  claimIdleMs: number;
}

type StreamEntry = [id: string, fields: string[]] | null;

export class RedisStreamQueue implements ArchiveQueue {
  private groupReady = false;
  private lastClaim = 0;
  private claimCursor = '0-0';

  constructor(
    readonly redis: Redis,
    private readonly opts: StreamQueueOptions,
  ) {
    this.redis.on('error', () => {});
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.redis.xgroup('CREATE', this.opts.key, this.opts.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('BUSYGROUP')) throw err;
    }
    this.groupReady = true;
  }

  async take(max: number, blockMs: number): Promise<QueuedRecord[]> {
    await this.ensureGroup();
    const { key, group, consumer, claimIdleMs } = this.opts;
    const now = Date.now();
    if (now - this.lastClaim >= claimIdleMs / 2) {
      const [cursor, entries] = (await this.redis.xautoclaim(key, group, consumer, claimIdleMs, this.claimCursor, 'COUNT', max)) as [string, StreamEntry[]];
      this.claimCursor = cursor;
      // Cursor back at 0-0: the whole pending list was scanned; wait before the next scan.
      if (cursor === '0-0') this.lastClaim = now;
      const claimed = await this.toRecords(entries);
      if (claimed.length > 0) return claimed;
    }
    const res = (await this.redis.xreadgroup('GROUP', group, consumer, 'COUNT', max, 'BLOCK', Math.max(1, blockMs), 'STREAMS', key, '>')) as [string, StreamEntry[]][] | null;
    return res ? this.toRecords(res[0]?.[1] ?? []) : [];
  }

  /** Parses entries; one that is not a record (written by something else) is acknowledged and dropped. */
  private async toRecords(entries: StreamEntry[]): Promise<QueuedRecord[]> {
    const out: QueuedRecord[] = [];
    const bad: string[] = [];
    for (const e of entries) {
      if (!e) continue;
      const [id, fields] = e;
      const i = fields.indexOf('r');
      try {
        out.push({ qid: id, record: JSON.parse(fields[i + 1] ?? '') as ArchiveRecord });
      } catch {
        bad.push(id);
      }
    }
    await this.ack(bad);
    return out;
  }

  async ack(qids: readonly string[]): Promise<void> {
    if (qids.length === 0) return;
    await this.redis.pipeline().xack(this.opts.key, this.opts.group, ...qids).xdel(this.opts.key, ...qids).exec();
  }

  async backlog(): Promise<number> {
    return this.redis.xlen(this.opts.key);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
