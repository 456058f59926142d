/**
 * The memory service end to end through MemorySystem, on real backends: the embedded store
 * (+ journal) and the Redis store, each archiving into the machine's PostgreSQL (own schema).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMemoryConfig, type MemoryConfig } from './memory-config.js';
import type { TurnMemory, TurnOutcome } from './memory-service.js';
import { MemorySystem } from './memory-system.js';
import { dropRedisPrefix, dropSchema, hasPostgres, hasRedis, queryRows, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from './testing/backends.js';

const npc = { id: 'innkeeper', name: 'Marta' };
let seq = 0;
const outcome = (tm: TurnMemory, text: string, reply: string, over: Partial<TurnOutcome> = {}): TurnOutcome => ({ id: `job-${++seq}`, playerText: text, replyText: reply, status: 'completed', spans: [{ text: reply, audioStartMs: 0 }], audioMs: 1000, heardMs: null, tier: 'silver', ...over });

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const modes: Array<[string, boolean, () => Partial<MemoryConfig>]> = [
  ['embedded store', hasPostgres, () => ({ redisUrl: null })],
  ['redis store', hasPostgres && hasRedis, () => ({ redisUrl: TEST_REDIS_URL })],
];

for (const [name, available, mode] of modes) {
  describe.skipIf(!available)(`memory service with the ${name}`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-memsvc-'));
    const schema = uniqueName('parley_test');
    const prefix = uniqueName('parley-test');
    const config = defaultMemoryConfig({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, redisPrefix: prefix, dataDir, hotTurnsMax: 4, hotTurnsMin: 2, timeoutMs: 1000, ...mode() });
    const systems: MemorySystem[] = [];
    const start = async (over: Partial<MemoryConfig> = {}) => {
      const s = new MemorySystem({ ...config, ...over }, { gatewayId: uniqueName('gw'), archiveBlockMs: 50 });
      systems.push(s);
      await s.start();
      return s;
    };
    const archivedTurns = async (player: string) => Number((await queryRows<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.turns WHERE player = $1`, [player]))[0]!.n);

    afterAll(async () => {
      for (const s of systems) await s.stop();
      await dropSchema(schema);
      await dropRedisPrefix(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('meets a stranger, remembers the turn, and moves the card', async () => {
      const sys = await start();
      const svc = sys.service;
      const a = await svc.beforeTurn(npc, 'p1', 'Good evening! My name is Bo.');
      expect(a).toMatchObject({ source: 'new', degraded: false, context: { card: null, turns: [], memories: [] } });
      const r = await svc.afterTurn(a, outcome(a, 'Good evening! My name is Bo.', 'Welcome, traveller.'));
      expect(r.degraded).toBe(false);
      expect(r.relationship).toMatchObject({ conversations: 1 });
      expect(r.relationship!.delta.familiarity).toBeGreaterThan(0);

      const b = await svc.beforeTurn(npc, 'p1', 'Thank you, you are very kind.');
      expect(b.source).toBe('hot');
      expect(b.context!.card).toMatchObject({ conversations: 1, turns: 1, pinned: ["The player's name is Bo."] });
      expect(b.context!.turns.map((t) => t.text)).toEqual(['Good evening! My name is Bo.', 'Welcome, traveller.']);
      const rb = await svc.afterTurn(b, outcome(b, 'Thank you, you are very kind.', 'You are welcome.'));
      expect(rb.relationship!.delta.affinity).toBeGreaterThan(0);
      expect(rb.relationship!.delta.trust).toBeGreaterThan(0);
    });

    it('summarizes turns that leave the hot window and retrieves them later', async () => {
      const svc = systems[0]!.service;
      const lines = ['Tell me about the silver dagger.', 'Who stole the dagger?', 'Is the thief in the crypt?', 'I will bring the dagger back.'];
      for (const l of lines) {
        const tm = await svc.beforeTurn(npc, 'p1', l);
        await svc.afterTurn(tm, outcome(tm, l, 'Hm, the dagger. A dark business.'));
      }
      const v = await svc.view({ npc: 'innkeeper', player: 'p1' });
      expect(v.source).toBe('hot');
      expect(v.turns.length).toBeLessThanOrEqual(4);
      expect(v.summaries.length).toBeGreaterThanOrEqual(1);
      expect(v.summaries[0]!.text).toMatch(/exchanges with the player/);
      expect(v.facts.map((f) => f.text)).toContain("The player's name is Bo.");
      const tm = await svc.beforeTurn(npc, 'p1', 'What did I ask you about before?');
      expect(tm.context!.memories.some((m) => m.kind === 'summary')).toBe(true);
    });

    it('keeps only the words heard of a cancelled reply', async () => {
      const svc = systems[0]!.service;
      const tm = await svc.beforeTurn(npc, 'p2', 'Hello?');
      const reply = 'One two three four. Five six seven eight.';
      await svc.afterTurn(tm, outcome(tm, 'Hello?', reply, { status: 'cancelled', spans: [{ text: 'One two three four.', audioStartMs: 0 }, { text: ' Five six seven eight.', audioStartMs: 1000 }], audioMs: 2000, heardMs: 1500 }));
      const v = await svc.view({ npc: 'innkeeper', player: 'p2' });
      expect(v.turns.at(-1)).toMatchObject({ status: 'cancelled', npcText: 'One two three four. Five six' });
    });

    it('after a restart (hot memory gone), rebuilds the pair from the archive', async () => {
      await until(async () => (await archivedTurns('p1')) === 6);
      await systems[0]!.stop();
      if (config.redisUrl || mode().redisUrl) await dropRedisPrefix(prefix); // Redis lost its data too
      const sys = await start();
      const tm = await sys.service.beforeTurn(npc, 'p1', 'Do you remember me?');
      expect(tm.source).toBe('archive');
      expect(tm.context!.card).toMatchObject({ turns: 6, pinned: ["The player's name is Bo."] });
      expect(tm.context!.turns.length).toBeGreaterThan(0);
      expect(tm.context!.memories.length).toBeGreaterThan(0);
      const r = await sys.service.afterTurn(tm, outcome(tm, 'Do you remember me?', 'Of course, Bo.'));
      expect(r.relationship!.conversations).toBeGreaterThanOrEqual(1);
      const again = await sys.service.beforeTurn(npc, 'p1', 'Good.');
      expect(again.source).toBe('hot');
      expect(again.context!.card!.turns).toBe(7);
    });

    it('with the archive unreachable, a pair gets a provisional card that is reconciled later', async () => {
      const sys = systems.at(-1)!;
      const svc = sys.service;
      const archiveDb = sys.archiveDb;
      sys.archiveDb = null; // as if the database were down while the pair's hot memory is missing
      const tm = await svc.beforeTurn(npc, 'p1-alt', 'Hi');
      expect(tm.source).toBe('provisional');
      await svc.afterTurn(tm, outcome(tm, 'Hi', 'Hello.'));
      sys.archiveDb = archiveDb;
      await until(async () => (await archivedTurns('p1-alt')) === 1);
      const next = await svc.beforeTurn(npc, 'p1-alt', 'Hi again');
      expect(next.source).toBe('archive');
      expect(next.context!.card!.turns).toBe(1);
    });

    it('forgets a player everywhere and reports what was deleted', async () => {
      const svc = systems.at(-1)!.service;
      await until(async () => (await archivedTurns('p1')) === 7);
      const r = await svc.forgetPlayer('p1');
      expect(r.hot.pairs).toBe(1);
      expect(r.archive).toMatchObject({ turns: 7, cards: 1 });
      expect(r.archive!.memories).toBeGreaterThan(0);
      expect((await svc.view({ npc: 'innkeeper', player: 'p1' })).source).toBe('none');
      expect(await archivedTurns('p1')).toBe(0);
    });
  });
}

describe.skipIf(!hasPostgres)('memory service with Redis down', () => {
  it('runs turns without memory, marked degraded, and never throws', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-memsvc-'));
    const schema = uniqueName('parley_test');
    const sys = new MemorySystem(defaultMemoryConfig({ redisUrl: 'redis://127.0.0.1:1', databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, dataDir, timeoutMs: 100 }), { gatewayId: 'gw-down', archiveWaitMs: 100 });
    try {
      await sys.start();
      const tm = await sys.service.beforeTurn(npc, 'p1', 'Hello');
      expect(tm).toMatchObject({ degraded: true, state: null, context: null });
      expect(await sys.service.afterTurn(tm, outcome(tm, 'Hello', 'Hi.'))).toEqual({ relationship: null, degraded: true });
      await expect(sys.service.view({ npc: 'innkeeper', player: 'p1' })).rejects.toThrow(/redis/);
    } finally {
      await sys.stop();
      await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
