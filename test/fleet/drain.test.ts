/**
 * Worker drains through real processes: on SIGTERM and on an EC2 spot interruption notice
 * (read over IMDSv2 from a local fake metadata service), the worker announces `draining`,
 * receives no new turns, finishes the turn it is running, and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { startFakeImds, type FakeImds } from '../../gpu-worker/src/drain/testing/fake-imds.js';
import { RawClient } from '../helpers/raw-client.js';
import { fleet, GATEWAY_ENV, say, until } from './fleet-helpers.js';

let stack: Stack;
let imds: FakeImds;
const quiet = { PARLEY_LOG_LEVEL: 'warn' };

beforeAll(async () => {
  imds = await startFakeImds();
  stack = await startStack({
    workers: 3,
    gatewayEnv: GATEWAY_ENV,
    workerEnv: (i) =>
      [
        { ...quiet, PARLEY_WORKER_TIERS: 'gold', PARLEY_FAULT_SENTENCE_DELAY_MS: '300' },
        { ...quiet, PARLEY_WORKER_TIERS: 'silver,scripted' },
        { ...quiet, PARLEY_WORKER_TIERS: 'bronze', PARLEY_FAULT_SENTENCE_DELAY_MS: '300', PARLEY_SPOT_WATCH: 'on', PARLEY_IMDS_ENDPOINT: imds.url, PARLEY_SPOT_POLL_MS: '100' },
      ][i]!,
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await imds?.close();
});

const exitOf = (w: ChildProcess) => new Promise<number | null>((resolve) => (w.exitCode !== null ? resolve(w.exitCode) : w.once('exit', (code) => resolve(code))));

/** Starts a long turn, triggers the drain once it streams, routes more turns meanwhile; returns everything. */
async function drainDuring(tier: 'gold' | 'bronze', npc: string, workerIndex: number, trigger: () => void) {
  const c = await RawClient.connect(stack.wsUrl, stack.token);
  const workerId = (await fleet(stack)).workers.find((w) => w.tiers.includes(tier))!.id;
  const exited = exitOf(stack.workers[workerIndex]!);
  c.send({ t: 'say', turn: 'long', npc, player: 'p-long', text: 'Tell me the whole story of this place, every part of it.', tier });
  await c.waitFor((f) => f.t === 'text' && f.turn === 'long');
  trigger();
  const draining = await until(async () => (await fleet(stack)).workers.find((w) => w.id === workerId && w.draining), 5000, 'the worker to announce its drain');
  expect(draining.inFlight).toBe(1);
  const during = [];
  for (let i = 0; i < 3; i++) during.push(await say(c, `during-${i}`, npc, `p-${i}`, { tier }));
  const long = await c.waitFor((f) => f.t === 'end' && f.turn === 'long', 20_000);
  const code = await exited;
  await until(async () => !(await fleet(stack)).workers.some((w) => w.id === workerId), 5000, 'the drained worker to leave');
  c.close();
  return { long, during, code };
}

describe('drain', () => {
  it('on SIGTERM: finishes its turn, takes no new ones, exits 0', async () => {
    const r = await drainDuring('gold', 'vampire-lord', 0, () => stack.workers[0]!.kill('SIGTERM'));
    expect(r.long).toMatchObject({ reason: 'completed', tier: 'gold', degraded: false });
    // No gold worker takes turns while it drains: they degrade to silver instead of waiting or failing.
    for (const e of r.during) expect(e).toMatchObject({ reason: 'completed', tier: 'silver', degraded: true });
    expect(r.code).toBe(0);
  });

  it('on a spot interruption notice: the same, within the notice', async () => {
    const before = imds.stats.reads;
    const r = await drainDuring('bronze', 'zombie', 2, () => imds.interrupt('terminate', 120_000));
    expect(imds.stats.reads).toBeGreaterThan(before);
    expect(imds.stats.unauthorized).toBe(0); // every read carried an IMDSv2 token
    expect(r.long).toMatchObject({ reason: 'completed', tier: 'bronze' });
    for (const e of r.during) expect(e).toMatchObject({ reason: 'completed', tier: 'scripted', degraded: true });
    expect(r.code).toBe(0);
  });
});
