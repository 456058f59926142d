/**
 * Versioned archive schema migrations, run at gateway start. Safe to run twice and from several
 * gateways at once: each run takes a transaction-scoped advisory lock, skips versions already
 * recorded in `<schema>.migrations`, and applies the rest in order, each in the same transaction
 * as its record.
 *
 * Embeddings are stored as `real[]` everywhere, so the archive works on a PostgreSQL without
 * pgvector (such as the stock Debian/Ubuntu packages). Where the `vector` extension is available
 * (PGlite with pglite-pgvector, or a server with pgvector installed), migration 2 adds a
 * generated `embedding_vector` column so lifetime memories can be searched with `<=>` in SQL.
 * A migration may be skipped (not recorded) when its precondition is missing; it is retried at
 * the next start.
 */
import type { PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  /** Returns 'skipped' when a precondition is missing (not recorded; retried next start). */
  up(client: PoolClient, schema: string): Promise<void | 'skipped'>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'turns, memories, cards, forgotten',
    async up(c, s) {
      await c.query(`
        CREATE TABLE ${s}.turns (
          id text PRIMARY KEY,
          npc text NOT NULL,
          player text NOT NULL,
          at timestamptz NOT NULL,
          player_text text NOT NULL,
          npc_text text NOT NULL,
          status text NOT NULL CHECK (status IN ('completed', 'cancelled')),
          heard_ms real,
          tier text,
          archived_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX turns_player_npc_at ON ${s}.turns (player, npc, at DESC);
        CREATE TABLE ${s}.memories (
          id text PRIMARY KEY,
          npc text NOT NULL,
          player text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('summary', 'fact')),
          text text NOT NULL,
          importance smallint NOT NULL CHECK (importance BETWEEN 1 AND 10),
          at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          embedding real[] NOT NULL,
          source_turns text[] NOT NULL DEFAULT '{}',
          archived_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX memories_player_npc_at ON ${s}.memories (player, npc, at DESC);
        CREATE TABLE ${s}.cards (
          npc text NOT NULL,
          player text NOT NULL,
          trust real NOT NULL,
          respect real NOT NULL,
          familiarity real NOT NULL,
          affinity real NOT NULL,
          first_met_at timestamptz NOT NULL,
          last_met_at timestamptz NOT NULL,
          conversations integer NOT NULL,
          turns integer NOT NULL,
          pinned jsonb NOT NULL DEFAULT '[]',
          provisional boolean NOT NULL DEFAULT false,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (npc, player)
        );
        CREATE INDEX cards_player ON ${s}.cards (player);
        CREATE TABLE ${s}.forgotten (
          player_hash text PRIMARY KEY,
          forgotten_at timestamptz NOT NULL
        );`);
    },
  },
  {
    version: 2,
    name: 'pgvector column for lifetime similarity search',
    async up(c, s) {
      const available = await c.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
      if (available.rowCount === 0) return 'skipped';
      await c.query('SAVEPOINT vector_ext');
      try {
        await c.query('CREATE EXTENSION IF NOT EXISTS vector');
      } catch {
        await c.query('ROLLBACK TO SAVEPOINT vector_ext');
        return 'skipped'; // available but not installable by this role
      }
      await c.query(`ALTER TABLE ${s}.memories ADD COLUMN embedding_vector vector GENERATED ALWAYS AS (embedding::vector) STORED`);
    },
  },
];

export interface MigrationResult {
  applied: number[];
  skipped: number[];
  version: number;
}

/** Applies pending migrations on one connection (PGlite shares one session across connections). */
export async function migrate(client: PoolClient, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const applied: number[] = [];
  const skipped: number[] = [];
  await client.query('BEGIN');
  try {
    // One lock per schema: concurrent starts wait for each other instead of racing (even CREATE SCHEMA IF NOT EXISTS races).
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`parley-migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${schema}.migrations`)).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      if ((await m.up(client, schema)) === 'skipped') {
        skipped.push(m.version);
        continue;
      }
      await client.query(`INSERT INTO ${schema}.migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    const version = (await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${schema}.migrations`)).rows[0]?.v ?? 0;
    return { applied, skipped, version };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
