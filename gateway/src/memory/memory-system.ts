/**
 * Builds NPC memory from configuration and owns its life cycle:
 *
 *   PARLEY_REDIS_URL set     → RedisStore (hot + 30-day window in Redis, archive queue = Redis Stream)
 *   unset (embedded default) → EmbeddedStore (in process) + JournalQueue in PARLEY_DATA_DIR
 *   PARLEY_DATABASE_URL set  → archive in that PostgreSQL
 *   unset (embedded default) → archive in PGlite (+ pgvector) in PARLEY_DATA_DIR/pg, in a thread
 *
 * start() takes the data-folder lock (when a local folder is used), connects the store, and
 * brings the archive up (migrations, then the archiver) — waiting at most `archiveWaitMs` for it,
 * so a database outage delays start-up a little but never stops the gateway: the archiver keeps
 * retrying in the background and the queue holds the backlog.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { ArchiveDb } from './archive/archive-db.js';
import { Archiver } from './archive/archiver.js';
import { lockDataDir, startPglite, type PgliteHost } from './archive/pglite-host.js';
import type { Embedder } from './embedding/embedder.js';
import { HashEmbedder } from './embedding/hash-embedder.js';
import type { MemoryConfig } from './memory-config.js';
import { createMemoryMetrics } from './memory-metrics.js';
import { MemoryService, type ArchiveReader } from './memory-service.js';
import { EmbeddedStore } from './store/embedded-store.js';
import { JournalQueue } from './store/journal-queue.js';
import type { MemoryStore } from './store/memory-store.js';
import { RedisStore } from './store/redis-store.js';
import { ModelSummaries, type Summarizer } from './model-summaries.js';

export interface MemorySystemOptions {
  /** This gateway's name (archive consumer name in Redis). */
  gatewayId: string;
  log?: Logger;
  registry?: Registry;
  /** How long start() waits for the archive (default 10 s); it keeps coming up in the background after. */
  archiveWaitMs?: number;
  /** Archiver poll interval when idle (default 1000 ms). */
  archiveBlockMs?: number;
  /** Asks a worker's dialogue model for a summary (used when PARLEY_MEMORY_SUMMARIZER=worker). */
  summarizer?: Summarizer;
}

export interface MemoryStatus {
  store: { kind: 'redis' | 'embedded'; up: boolean };
  archive: { kind: 'postgres' | 'pglite'; state: 'starting' | 'up' | 'failing'; backlog: number | null; records: number; failures: number; lastError: string | null };
  embedder: string;
}

export async function createEmbedder(cfg: MemoryConfig['embedder']): Promise<Embedder> {
  if (cfg.kind === 'hash') return new HashEmbedder(cfg.dimensions);
  const { OnnxEmbedder } = await import('./embedding/onnx-embedder.js');
  return OnnxEmbedder.load(cfg.folder);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stands in for an embedded archive that is still being created: a brand-new archive knows nobody. */
const EMPTY_ARCHIVE: ArchiveReader = {
  readPair: async () => null,
  forgetPlayer: async () => {
    throw new Error('the archive is still starting');
  },
};

export class MemorySystem {
  store!: MemoryStore;
  service!: MemoryService;
  embedder!: Embedder;
  archiveDb: ArchiveDb | null = null;
  archiver: Archiver | null = null;
  private pglite: PgliteHost | null = null;
  private releaseLock: (() => void) | null = null;
  private archiveUp: Promise<void> | null = null;
  private stopping = false;
  /** The embedded archive is being created from nothing: until it is up, cold reads answer "never met". */
  private archiveIsNew = false;

  constructor(
    readonly config: MemoryConfig,
    private readonly opts: MemorySystemOptions,
  ) {}

  private get usesDataDir(): boolean {
    return !this.config.redisUrl || !this.config.databaseUrl;
  }

  async start(): Promise<void> {
    const cfg = this.config;
    const log = this.opts.log;
    if (this.usesDataDir) this.releaseLock = lockDataDir(cfg.dataDir);
    this.archiveIsNew = !cfg.databaseUrl && !existsSync(join(cfg.dataDir, 'pg'));
    try {
      this.embedder = await createEmbedder(cfg.embedder);
      this.store = cfg.redisUrl
        ? new RedisStore({ url: cfg.redisUrl, prefix: cfg.redisPrefix, consumer: this.opts.gatewayId, claimIdleMs: cfg.claimIdleMs, commandTimeoutMs: Math.max(cfg.timeoutMs, 50) })
        : new EmbeddedStore(new JournalQueue(cfg.dataDir), cfg.maxPairs);
    } catch (err) {
      this.releaseLock?.();
      throw err;
    }
    // Records in the journal but no database yet (a crash during the very first start): not new after all.
    if (this.archiveIsNew && (await this.store.queue.backlog()) > 0) this.archiveIsNew = false;
    const metrics = this.opts.registry ? createMemoryMetrics(this.opts.registry, () => this.store.queue.backlog()) : undefined;
    this.service = new MemoryService({
      store: this.store,
      embedder: this.embedder,
      config: cfg,
      ...(log ? { log } : {}),
      ...(metrics ? { metrics } : {}),
      ...(cfg.summarizer === 'worker' && this.opts.summarizer
        ? { modelSummaries: new ModelSummaries(this.opts.summarizer, (err) => log?.debug({ err: err instanceof Error ? err.message : String(err) }, 'model summary failed; the extractive summary stays')) }
        : {}),
      archive: () => {
        const db = this.archiveDb;
        const a = this.archiver;
        if (!db || !a) return this.archiveIsNew ? { reader: EMPTY_ARCHIVE, fresh: true } : null;
        return { reader: db, fresh: a.stats.caughtUp && !a.stats.failing && !a.stats.behind };
      },
    });
    if (!(await this.store.ready(2000))) log?.warn({ store: this.store.kind }, 'memory store is not reachable yet; turns run without memory (degraded) until it is');
    this.archiveUp = this.bringUpArchive(metrics);
    // A new embedded archive has no past to restore: no reason to hold up the first turns for it.
    const waitMs = this.archiveIsNew ? 0 : (this.opts.archiveWaitMs ?? 10_000);
    const up = await Promise.race([this.archiveUp.then(() => true), sleep(waitMs).then(() => false)]);
    if (up && this.archiver) await this.archiver.waitCaughtUp(Math.max(0, waitMs / 2));
    else if (!up && !this.archiveIsNew) log?.warn({ waitMs }, 'memory archive is not up yet; starting anyway (records wait in the queue)');
    log?.info({ store: this.store.kind, archive: cfg.databaseUrl ? 'postgres' : 'pglite', embedder: this.embedder.id, dataDir: this.usesDataDir ? cfg.dataDir : undefined }, 'memory ready');
  }

  private async bringUpArchive(metrics: ReturnType<typeof createMemoryMetrics> | undefined): Promise<void> {
    const cfg = this.config;
    const log = this.opts.log;
    let url = cfg.databaseUrl;
    if (!url) {
      const t0 = performance.now();
      this.pglite = await startPglite(cfg.dataDir, { lock: false });
      log?.info({ ms: Math.round(performance.now() - t0), dataDir: cfg.dataDir }, 'embedded archive database started');
      url = this.pglite.url;
    }
    const db = new ArchiveDb({ connectionString: url, schema: cfg.databaseSchema, max: 2 });
    let backoff = 250;
    while (!this.stopping) {
      try {
        const m = await db.migrate();
        if (m.applied.length) log?.info({ applied: m.applied, skipped: m.skipped, version: m.version }, 'archive schema migrated');
        break;
      } catch (err) {
        log?.warn({ err: err instanceof Error ? err.message : String(err), retryMs: backoff }, 'archive database unavailable; retrying');
        await sleep(backoff);
        backoff = Math.min(5000, backoff * 2);
      }
    }
    if (this.stopping) return void (await db.close());
    this.archiveDb = db;
    this.archiver = new Archiver({
      queue: this.store.queue,
      db,
      batchSize: cfg.archiveBatch,
      blockMs: this.opts.archiveBlockMs ?? 1000,
      ...(log ? { log } : {}),
      ...(metrics ? { onBatch: (n: number) => metrics.archived.inc(n), onFailure: () => metrics.archiveFailures.inc() } : {}),
    });
    this.archiver.start();
  }

  async status(): Promise<MemoryStatus> {
    const a = this.archiver;
    const store = this.store;
    const up = store instanceof RedisStore ? store.redis.status === 'ready' : true;
    return {
      store: { kind: store.kind, up },
      archive: {
        kind: this.config.databaseUrl ? 'postgres' : 'pglite',
        state: !a ? 'starting' : a.stats.failing ? 'failing' : 'up',
        backlog: await store.queue.backlog().catch(() => null),
        records: a?.stats.records ?? 0,
        failures: a?.stats.failures ?? 0,
        lastError: a?.stats.lastError ?? null,
      },
      embedder: this.embedder.id,
    };
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const archiverDone = this.archiver?.close();
    // Closing the store closes the queue's connection, which ends a blocking take() at once.
    await this.store?.close().catch(() => {});
    await archiverDone;
    await this.archiveUp?.catch(() => {});
    await this.archiver?.close(); // in case it started while we were stopping
    await this.archiveDb?.close();
    await this.pglite?.stop();
    await this.embedder?.close().catch(() => {});
    this.releaseLock?.();
    this.releaseLock = null;
  }
}
