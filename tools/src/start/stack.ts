/**
 * Starts a local Parley stack as real processes: one gateway and N workers connected to it
 * over loopback. Used by `npm start` and by the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

import { REPO_ROOT } from '../client/dev-config.js';

export { REPO_ROOT };

export interface StackOptions {
  workers?: number;
  /** Extra environment for the gateway. */
  gatewayEnv?: Record<string, string>;
  /** Extra environment for every worker (or per worker index). */
  workerEnv?: Record<string, string> | ((i: number) => Record<string, string>);
  port?: number;
  /** Where child stderr goes: inherited (npm start) or collected (tests). */
  stdio?: 'inherit' | 'pipe';
  token?: string;
}

export interface Stack {
  port: number;
  url: string;
  wsUrl: string;
  token: string;
  gateway: ChildProcess;
  workers: ChildProcess[];
  /** stderr lines from all children when stdio is 'pipe'. */
  logs: string[];
  addWorker(env?: Record<string, string>): Promise<ChildProcess>;
  waitReady(workers?: number, timeoutMs?: number): Promise<void>;
  /** Sends a signal to worker `i` (default SIGKILL) and resolves when it has exited. */
  killWorker(i: number, signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the gateway (SIGTERM, or SIGKILL for a crash), waits `downMs`, starts a new one on the same port. */
  restartGateway(opts?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

const TSX = ['--import', 'tsx'];

function spawnTs(entry: string, env: Record<string, string>, stdio: 'inherit' | 'pipe', logs: string[], tag: string): ChildProcess {
  const child = spawn(process.execPath, [...TSX, join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', stdio === 'inherit' ? 'inherit' : 'pipe'],
  });
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => logs.push(`[${tag}] ${l}`));
  return child;
}

/** Resolves with the first JSON line on the child's stdout that has the given event. */
function waitForEvent(child: ChildProcess, event: string, timeoutMs: number, logs: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}\n${logs.slice(-20).join('\n')}`)), timeoutMs);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.event === event) {
          clearTimeout(timer);
          resolve(msg);
        }
      } catch {
        /* not a JSON line */
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with code ${code} before ${event}\n${logs.slice(-20).join('\n')}`));
    });
  });
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const stdio = opts.stdio ?? 'pipe';
  const logs: string[] = [];
  // Tests and benchmarks (piped output) get a throwaway NPC-memory data folder: parallel stacks
  // must not share one, nor fill the developer's .parley/data.
  const tempDataDir = stdio === 'pipe' && !opts.gatewayEnv?.PARLEY_DATA_DIR ? mkdtempSync(join(tmpdir(), 'parley-data-')) : null;
  if (tempDataDir) opts = { ...opts, gatewayEnv: { ...opts.gatewayEnv, PARLEY_DATA_DIR: tempDataDir } };
  const removeTempDataDir = () => tempDataDir && rmSync(tempDataDir, { recursive: true, force: true });
  const token = opts.token ?? `dev-${randomBytes(12).toString('hex')}`;
  let gateway = spawnTs('gateway/src/main.ts', { PARLEY_PORT: String(opts.port ?? 0), PARLEY_DEV_TOKEN: token, ...opts.gatewayEnv }, stdio, logs, 'gateway');
  const listening = await waitForEvent(gateway, 'listening', 20_000, logs);
  const port = listening.port as number;
  const url = `http://127.0.0.1:${port}`;
  const workers: ChildProcess[] = [];
  let workerIndex = 0;

  const addWorker = async (env: Record<string, string> = {}) => {
    const i = workerIndex++;
    const extra = typeof opts.workerEnv === 'function' ? opts.workerEnv(i) : (opts.workerEnv ?? {});
    const w = spawnTs('gpu-worker/src/main.ts', { PARLEY_GATEWAY_URLS: `ws://127.0.0.1:${port}/v1/worker`, PARLEY_DEV_TOKEN: token, PARLEY_WORKER_ID: `worker-${i}-${process.pid}`, ...extra, ...env }, stdio, logs, `worker-${i}`);
    workers.push(w);
    await waitForEvent(w, 'started', 30_000, logs);
    return w;
  };

  const waitReady = async (n = 1, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${url}/readyz`);
        const body = (await r.json()) as { workers?: number };
        if ((r.ok || n === 0) && (body.workers ?? 0) >= n) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`gateway not ready with ${n} worker(s) after ${timeoutMs} ms\n${logs.slice(-20).join('\n')}`);
  };

  const stopChild = (c: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      const kill = setTimeout(() => c.kill('SIGKILL'), 5000);
      c.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      c.kill('SIGTERM');
    });

  try {
    for (let i = 0; i < (opts.workers ?? 1); i++) await addWorker();
    await waitReady(opts.workers ?? 1);
  } catch (err) {
    await Promise.all([gateway, ...workers].map(stopChild));
    removeTempDataDir();
    throw err;
  }

  const stack: Stack = {
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}/v1/ws`,
    token,
    gateway,
    workers,
    logs,
    addWorker,
    waitReady,
    killWorker: (i, signal = 'SIGKILL') =>
      new Promise((resolve, reject) => {
        const w = workers[i];
        if (!w) return reject(new Error(`no worker ${i}`));
        if (w.exitCode !== null || w.signalCode !== null) return resolve({ code: w.exitCode, signal: w.signalCode });
        w.once('exit', (code, sig) => resolve({ code, signal: sig }));
        w.kill(signal);
      }),
    restartGateway: async ({ signal = 'SIGTERM', downMs = 0 } = {}) => {
      await new Promise<void>((resolve) => {
        if (gateway.exitCode !== null || gateway.signalCode !== null) return resolve();
        gateway.once('exit', () => resolve());
        gateway.kill(signal);
      });
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      gateway = spawnTs('gateway/src/main.ts', { PARLEY_DEV_TOKEN: token, ...opts.gatewayEnv, PARLEY_PORT: String(port) }, stdio, logs, 'gateway');
      stack.gateway = gateway;
      await waitForEvent(gateway, 'listening', 20_000, logs);
    },
    stop: async () => {
      await Promise.all(workers.map(stopChild));
      await stopChild(gateway);
      removeTempDataDir();
    },
  };
  return stack;
}
