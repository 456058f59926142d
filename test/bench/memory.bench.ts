/**
 * NPC memory benchmarks (called from run-all.ts; prints its tables and returns the numbers):
 *
 * 1. Hot-context read at 1,000 (npc, player) pairs on loopback Redis, each pair holding a card,
 *    20 hot turns and 24 memories with embeddings. Open loop at a fixed rate (what an NPC load
 *    produces: every pair speaking about once a second), p50/p99 per read; then the closed-loop
 *    ceiling in reads/s. Reference rows in the same run, interleaved with Parley's: a PING (the
 *    machine's floor) and a bare ioredis pipeline GET+LRANGE+HVALS of the same keys, undecoded. "read" = the store's one round trip + decoding;
 *    "beforeTurn" adds embedding the player's words, ranking memories and assembling the context.
 * 2. Archive throughput into PostgreSQL: the archiver draining a Redis Stream in batches of 500,
 *    vs one statement per turn (autocommit), same database, same records; plus a bare single-row
 *    INSERT of the turn alone for reference.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ArchiveDb } from '../../gateway/src/memory/archive/archive-db.js';
import { Archiver } from '../../gateway/src/memory/archive/archiver.js';
import { applyCardRules } from '../../gateway/src/memory/card-rules.js';
import { hashEmbed } from '../../gateway/src/memory/embedding/hash-embedder.js';
import { defaultMemoryConfig } from '../../gateway/src/memory/memory-config.js';
import { MemoryService } from '../../gateway/src/memory/memory-service.js';
import { EmbeddedStore } from '../../gateway/src/memory/store/embedded-store.js';
import { JournalQueue } from '../../gateway/src/memory/store/journal-queue.js';
import type { MemoryStore } from '../../gateway/src/memory/store/memory-store.js';
import { RedisStore } from '../../gateway/src/memory/store/redis-store.js';
import { HashEmbedder } from '../../gateway/src/memory/embedding/hash-embedder.js';
import { dropRedisPrefix, dropSchema, hasPostgres, hasRedis, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../gateway/src/memory/testing/backends.js';
import type { ArchiveRecord, MemoryItem, MemoryTurn, Pair } from '../../gateway/src/memory/types.js';

export interface LatencyRow {
  what: string;
  ratePerSec: number;
  reads: number;
  p50Ms: number;
  p99Ms: number;
  maxPerSec: number;
}

export interface MemoryBenchResult {
  hotRead: LatencyRow[];
  archive: { what: string; turns: number; seconds: number; turnsPerSec: number }[];
  archiveRatio: number | null;
  notes: string[];
}

const PAIRS = 1000;
const NPCS = ['vampire-lord', 'zombie', 'innkeeper', 'guard', 'oracle'];
const LINES = ['Good evening, who are you?', 'Tell me about the castle and the old road north.', 'My name is Bo and I seek the silver dagger.', 'Give me your gold or die!', 'Thank you, friend, you have been kind.'];
const pct = (xs: ArrayLike<number>, p: number) => {
  const s = Float64Array.from(xs).sort();
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const pairOf = (i: number): Pair => ({ npc: NPCS[i % NPCS.length]!, player: `bench-player-${i}` });

/** Seeds a pair the way a long conversation leaves it: card, 20 hot turns, 24 memories (facts + summaries). */
async function seed(store: MemoryStore, pair: Pair, now: number): Promise<void> {
  const turns: MemoryTurn[] = Array.from({ length: 20 }, (_, k) => ({ id: `${pair.player}-${pair.npc}-t${k}`, at: now - (20 - k) * 60_000, playerText: LINES[k % LINES.length]!, npcText: `A reply of a sentence or two, number ${k}, about the road, the castle and the weather tonight.`, status: 'completed' }));
  const items: MemoryItem[] = Array.from({ length: 24 }, (_, k) => {
    const text = k % 3 ? `The player mentioned item ${k}: the silver dagger, the old mill, the north road.` : `2025-05-0${1 + (k % 9)}: 8 exchanges with the player about dagger, crypt and road. The player said "Where is it?"`;
    return { id: `${pair.player}-${pair.npc}-m${k}`, kind: k % 3 ? 'fact' : 'summary', text, importance: 1 + (k % 10), at: now - k * 3_600_000, expiresAt: now + 30 * 86_400_000, embedding: hashEmbed(text, 256), sourceTurns: [] };
  });
  let card = applyCardRules({ card: null, playerText: 'Hello, my name is Bo.', status: 'completed', at: now, conversationGapMs: 1_800_000, pin: ["The player's name is Bo."] }).card;
  card = { ...card, turns: 20 };
  const rec: ArchiveRecord = { ...pair, turn: { ...turns.at(-1)!, heardMs: null, tier: 'gold' }, card, items: [] };
  await store.write(pair, { card, reset: { turns, items }, append: [], evict: 0, addItems: [], ttlMs: 86_400_000 }, rec);
}

/**
 * Open loop: `rate` calls per second for `seconds`, issued on schedule whether or not earlier ones
 * finished (so queueing shows); latency from the moment each call was issued.
 */
async function openLoop(rate: number, seconds: number, op: (i: number) => Promise<unknown>): Promise<Float64Array> {
  const total = Math.round(rate * seconds);
  // Preallocated and without a list of pending promises: the harness itself should leave the
  // young generation as empty as possible, or its own GC pauses show up in every row's p99.
  const lat = new Float64Array(total);
  let outstanding = total;
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    op(i).then(() => {
      lat[i] = performance.now() - sent;
      if (--outstanding === 0) allDone();
    });
  }
  await done;
  return lat;
}

/** Closed loop with `inFlight` concurrent callers for `seconds`: the ceiling in calls/s. */
async function closedLoop(inFlight: number, seconds: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async (_, w) => {
    for (let i = w; performance.now() < end; i += inFlight) {
      await op(i);
      n++;
    }
  }));
  return n / ((performance.now() - start) / 1000);
}

async function benchHotReads(seconds: number, notes: string[]): Promise<LatencyRow[]> {
  const rate = 1000;
  const rounds = 3;
  const now = Date.now();
  const config = defaultMemoryConfig();
  type Variant = { what: string; op: (i: number) => Promise<unknown>; lat: Float64Array[] };
  // Every variant runs in `rounds` interleaved windows and the latencies are pooled, so a noisy
  // moment on a shared machine lands on all rows alike instead of on whichever ran then.
  const measureAll = async (variants: Variant[]): Promise<LatencyRow[]> => {
    for (const v of variants) for (let i = 0; i < 300; i++) await v.op(i); // warm up
    for (let r = 0; r < rounds; r++) for (const v of variants) v.lat.push(await openLoop(rate, seconds / rounds, v.op));
    const out: LatencyRow[] = [];
    for (const v of variants) {
      const all = Float64Array.from(v.lat.flatMap((l) => [...l]));
      const maxPerSec = await closedLoop(64, Math.max(1, seconds / 2), v.op);
      out.push({ what: v.what, ratePerSec: rate, reads: all.length, p50Ms: pct(all, 50), p99Ms: pct(all, 99), maxPerSec });
    }
    return out;
  };
  const rows: LatencyRow[] = [];

  if (hasRedis) {
    const prefix = `parley-bench-${randomBytes(4).toString('hex')}`;
    const store = new RedisStore({ url: TEST_REDIS_URL, prefix, consumer: 'bench', claimIdleMs: 30_000, commandTimeoutMs: 2000 });
    const raw = new Redis(TEST_REDIS_URL);
    try {
      await store.ready(3000);
      for (let i = 0; i < PAIRS; i++) await seed(store, pairOf(i), now);
      const key = (i: number) => `${prefix}:m:{${pairOf(i % PAIRS).npc}|${pairOf(i % PAIRS).player}}`;
      const service = new MemoryService({ store, embedder: new HashEmbedder(256), config, archive: () => null });
      rows.push(...(await measureAll([
        { what: 'floor: PING round trip', op: () => raw.ping(), lat: [] },
        { what: 'baseline: ioredis pipeline GET+LRANGE+HVALS (same keys, no decoding)', op: (i) => raw.pipeline().get(`${key(i)}:card`).lrange(`${key(i)}:turns`, 0, -1).hvals(`${key(i)}:items`).exec(), lat: [] },
        { what: 'parley RedisStore.read (1 round trip + decode)', op: (i) => store.read(pairOf(i % PAIRS), now), lat: [] },
        { what: 'parley beforeTurn (read + embed + rank + context)', op: (i) => service.beforeTurn({ id: pairOf(i % PAIRS).npc, name: 'NPC' }, pairOf(i % PAIRS).player, LINES[i % LINES.length]!), lat: [] },
      ])));
    } finally {
      raw.disconnect();
      await store.close();
      await dropRedisPrefix(prefix);
    }
  } else notes.push('Redis not reachable: hot reads measured on the embedded store only');

  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const embedded = new EmbeddedStore(new JournalQueue(dir), PAIRS * 2);
  try {
    for (let i = 0; i < PAIRS; i++) await seed(embedded, pairOf(i), now);
    rows.push(...(await measureAll([{ what: 'embedded store read (in process)', op: (i) => embedded.read(pairOf(i % PAIRS), now), lat: [] }])));
  } finally {
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function benchArchive(notes: string[]): Promise<{ rows: MemoryBenchResult['archive']; ratio: number | null }> {
  if (!hasPostgres || !hasRedis) {
    notes.push('archive throughput needs Redis and PostgreSQL; skipped');
    return { rows: [], ratio: null };
  }
  const schema = `parley_bench_${randomBytes(4).toString('hex')}`;
  const prefix = `parley-bench-${randomBytes(4).toString('hex')}`;
  const db = new ArchiveDb({ connectionString: TEST_DATABASE_URL, schema, max: 2 });
  const store = new RedisStore({ url: TEST_REDIS_URL, prefix, consumer: 'bench', claimIdleMs: 30_000, commandTimeoutMs: 5000 });
  const rows: MemoryBenchResult['archive'] = [];
  const now = Date.now();
  const record = (i: number, tag: string): ArchiveRecord => {
    const pair = pairOf(i % PAIRS);
    const card = applyCardRules({ card: null, playerText: LINES[i % 5]!, status: 'completed', at: now + i, conversationGapMs: 1_800_000 }).card;
    const items: MemoryItem[] = i % 3 === 0 ? [{ id: `${tag}-f${i}`, kind: 'fact', text: `The player seeks thing ${i}.`, importance: 5, at: now + i, expiresAt: now + 1e9, embedding: hashEmbed(`The player seeks thing ${i}.`, 256), sourceTurns: [`${tag}-${i}`] }] : [];
    return { ...pair, turn: { id: `${tag}-${i}`, at: now + i, playerText: LINES[i % 5]!, npcText: 'A reply of a sentence or two about the road and the castle.', status: 'completed', heardMs: null, tier: 'gold' }, card, items };
  };
  try {
    await db.migrate();
    await store.ready(3000);

    // Batched: the real archiver draining the Redis Stream (XREADGROUP → one multi-row statement → XACK+XDEL).
    const N = 20_000;
    for (let i = 0; i < N; i += 500) {
      const p = store.redis.pipeline();
      for (let k = i; k < Math.min(N, i + 500); k++) p.xadd(`${prefix}:archive`, '*', 'r', JSON.stringify(record(k, 'b')));
      await p.exec();
    }
    const archiver = new Archiver({ queue: store.queue, db, batchSize: 500, blockMs: 20 });
    const t0 = performance.now();
    archiver.start();
    while (archiver.stats.records < N) await new Promise((r) => setTimeout(r, 5));
    const batchedS = (performance.now() - t0) / 1000;
    await archiver.close();
    rows.push({ what: 'parley archiver: Redis Stream → batches of 500 (one statement each)', turns: N, seconds: batchedS, turnsPerSec: N / batchedS });

    // Baseline: one statement per turn (the same statement and data, one record at a time, autocommit).
    const M = 2_000;
    const t1 = performance.now();
    for (let i = 0; i < M; i++) await db.writeBatch([record(i, 's')]);
    const singleS = (performance.now() - t1) / 1000;
    rows.push({ what: 'baseline: one statement per turn (same data, autocommit)', turns: M, seconds: singleS, turnsPerSec: M / singleS });

    // For reference: the plainest possible write, a single-row INSERT of the turn alone.
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    const t2 = performance.now();
    for (let i = 0; i < M; i++) {
      const r = record(i, 'p');
      await client.query(`INSERT INTO ${schema}.turns (id, npc, player, at, player_text, npc_text, status, heard_ms, tier) VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`, [r.turn.id, r.npc, r.player, r.turn.at, r.turn.playerText, r.turn.npcText, r.turn.status, r.turn.heardMs, r.turn.tier]);
    }
    const plainS = (performance.now() - t2) / 1000;
    await client.end();
    rows.push({ what: 'reference: single-row INSERT of the turn row only', turns: M, seconds: plainS, turnsPerSec: M / plainS });
    return { rows, ratio: rows[0]!.turnsPerSec / rows[1]!.turnsPerSec };
  } finally {
    await store.close();
    await dropRedisPrefix(prefix);
    await db.close();
    await dropSchema(schema);
  }
}

const f1 = (n: number) => n.toFixed(n < 10 ? 3 : 1);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchMemory(opts: { seconds?: number } = {}): Promise<MemoryBenchResult> {
  const seconds = opts.seconds ?? 5;
  const notes: string[] = [];
  console.log(`\nNPC memory: hot-context read, ${PAIRS} (npc, player) pairs (card + 20 turns + 24 memories each), open loop at 1,000 reads/s for ${seconds} s per row (3 interleaved windows, pooled), then closed loop with 64 in flight`);
  const hotRead = await benchHotReads(seconds, notes);
  console.table(hotRead.map((r) => ({ what: r.what, 'p50 ms': f1(r.p50Ms), 'p99 ms': f1(r.p99Ms), 'max reads/s': fmt(r.maxPerSec) })));
  const base = hotRead.find((r) => r.what.startsWith('baseline'));
  const read = hotRead.find((r) => r.what.startsWith('parley RedisStore'));
  if (base && read) console.log(`RedisStore.read vs baseline: p99 ${(read.p99Ms / base.p99Ms).toFixed(2)}× the baseline's latency, ${(read.maxPerSec / base.maxPerSec).toFixed(2)}× its max reads/s (target: p99 < 2 ms)`);

  console.log('\nNPC memory: archive throughput into PostgreSQL (turn + card + a fact every third turn)');
  const { rows: archive, ratio } = await benchArchive(notes);
  if (archive.length) console.table(archive.map((r) => ({ what: r.what, turns: fmt(r.turns), 'turns/s': fmt(r.turnsPerSec) })));
  if (ratio !== null) console.log(`Batched vs one statement per turn: ${ratio.toFixed(1)}× (target ≥ 10×)`);
  for (const n of notes) console.log(`note: ${n}`);
  return { hotRead, archive, archiveRatio: ratio, notes };
}

// Run on its own: npx tsx test/bench/memory.bench.ts
if (import.meta.url === `file://${process.argv[1]}`) await benchMemory({ seconds: Number(process.env.BENCH_SECONDS ?? 5) });
