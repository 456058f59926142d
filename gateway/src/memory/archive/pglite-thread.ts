/**
 * Worker-thread entry: runs embedded PostgreSQL (PGlite, with pgvector) on a data folder and
 * serves it on the Postgres wire protocol (pglite-socket) on 127.0.0.1, so the gateway talks to
 * it with the same `pg` client as to a server. In a thread because PGlite executes queries as
 * WASM on the thread that owns it: on the gateway's I/O thread an archive batch would stall replies.
 *
 * Messages: parent → {t:'stop'}; thread → {t:'ready', port} | {t:'error', message} | {t:'stopped'}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { constants, cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PgliteThreadData {
  dataDir: string;
  maxConnections: number;
  /** A freshly initialised database kept to copy from: initdb costs 3–15 s of CPU, a copy + open ~1 s. */
  templateDir: string | null;
}

const { dataDir, maxConnections, templateDir } = workerData as PgliteThreadData;
const port = parentPort!;

/** A new data folder starts as a copy of the template (made once, by whoever needs it first). */
async function seedFromTemplate(): Promise<void> {
  if (!templateDir || existsSync(dataDir)) return;
  if (!existsSync(templateDir)) {
    const building = `${templateDir}.${process.pid}.${Date.now()}`;
    const t = await PGlite.create({ dataDir: building, extensions: { vector } });
    await t.exec('CREATE EXTENSION IF NOT EXISTS vector');
    await t.close();
    try {
      renameSync(building, templateDir);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process made it first
    }
  }
  // Copy-on-write clones where the filesystem supports them (btrfs, XFS, APFS); a plain copy elsewhere.
  cpSync(templateDir, dataDir, { recursive: true, mode: constants.COPYFILE_FICLONE });
}

try {
  await seedFromTemplate();
  const db = await PGlite.create({ dataDir, extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const conn = server.getServerConn();
  port.postMessage({ t: 'ready', port: Number(conn.slice(conn.lastIndexOf(':') + 1)) });
  port.on('message', (msg: { t: string }) => {
    if (msg.t !== 'stop') return;
    void (async () => {
      await server.stop().catch(() => {});
      await db.close().catch(() => {});
      port.postMessage({ t: 'stopped' });
    })();
  });
} catch (err) {
  port.postMessage({ t: 'error', message: err instanceof Error ? err.message : String(err) });
}
