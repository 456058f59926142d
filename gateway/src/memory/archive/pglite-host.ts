/**
 * Starts the embedded archive database (pglite-thread.ts) for the embedded default and hands
 * back a `postgres://` URL for it. The data folder is locked to this process (a pid file):
 * PGlite must never be opened by two processes at once, so a second gateway on the same folder
 * is refused with a message naming the other process.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PgliteThreadData } from './pglite-thread.js';

export interface PgliteHost {
  url: string;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Folders locked by this process (a pid file alone cannot tell two users in one process apart). */
const heldHere = new Set<string>();

/**
 * Takes the data folder's lock; returns its release. A lock left by a dead process — or by an
 * earlier run that had this same pid, as PID 1 in a container does — is taken over.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'parley.lock');
  if (heldHere.has(path)) throw new DataDirLockedError(`the data folder ${dir} is already in use in this process`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new DataDirLockedError(`the data folder ${dir} is in use by process ${pid}; give each gateway its own PARLEY_DATA_DIR, or share memory through PARLEY_REDIS_URL and PARLEY_DATABASE_URL`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(`cannot lock the data folder ${dir}`);
}

/** Same approach as the speech threads: a TypeScript entry needs tsx's loader registered inside the thread. */
function threadEntry(): { entry: string | URL; eval: boolean } {
  const isTs = /\.[cm]?ts$/.test(new URL(import.meta.url).pathname);
  const url = new URL(`./pglite-thread${isTs ? '.ts' : '.js'}`, import.meta.url);
  if (!isTs) return { entry: url, eval: false };
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return { entry: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, eval: true };
}

/** Opens (creating on first use, ~3 s) the PGlite database in `<dataDir>/pg`; reopening takes ~0.5 s. */
/** Per PGlite version, in the system's temporary folder (recreated if it is cleared). */
function defaultTemplateDir(): string {
  // The package does not export its package.json: read it beside the resolved entry (dist/…).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const version = (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  return join(tmpdir(), `parley-pglite-template-${version}`);
}

export interface StartPgliteOptions {
  maxConnections?: number;
  startTimeoutMs?: number;
  /** false when the caller holds the folder's lock already. */
  lock?: boolean;
  /** Where the freshly initialised template lives (null: no template, always initdb). */
  templateDir?: string | null;
}

export async function startPglite(dataDir: string, opts: StartPgliteOptions = {}): Promise<PgliteHost> {
  const release = opts.lock === false ? () => {} : lockDataDir(dataDir);
  const { entry, eval: isEval } = threadEntry();
  const workerData: PgliteThreadData = { dataDir: join(dataDir, 'pg'), maxConnections: opts.maxConnections ?? 8, templateDir: opts.templateDir === undefined ? defaultTemplateDir() : opts.templateDir };
  const worker = new Worker(entry, { workerData, eval: isEval });
  worker.unref();
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`embedded PostgreSQL did not start within ${opts.startTimeoutMs ?? 60_000} ms`)), opts.startTimeoutMs ?? 60_000);
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      worker.on('message', (m: { t: string; port?: number; message?: string }) => {
        if (m.t === 'ready') {
          clearTimeout(timer);
          resolve(m.port!);
        } else if (m.t === 'error') {
          clearTimeout(timer);
          reject(new Error(`embedded PostgreSQL: ${m.message}`));
        }
      });
    });
    let stopped: Promise<void> | null = null;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () =>
        (stopped ??= new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            void worker.terminate().finally(() => {
              release();
              resolve();
            });
          };
          const timer = setTimeout(done, 5000);
          worker.on('message', (m: { t: string }) => m.t === 'stopped' && done());
          worker.once('exit', done);
          worker.postMessage({ t: 'stop' });
        })),
    };
  } catch (err) {
    await worker.terminate().catch(() => {});
    release();
    throw err;
  }
}
