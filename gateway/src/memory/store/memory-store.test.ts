/**
 * One contract, two stores: the embedded store (in process + journal) and the Redis store (real
 * Redis, unique key prefix per run) must behave the same above the MemoryStore interface.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEmbed } from '../embedding/hash-embedder.js';
import { dropRedisPrefix, hasRedis, TEST_REDIS_URL, uniqueName } from '../testing/backends.js';
import type { ArchiveRecord, MemoryItem, MemoryTurn, PairUpdate, RelationshipCard } from '../types.js';
import { EmbeddedStore } from './embedded-store.js';
import { JournalQueue } from './journal-queue.js';
import { MemoryUnavailableError, type MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';

const now = Date.now();
const DAY = 86_400_000;
const card = (turns: number): RelationshipCard => ({ trust: 0.1, respect: 0, familiarity: 0.05 * turns, affinity: -0.1, firstMetAt: now, lastMetAt: now + turns, conversations: 1, turns, pinned: [], updatedAt: now + turns });
const turn = (i: number): MemoryTurn => ({ id: `turn-${i}`, at: now + i, playerText: `player ${i}`, npcText: `npc ${i}`, status: 'completed' });
const item = (id: string, expiresAt: number): MemoryItem => ({ id, kind: 'fact', text: `fact ${id}`, importance: 5, at: now, expiresAt, embedding: hashEmbed(`fact ${id}`, 64), sourceTurns: ['turn-0'] });
const record = (npc: string, player: string, t: MemoryTurn, c: RelationshipCard | null = null, items: MemoryItem[] = []): ArchiveRecord => ({ npc, player, turn: { ...t, heardMs: null, tier: 'gold' }, card: c, items });
const update = (over: Partial<PairUpdate>): PairUpdate => ({ card: card(1), reset: null, append: [], evict: 0, addItems: [], ttlMs: 30 * DAY, ...over });

interface Harness {
  store: MemoryStore;
  /** A second queue reader, as if the archiver restarted or another gateway took over. */
  reopenQueue(): Promise<MemoryStore['queue']>;
  close(): Promise<void>;
}

const harnesses: Array<[string, boolean, () => Promise<Harness>]> = [
  [
    'embedded',
    true,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
      const store = new EmbeddedStore(new JournalQueue(dir), 1000);
      const extra: JournalQueue[] = [];
      return {
        store,
        reopenQueue: async () => {
          const q = new JournalQueue(dir);
          extra.push(q);
          return q;
        },
        close: async () => {
          await store.close();
          for (const q of extra) await q.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'redis',
    hasRedis,
    async () => {
      const prefix = uniqueName('parley-test');
      const mk = (consumer: string) => new RedisStore({ url: TEST_REDIS_URL, prefix, consumer, claimIdleMs: 200, commandTimeoutMs: 1000 });
      const store = mk('gw-a');
      const extra: RedisStore[] = [];
      await store.ready(2000);
      return {
        store,
        reopenQueue: async () => {
          const s = mk('gw-b');
          extra.push(s);
          await s.ready(2000);
          return s.queue;
        },
        close: async () => {
          await store.close();
          for (const s of extra) await s.close();
          await dropRedisPrefix(prefix);
        },
      };
    },
  ],
];

for (const [name, available, make] of harnesses) {
  describe.skipIf(!available)(`${name} memory store`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('misses an unknown pair, then reads back what was written', async () => {
      const pair = { npc: 'zombie', player: 'p-read' };
      expect(await h.store.read(pair, now)).toBeNull();
      await h.store.write(pair, update({ card: card(2), append: [turn(1), turn(2)], addItems: [item('a', now + DAY)] }), record(pair.npc, pair.player, turn(2), card(2)));
      const s = (await h.store.read(pair, now))!;
      expect(s.card).toEqual(card(2));
      expect(s.turns).toEqual([turn(1), turn(2)]);
      expect(s.items).toHaveLength(1);
      expect(s.items[0]!.text).toBe('fact a');
      expect(s.items[0]!.embedding).toHaveLength(64);
    });

    it('evicts the oldest turns, resets from the archive, hides and prunes expired items', async () => {
      const pair = { npc: 'guard', player: 'p-evict' };
      await h.store.write(pair, update({ append: [turn(1), turn(2), turn(3)], addItems: [item('old', now + 50), item('new', now + DAY)] }), record(pair.npc, pair.player, turn(3)));
      await h.store.write(pair, update({ append: [turn(4)], evict: 2 }), record(pair.npc, pair.player, turn(4)));
      let s = (await h.store.read(pair, now + 100))!;
      expect(s.turns.map((t) => t.id)).toEqual(['turn-3', 'turn-4']);
      expect(s.items.map((i) => i.id)).toEqual(['new']);
      await h.store.write(pair, update({ reset: { turns: [turn(9)], items: [] }, append: [turn(10)] }), record(pair.npc, pair.player, turn(10)));
      s = (await h.store.read(pair, now + 100))!;
      expect(s.turns.map((t) => t.id)).toEqual(['turn-9', 'turn-10']);
      expect(s.items).toEqual([]);
    });

    it('forgets a player across NPCs and leaves other players alone', async () => {
      for (const npc of ['oracle', 'innkeeper']) await h.store.write({ npc, player: 'p-forget' }, update({ append: [turn(1)], addItems: [item(npc, now + DAY)] }), record(npc, 'p-forget', turn(1)));
      await h.store.write({ npc: 'oracle', player: 'p-keep' }, update({ append: [turn(1)] }), record('oracle', 'p-keep', turn(1)));
      expect(await h.store.forgetPlayer('p-forget')).toEqual({ pairs: 2, turns: 2, items: 2 });
      expect(await h.store.read({ npc: 'oracle', player: 'p-forget' }, now)).toBeNull();
      expect(await h.store.read({ npc: 'oracle', player: 'p-keep' }, now)).not.toBeNull();
      expect(await h.store.forgetPlayer('p-forget')).toEqual({ pairs: 0, turns: 0, items: 0 });
    });

    it('queues every record for the archive: take, ack, and re-delivery of what was not acknowledged', async () => {
      const q = h.store.queue;
      // Drain what the earlier tests queued.
      for (let got = await q.take(1000, 10); got.length; got = await q.take(1000, 10)) await q.ack(got.map((g) => g.qid));
      expect(await q.backlog()).toBe(0);
      for (let i = 0; i < 5; i++) await h.store.enqueue(record('zombie', 'p-queue', turn(100 + i)));
      expect(await q.backlog()).toBe(5);
      const first = await q.take(3, 10);
      expect(first.map((r) => r.record.turn.id)).toEqual(['turn-100', 'turn-101', 'turn-102']);
      await q.ack(first.map((r) => r.qid));
      const held = await q.take(10, 10); // taken, never acknowledged: the archiver "crashed"
      expect(held).toHaveLength(2);
      expect(await q.backlog()).toBe(2);
      await new Promise((r) => setTimeout(r, 300)); // past the Redis claim timeout
      const again = await (await h.reopenQueue()).take(10, 10);
      expect(again.map((r) => r.record.turn.id)).toEqual(['turn-103', 'turn-104']);
    });

    it('blocks briefly when empty and wakes for a new record', async () => {
      const q = h.store.queue;
      for (let got = await q.take(1000, 10); got.length; got = await q.take(1000, 10)) await q.ack(got.map((g) => g.qid));
      const waiting = q.take(10, 5000);
      setTimeout(() => void h.store.enqueue(record('zombie', 'p-wake', turn(200))), 50);
      const t0 = performance.now();
      const got = await waiting;
      expect(got.map((r) => r.record.turn.id)).toContain('turn-200');
      expect(performance.now() - t0).toBeLessThan(4000); // woken by the write, not by the 5 s timeout
    });
  });
}

describe.skipIf(!hasRedis)('redis memory store without redis', () => {
  it('fails fast with MemoryUnavailableError while Redis is unreachable', async () => {
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', prefix: 'parley-dead', consumer: 'x', claimIdleMs: 1000, commandTimeoutMs: 200 });
    expect(await store.ready(200)).toBe(false);
    await expect(store.read({ npc: 'zombie', player: 'p' }, now)).rejects.toBeInstanceOf(MemoryUnavailableError);
    await expect(store.enqueue(record('zombie', 'p', turn(1)))).rejects.toBeInstanceOf(MemoryUnavailableError);
    await store.close();
  });
});
