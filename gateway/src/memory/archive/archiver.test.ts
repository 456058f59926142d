/**
 * The archiver draining both queue kinds into the real PostgreSQL, through a TCP relay that
 * lets the test take the database away and bring it back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalQueue } from '../store/journal-queue.js';
import type { ArchiveQueue } from '../store/memory-store.js';
import { RedisStore } from '../store/redis-store.js';
import { dropRedisPrefix, dropSchema, hasPostgres, hasRedis, queryRows, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../testing/backends.js';
import { TcpProxy, viaProxy } from '../testing/tcp-proxy.js';
import type { ArchiveRecord } from '../types.js';
import { ArchiveDb } from './archive-db.js';
import { Archiver } from './archiver.js';

const rec = (i: number): ArchiveRecord => ({ npc: 'zombie', player: `p${i % 7}`, turn: { id: `turn-${i}`, at: Date.now(), playerText: `hello ${i}`, npcText: 'brains', status: 'completed', heardMs: null, tier: 'bronze' }, card: null, items: [] });

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const queues: Array<[string, boolean, () => Promise<{ queue: ArchiveQueue; dir?: string; append(r: ArchiveRecord): Promise<void>; close(): Promise<void> }>]> = [
  [
    'journal',
    true,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-archiver-'));
      const queue = new JournalQueue(dir);
      return { queue, dir, append: async (r) => queue.append(r), close: async () => (await queue.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  ],
  [
    'redis stream',
    hasRedis,
    async () => {
      const prefix = uniqueName('parley-test');
      const store = new RedisStore({ url: TEST_REDIS_URL, prefix, consumer: 'gw-test', claimIdleMs: 500, commandTimeoutMs: 1000 });
      await store.ready(2000);
      return { queue: store.queue, append: (r) => store.enqueue(r), close: async () => (await store.close(), await dropRedisPrefix(prefix)) };
    },
  ],
];

for (const [name, available, make] of queues) {
  describe.skipIf(!available || !hasPostgres)(`archiver draining a ${name} queue`, () => {
    const schema = uniqueName('parley_test');
    const proxy = new TcpProxy(new URL(TEST_DATABASE_URL).hostname, Number(new URL(TEST_DATABASE_URL).port || 5432));
    let db: ArchiveDb;
    let q: Awaited<ReturnType<typeof make>>;
    const count = async () => Number((await queryRows<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.turns`))[0]!.n);

    beforeAll(async () => {
      const port = await proxy.start();
      db = new ArchiveDb({ connectionString: viaProxy(TEST_DATABASE_URL, port), schema });
      await db.migrate();
      q = await make();
    });
    afterAll(async () => {
      await q?.close();
      await db?.close();
      await proxy.stop();
      await dropSchema(schema);
    });

    it('archives every record once, in batches', async () => {
      for (let i = 0; i < 250; i++) await q.append(rec(i));
      const archiver = new Archiver({ queue: q.queue, db, batchSize: 100, blockMs: 50 });
      archiver.start();
      await until(async () => (await count()) === 250);
      await until(async () => (await q.queue.backlog()) === 0);
      expect(archiver.stats.batches).toBeGreaterThanOrEqual(3);
      expect(archiver.stats.inserted.turns).toBe(250);
      await archiver.close();
    });

    it('keeps the backlog while PostgreSQL is down and drains it when it returns', async () => {
      const archiver = new Archiver({ queue: q.queue, db, batchSize: 100, blockMs: 50, retryMinMs: 50, retryMaxMs: 200 });
      archiver.start();
      await proxy.stop(); // PostgreSQL goes away
      for (let i = 250; i < 600; i++) await q.append(rec(i));
      await until(async () => archiver.stats.failing);
      expect(await q.queue.backlog()).toBeGreaterThanOrEqual(350);
      await proxy.start(); // and comes back
      await until(async () => (await count()) === 600);
      await until(async () => (await q.queue.backlog()) === 0);
      expect(archiver.stats.failing).toBe(false);
      await archiver.close();
    });

    it('a crash between the write and the acknowledgement re-delivers the batch without duplicates', async () => {
      for (let i = 600; i < 700; i++) await q.append(rec(i));
      let crashed = false;
      // Writes the batch, then "dies" before acknowledging it.
      const dying = new Archiver({
        queue: q.queue,
        db: { writeBatch: async (records) => (await db.writeBatch(records), (crashed = true), await new Promise<never>(() => {})) },
        batchSize: 100,
        blockMs: 50,
      });
      dying.start();
      await until(async () => crashed);
      expect(await count()).toBe(700);
      // The next archiver (after a restart: the journal re-reads from its cursor; Redis re-claims after claimIdleMs).
      const next = new Archiver({ queue: q.dir ? new JournalQueue(q.dir) : q.queue, db, batchSize: 100, blockMs: 50 });
      next.start();
      await until(async () => next.stats.records >= 100);
      expect(await count()).toBe(700);
      expect(next.stats.inserted.turns).toBe(0);
      await next.close();
      void dying.close();
    });
  });
}
