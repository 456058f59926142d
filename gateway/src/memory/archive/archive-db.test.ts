/**
 * The archive against both databases it runs on: the machine's PostgreSQL 15 (no pgvector; own
 * schema per run, dropped afterwards) and embedded PGlite with pgvector (own data folder).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEmbed } from '../embedding/hash-embedder.js';
import { dropSchema, hasPostgres, TEST_DATABASE_URL, uniqueName } from '../testing/backends.js';
import type { ArchiveRecord, RelationshipCard } from '../types.js';
import { ArchiveDb } from './archive-db.js';
import { DataDirLockedError, lockDataDir, startPglite, type PgliteHost } from './pglite-host.js';

const t0 = Date.UTC(2025, 2, 3, 10);
const card = (over: Partial<RelationshipCard> = {}): RelationshipCard => ({ trust: 0.25, respect: -0.5, familiarity: 0.1, affinity: 0, firstMetAt: t0, lastMetAt: t0, conversations: 1, turns: 1, pinned: ['Pinned.'], updatedAt: t0, ...over });
const rec = (i: number, player = 'p1', over: Partial<ArchiveRecord> = {}): ArchiveRecord => ({
  npc: 'oracle',
  player,
  turn: { id: `${player}-t${i}`, at: t0 + i * 1000, playerText: `question ${i}`, npcText: `answer ${i}`, status: i % 5 === 4 ? 'cancelled' : 'completed', heardMs: i % 5 === 4 ? 1234.5 : null, tier: 'gold' },
  card: card({ turns: i + 1, updatedAt: t0 + i * 1000, lastMetAt: t0 + i * 1000 }),
  items: i % 3 === 0 ? [{ id: `${player}-f${i}`, kind: 'fact', text: `fact ${i}`, importance: 6, at: t0 + i * 1000, expiresAt: t0 + 30 * 86_400_000, embedding: hashEmbed(`fact ${i}`, 32), sourceTurns: [`${player}-t${i}`] }] : [],
  ...over,
});

const backends: Array<[string, boolean, () => Promise<{ db: ArchiveDb; close(): Promise<void> }>]> = [
  [
    'PostgreSQL',
    hasPostgres,
    async () => {
      const schema = uniqueName('parley_test');
      const db = new ArchiveDb({ connectionString: TEST_DATABASE_URL, schema });
      return { db, close: async () => (await db.close(), await dropSchema(schema)) };
    },
  ],
  [
    'PGlite',
    true,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-pglite-'));
      const host: PgliteHost = await startPglite(dir);
      const db = new ArchiveDb({ connectionString: host.url, schema: 'parley' });
      return { db, close: async () => (await db.close(), await host.stop(), rmSync(dir, { recursive: true, force: true })) };
    },
  ],
];

for (const [name, available, open] of backends) {
  describe.skipIf(!available)(`archive on ${name}`, () => {
    let h: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      h = await open();
    });
    afterAll(async () => h?.close());

    it('migrates, and migrating again (or concurrently) changes nothing', async () => {
      const [a, b] = await Promise.all([h.db.migrate(), h.db.migrate()]);
      expect([...a.applied, ...b.applied].sort()).toContain(1);
      expect(a.version).toBe(b.version);
      const again = await h.db.migrate();
      expect(again.applied).toEqual([]);
      // pgvector: PGlite has it (migration 2 applied), the machine's PostgreSQL 15 does not (skipped).
      expect(again.version).toBe(name === 'PGlite' ? 2 : 1);
    });

    it('writes a batch once: re-delivered records and duplicate ids add nothing', async () => {
      const batch = Array.from({ length: 30 }, (_, i) => rec(i));
      expect(await h.db.writeBatch(batch)).toEqual({ turns: 30, memories: 10, cards: 1 });
      expect(await h.db.writeBatch([...batch.slice(10), rec(3)])).toEqual({ turns: 0, memories: 0, cards: 0 });
    });

    it('reads a pair back: card, the newest turns oldest first, unexpired items with embeddings', async () => {
      const s = (await h.db.readPair({ npc: 'oracle', player: 'p1' }, { turns: 5, now: t0, maxItems: 100 }))!;
      expect(s.card).toEqual(card({ turns: 30, updatedAt: t0 + 29_000, lastMetAt: t0 + 29_000 }));
      expect(s.turns.map((t) => t.id)).toEqual(['p1-t25', 'p1-t26', 'p1-t27', 'p1-t28', 'p1-t29']);
      expect(s.turns[4]).toEqual({ id: 'p1-t29', at: t0 + 29_000, playerText: 'question 29', npcText: 'answer 29', status: 'cancelled' });
      expect(s.items).toHaveLength(10);
      expect(s.items[0]!.embedding).toHaveLength(32);
      expect(s.items[0]!.embedding[0]).toBeCloseTo(hashEmbed('fact 0', 32)[0]!, 5);
      expect(await h.db.readPair({ npc: 'oracle', player: 'nobody' }, { turns: 5, now: t0, maxItems: 100 })).toBeNull();
      expect((await h.db.readPair({ npc: 'oracle', player: 'p1' }, { turns: 5, now: t0 + 31 * 86_400_000, maxItems: 100 }))!.items).toEqual([]);
    });

    it('keeps the newest card; a provisional card never replaces a confirmed one', async () => {
      await h.db.writeBatch([rec(100, 'p1', { card: card({ trust: -1, updatedAt: t0 - 1 }) })]); // older: ignored
      await h.db.writeBatch([rec(101, 'p1', { card: card({ trust: 0.9, updatedAt: t0 + 1e9, provisional: true }) })]);
      const s = (await h.db.readPair({ npc: 'oracle', player: 'p1' }, { turns: 1, now: t0, maxItems: 1 }))!;
      expect(s.card!.trust).toBeCloseTo(0.25, 5);
      await h.db.writeBatch([rec(0, 'p2', { card: card({ provisional: true }) })]);
      expect((await h.db.readPair({ npc: 'oracle', player: 'p2' }, { turns: 1, now: t0, maxItems: 1 }))!.card!.provisional).toBe(true);
    });

    it('forgets a player and drops queued records made before the request', async () => {
      await h.db.writeBatch([rec(1, 'p3'), rec(2, 'p3')]);
      const forgottenAt = t0 + 10_000;
      expect(await h.db.forgetPlayer('p3', forgottenAt)).toEqual({ turns: 2, memories: 0, cards: 1 });
      expect(await h.db.readPair({ npc: 'oracle', player: 'p3' }, { turns: 5, now: t0, maxItems: 10 })).toBeNull();
      // A record still in the queue from before the request is dropped; a later one is kept.
      expect(await h.db.writeBatch([rec(3, 'p3'), rec(20, 'p3')])).toMatchObject({ turns: 1 });
      expect((await h.db.readPair({ npc: 'oracle', player: 'p3' }, { turns: 5, now: t0, maxItems: 10 }))!.turns.map((t) => t.id)).toEqual(['p3-t20']);
    });
  });
}

describe('embedded data folder lock', () => {
  it('refuses a folder held by another live process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-lock-'));
    try {
      const release = lockDataDir(dir);
      expect(() => lockDataDir(dir)).toThrow(/already in use in this process/);
      release();
      // The parent process (vitest's) is alive and is not us.
      writeFileSync(join(dir, 'parley.lock'), String(process.ppid));
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      writeFileSync(join(dir, 'parley.lock'), '999999999'); // a dead process: taken over
      lockDataDir(dir)();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
