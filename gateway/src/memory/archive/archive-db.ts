/**
 * The lifetime archive in PostgreSQL (a server via PARLEY_DATABASE_URL, or embedded PGlite):
 * every turn, summary, fact and the latest card of every pair, forever.
 *
 * Written only by the archiver, in batches: one statement per batch (data-modifying CTEs fed by
 * jsonb_to_recordset), so a batch is atomic without an explicit transaction — which also keeps
 * it safe on PGlite, where pooled connections share one session. Idempotent: turns and memories
 * insert ON CONFLICT (id) DO NOTHING; a card replaces the stored one only when newer (and a
 * provisional card never replaces a confirmed one). Records of a player who asked to be
 * forgotten, made before that request, are dropped (tombstone by SHA-256 of the player id).
 */
import pg from 'pg';
import type { ArchiveRecord, HotState, MemoryItem, MemoryTurn, Pair, RelationshipCard } from '../types.js';
import { embeddingToArray } from '../embedding/embedding-codec.js';
import { migrate, type MigrationResult } from './migrations.js';

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface ArchiveDbOptions {
  connectionString: string;
  schema: string;
  /** Pool size (1 is plenty for one archiver plus cold reads). */
  max?: number;
  /** Per-statement deadline, ms. */
  statementTimeoutMs?: number;
}

export interface BatchCounts {
  turns: number;
  memories: number;
  cards: number;
}

const FORGOTTEN = (s: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM ${s}.forgotten g WHERE g.player_hash = encode(sha256(convert_to(${alias}.player, 'UTF8')), 'hex') AND g.forgotten_at >= to_timestamp(${alias}.at / 1000.0))`;

const batchSql = (s: string) => `
WITH t AS (
  INSERT INTO ${s}.turns (id, npc, player, at, player_text, npc_text, status, heard_ms, tier)
  SELECT r.id, r.npc, r.player, to_timestamp(r.at / 1000.0), r.player_text, r.npc_text, r.status, r.heard_ms, r.tier
  FROM jsonb_to_recordset($1::jsonb) AS r(id text, npc text, player text, at double precision, player_text text, npc_text text, status text, heard_ms real, tier text)
  WHERE ${FORGOTTEN(s, 'r')}
  ON CONFLICT (id) DO NOTHING RETURNING 1
), m AS (
  INSERT INTO ${s}.memories (id, npc, player, kind, text, importance, at, expires_at, embedding, source_turns)
  SELECT r.id, r.npc, r.player, r.kind, r.text, r.importance, to_timestamp(r.at / 1000.0), to_timestamp(r.expires_at / 1000.0), r.embedding, r.source_turns
  FROM jsonb_to_recordset($2::jsonb) AS r(id text, npc text, player text, kind text, text text, importance smallint, at double precision, expires_at double precision, embedding real[], source_turns text[])
  WHERE ${FORGOTTEN(s, 'r')}
  ON CONFLICT (id) DO NOTHING RETURNING 1
), c AS (
  INSERT INTO ${s}.cards AS k (npc, player, trust, respect, familiarity, affinity, first_met_at, last_met_at, conversations, turns, pinned, provisional, updated_at)
  SELECT r.npc, r.player, r.trust, r.respect, r.familiarity, r.affinity, to_timestamp(r.first_met_at / 1000.0), to_timestamp(r.last_met_at / 1000.0), r.conversations, r.turns, r.pinned, r.provisional, to_timestamp(r.at / 1000.0)
  FROM jsonb_to_recordset($3::jsonb) AS r(npc text, player text, trust real, respect real, familiarity real, affinity real, first_met_at double precision, last_met_at double precision, conversations integer, turns integer, pinned jsonb, provisional boolean, at double precision)
  WHERE ${FORGOTTEN(s, 'r')}
  ON CONFLICT (npc, player) DO UPDATE SET
    trust = excluded.trust, respect = excluded.respect, familiarity = excluded.familiarity, affinity = excluded.affinity,
    first_met_at = excluded.first_met_at, last_met_at = excluded.last_met_at, conversations = excluded.conversations,
    turns = excluded.turns, pinned = excluded.pinned, provisional = excluded.provisional, updated_at = excluded.updated_at
  WHERE k.updated_at < excluded.updated_at AND (k.provisional OR NOT excluded.provisional)
  RETURNING 1
)
SELECT (SELECT count(*) FROM t)::int AS turns, (SELECT count(*) FROM m)::int AS memories, (SELECT count(*) FROM c)::int AS cards`;

const ms = (col: string) => `round(extract(epoch FROM ${col}) * 1000)::float8`;

const readPairSql = (s: string) => `
SELECT
  (SELECT row_to_json(c) FROM (
     SELECT trust, respect, familiarity, affinity, ${ms('first_met_at')} AS "firstMetAt", ${ms('last_met_at')} AS "lastMetAt",
            conversations, turns, pinned, provisional, ${ms('updated_at')} AS "updatedAt"
     FROM ${s}.cards WHERE npc = $1 AND player = $2) c) AS card,
  (SELECT coalesce(json_agg(t ORDER BY t.at), '[]') FROM (
     SELECT id, ${ms('at')} AS at, player_text AS "playerText", npc_text AS "npcText", status
     FROM ${s}.turns WHERE npc = $1 AND player = $2 ORDER BY at DESC LIMIT $3) t) AS turns,
  (SELECT coalesce(json_agg(m ORDER BY m.at), '[]') FROM (
     SELECT id, kind, text, importance, ${ms('at')} AS at, ${ms('expires_at')} AS "expiresAt", embedding, source_turns AS "sourceTurns"
     FROM ${s}.memories WHERE npc = $1 AND player = $2 AND expires_at > to_timestamp($4 / 1000.0)
     ORDER BY at DESC LIMIT $5) m) AS items`;

type StoredCard = RelationshipCard;

export class ArchiveDb {
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly sql: { batch: string; readPair: string };

  constructor(opts: ArchiveDbOptions) {
    if (!SCHEMA_NAME.test(opts.schema)) throw new Error(`archive schema ${JSON.stringify(opts.schema)} must match ${SCHEMA_NAME}`);
    this.schema = opts.schema;
    this.pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: opts.max ?? 2,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    });
    // A connection dropped while idle (database restarted) must not crash the gateway.
    this.pool.on('error', () => {});
    this.sql = { batch: batchSql(opts.schema), readPair: readPairSql(opts.schema) };
  }

  async migrate(): Promise<MigrationResult> {
    const client = await this.pool.connect();
    try {
      return await migrate(client, this.schema);
    } finally {
      client.release();
    }
  }

  /** Writes a batch of records in one statement; returns how many rows were new. */
  async writeBatch(records: readonly ArchiveRecord[]): Promise<BatchCounts> {
    if (records.length === 0) return { turns: 0, memories: 0, cards: 0 };
    const turns: object[] = [];
    const items: object[] = [];
    // One card per pair per statement (ON CONFLICT DO UPDATE may touch a row once): keep the newest.
    const cards = new Map<string, Record<string, unknown> & { at: number }>();
    for (const r of records) {
      const t = r.turn;
      turns.push({ id: t.id, npc: r.npc, player: r.player, at: t.at, player_text: t.playerText, npc_text: t.npcText, status: t.status, heard_ms: t.heardMs, tier: t.tier });
      for (const m of r.items) items.push({ id: m.id, npc: r.npc, player: r.player, kind: m.kind, text: m.text, importance: m.importance, at: m.at, expires_at: m.expiresAt, embedding: embeddingToArray(m.embedding), source_turns: m.sourceTurns });
      if (r.card) {
        const c = r.card as StoredCard;
        const key = `${r.npc}\u001f${r.player}`;
        const prev = cards.get(key);
        if (!prev || prev.at <= c.updatedAt)
          cards.set(key, { npc: r.npc, player: r.player, trust: c.trust, respect: c.respect, familiarity: c.familiarity, affinity: c.affinity, first_met_at: c.firstMetAt, last_met_at: c.lastMetAt, conversations: c.conversations, turns: c.turns, pinned: c.pinned, provisional: c.provisional === true, at: c.updatedAt });
      }
    }
    const res = await this.pool.query<BatchCounts>(this.sql.batch, [JSON.stringify(turns), JSON.stringify(items), JSON.stringify([...cards.values()])]);
    return res.rows[0]!;
  }

  /** A pair's archived state for rebuilding hot memory (one query); null when the archive has never seen it. */
  async readPair(pair: Pair, opts: { turns: number; now: number; maxItems: number }): Promise<HotState | null> {
    const res = await this.pool.query<{ card: StoredCard | null; turns: MemoryTurn[]; items: MemoryItem[] }>(this.sql.readPair, [pair.npc, pair.player, opts.turns, opts.now, opts.maxItems]);
    const row = res.rows[0];
    if (!row || (!row.card && row.turns.length === 0 && row.items.length === 0)) return null;
    let card: RelationshipCard | null = null;
    if (row.card) {
      const { provisional, ...rest } = row.card;
      card = provisional ? { ...rest, provisional: true } : rest;
    }
    return { card, turns: row.turns, items: row.items };
  }

  /** Deletes everything about a player and leaves a tombstone so queued records made before now are dropped. */
  async forgetPlayer(player: string, now: number): Promise<BatchCounts> {
    const s = this.schema;
    const res = await this.pool.query<BatchCounts>(
      `WITH t AS (DELETE FROM ${s}.turns WHERE player = $1 RETURNING 1),
            m AS (DELETE FROM ${s}.memories WHERE player = $1 RETURNING 1),
            c AS (DELETE FROM ${s}.cards WHERE player = $1 RETURNING 1),
            f AS (INSERT INTO ${s}.forgotten (player_hash, forgotten_at) VALUES (encode(sha256(convert_to($1, 'UTF8')), 'hex'), to_timestamp($2 / 1000.0))
                  ON CONFLICT (player_hash) DO UPDATE SET forgotten_at = greatest(${s}.forgotten.forgotten_at, excluded.forgotten_at) RETURNING 1)
       SELECT (SELECT count(*) FROM t)::int AS turns, (SELECT count(*) FROM m)::int AS memories, (SELECT count(*) FROM c)::int AS cards, (SELECT count(*) FROM f)::int AS f`,
      [player, now],
    );
    const { turns, memories, cards } = res.rows[0]!;
    return { turns, memories, cards };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}

