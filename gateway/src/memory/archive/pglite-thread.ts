/**
 * Worker-thread entry: runs embedded PostgreSQL (PGlite, with pgvector) on a data folder and
 * serves it on the Postgres wire protocol (pglite-socket) on 127.0.0.1, so the gateway talks to
 * it with the same `pg` client as to a server. In a thread because PGlite executes queries as
 * WASM on the thread that owns it: on the gateway's I/O thread an archive batch would stall replies.
 *
 * Messages: parent → {t:'stop'}; thread → {t:'ready', port} | {t:'error', message} | {t:'stopped'}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PgliteThreadData {
  dataDir: string;
  maxConnections: number;
}

const { dataDir, maxConnections } = workerData as PgliteThreadData;
const port = parentPort!;

try {
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
