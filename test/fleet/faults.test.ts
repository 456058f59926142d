/**
 * Worker faults through real processes: a crash or failure before the first text/audio frame
 * is retried once on another worker; a SIGKILL after it ends the turn with `error` + `end`;
 * a worker that stops heartbeating leaves the rotation and its turn moves. No client hangs
 * and the slot accounting returns to zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorFrame } from '@parley/protocol';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { fleet, GATEWAY_ENV, metric, say, until } from './fleet-helpers.js';

let crash: Stack;
let flaky: Stack;
const quiet = { PARLEY_LOG_LEVEL: 'error' };

beforeAll(async () => {
  [crash, flaky] = await Promise.all([
    startStack({
      workers: 2,
      gatewayEnv: { ...GATEWAY_ENV, ...quiet },
      workerEnv: (i) =>
        i === 0
          ? { ...quiet, PARLEY_WORKER_TIERS: 'gold', PARLEY_FAULT_CRASH_AFTER_FRAMES: '1' } // dies after its first frame (emotion)
          : { ...quiet, PARLEY_WORKER_TIERS: 'silver,bronze,scripted', PARLEY_FAULT_SENTENCE_DELAY_MS: '400' },
    }),
    startStack({
      workers: 3,
      gatewayEnv: { ...GATEWAY_ENV, ...quiet, PARLEY_WORKER_HEARTBEAT_MS: '300' },
      workerEnv: (i) =>
        [
          { ...quiet, PARLEY_WORKER_TIERS: 'gold', PARLEY_FAULT_FAIL_AFTER_FRAMES: '0', PARLEY_FAULT_EVERY: '2' }, // fails every other job at once
          { ...quiet, PARLEY_WORKER_TIERS: 'silver,scripted' },
          { ...quiet, PARLEY_WORKER_TIERS: 'bronze', PARLEY_FAULT_HANG_AFTER_FRAMES: '1' }, // goes silent after its first frame
        ][i]!,
    }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([crash?.stop(), flaky?.stop()]);
});

describe('a worker crash', () => {
  it('before the first text frame: the turn is retried on another worker and completes', async () => {
    const c = await RawClient.connect(crash.wsUrl, crash.token);
    const end = await say(c, 'g', 'vampire-lord', 'p1', { tier: 'gold' });
    expect(end).toMatchObject({ reason: 'completed', tier: 'silver', degraded: true });
    expect(end.text.length).toBeGreaterThan(0);
    expect(c.frames.some((f) => f.t === 'error')).toBe(false);
    expect(await metric(crash, 'parley_turn_retries_total', { reason: 'worker_lost' })).toBe(1);
    await until(async () => (await fleet(crash)).workers.length === 1, 5000, 'the crashed worker to leave');
    c.close();
  });

  it('after the first text frame (SIGKILL): error + end, no hang, slots back to zero', async () => {
    const c = await RawClient.connect(crash.wsUrl, crash.token);
    c.send({ t: 'say', turn: 'b', npc: 'zombie', player: 'p2', text: 'Tell me everything you remember, slowly.', tier: 'bronze' });
    await c.waitFor((f) => f.t === 'text' && f.turn === 'b');
    const killedAt = performance.now();
    await crash.killWorker(1, 'SIGKILL');
    const end = await c.waitFor((f) => f.t === 'end' && f.turn === 'b', 5000);
    expect(performance.now() - killedAt).toBeLessThan(5000);
    expect(end).toMatchObject({ reason: 'failed', tier: 'bronze' });
    expect(c.frames.find((f): f is ErrorFrame => f.t === 'error' && f.turn === 'b')).toMatchObject({ code: 'internal', fatal: false });
    const f = await fleet(crash);
    expect(f.workers).toHaveLength(0);
    for (const t of ['gold', 'silver', 'bronze']) expect(f.tiers[t]).toMatchObject({ running: 0, queued: 0, retrying: 0 });
    c.close();
  });
});

describe('worker failures and silence', () => {
  it('a job that fails before its first frame is retried once elsewhere; the next job runs where it was sent', async () => {
    const c = await RawClient.connect(flaky.wsUrl, flaky.token);
    const first = await say(c, 'f1', 'vampire-lord', 'p3', { tier: 'gold' });
    expect(first).toMatchObject({ reason: 'completed', tier: 'silver', degraded: true });
    const second = await say(c, 'f2', 'vampire-lord', 'p3', { tier: 'gold' });
    expect(second).toMatchObject({ reason: 'completed', tier: 'gold', degraded: false });
    expect(await metric(flaky, 'parley_turn_retries_total', { reason: 'worker_failed' })).toBe(1);
    c.close();
  });

  it('a worker that stops heartbeating is dropped and its turn moves to another worker', async () => {
    const c = await RawClient.connect(flaky.wsUrl, flaky.token);
    const end = await say(c, 'h1', 'zombie', 'p4', { tier: 'bronze' }, 10_000);
    // The bronze worker went silent after its first frame; after 3 missed heartbeats it is out.
    expect(end).toMatchObject({ reason: 'completed', tier: 'scripted', degraded: true });
    const f = await fleet(flaky);
    expect(f.workers.map((w) => w.tiers.join(',')).sort()).toEqual(['gold', 'silver,scripted']);
    expect(f.workers.every((w) => w.inFlight === 0)).toBe(true);
    c.close();
  });
});
