/** Shared by the real-process fleet tests: admin snapshots, metric reads, polling. */
import type { EndFrame, ServerFrame } from '@parley/protocol';
import type { Stack } from '../../tools/src/start/stack.js';
import type { RawClient } from '../helpers/raw-client.js';

export interface FleetWorker { id: string; tiers: string[]; slots: number; inFlight: number; draining: boolean; health: string; jobsStarted: number; othersInFlight: number }
export interface Fleet { workers: FleetWorker[]; queues: Record<string, number>; tiers: Record<string, { running: number; queued: number; retrying: number }> }

export async function fleet(stack: Pick<Stack, 'url' | 'token'>): Promise<Fleet> {
  const r = await fetch(`${stack.url}/v1/admin/fleet`, { headers: { authorization: `Bearer ${stack.token}` } });
  if (!r.ok) throw new Error(`GET /v1/admin/fleet answered ${r.status}`);
  return (await r.json()) as Fleet;
}

/** One Prometheus sample, e.g. metric(stack, 'parley_turn_retries_total', { reason: 'worker_lost' }); 0 when absent. */
export async function metric(stack: Pick<Stack, 'url'>, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([\d.eE+-]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const l = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

export async function until<T>(f: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const x = await f();
    if (x) return x;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const isEnd = (f: ServerFrame): f is EndFrame => f.t === 'end';

/** Sends a say and resolves with its end frame. */
export async function say(c: RawClient, turn: string, npc: string, player: string, extra: object = {}, timeoutMs = 20_000): Promise<EndFrame> {
  c.send({ t: 'say', turn, npc, player, text: 'Hello there, who are you?', ...extra });
  return c.waitFor((f): f is EndFrame => isEnd(f) && f.turn === turn, timeoutMs);
}

/** Which worker took the next job: diff of jobsStarted around `f`. */
export async function workerOf(stack: Pick<Stack, 'url' | 'token'>, f: () => Promise<unknown>): Promise<string> {
  const before = new Map((await fleet(stack)).workers.map((w) => [w.id, w.jobsStarted]));
  await f();
  const after = (await fleet(stack)).workers;
  const moved = after.filter((w) => w.jobsStarted !== (before.get(w.id) ?? 0));
  if (moved.length !== 1) throw new Error(`expected one worker to take the turn, got ${moved.map((w) => w.id).join(',') || 'none'}`);
  return moved[0]!.id;
}

/** Fleet tests exercise scheduling, not memory: each gateway runs without the memory store (and its data folder). */
export const GATEWAY_ENV = { PARLEY_LOG_LEVEL: 'warn', PARLEY_MEMORY: 'off' };
