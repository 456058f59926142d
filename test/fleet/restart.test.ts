/**
 * Gateway restarts and shared workers through real processes: after a graceful restart or a
 * crash, workers re-register on their own and clients reconnect; a worker serving two
 * gateways shares its slots between them (each sees the other's load in heartbeats, and the
 * worker refuses a job as `busy` rather than oversubscribe).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { fleet, GATEWAY_ENV, metric, say, until } from './fleet-helpers.js';

let stack: Stack;
let g1: Stack;
let g2: Stack;
const quiet = { PARLEY_LOG_LEVEL: 'error' };
const SHARED_TOKEN = `dev-shared-${process.pid}`;

beforeAll(async () => {
  [stack, g1, g2] = await Promise.all([
    startStack({ workers: 2, gatewayEnv: GATEWAY_ENV, workerEnv: quiet }),
    // The two gateways accept the same worker key.
    startStack({ workers: 0, token: SHARED_TOKEN, gatewayEnv: { ...GATEWAY_ENV, PARLEY_WORKER_HEARTBEAT_MS: '250' } }),
    startStack({ workers: 0, token: SHARED_TOKEN, gatewayEnv: { ...GATEWAY_ENV, PARLEY_WORKER_HEARTBEAT_MS: '250' } }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stack?.stop(), g1?.stop(), g2?.stop()]);
});

/** Connects, retrying while the gateway is down (as a game client would, with backoff). */
async function reconnect(s: Stack, timeoutMs = 15_000): Promise<RawClient> {
  return until(() => RawClient.connect(s.wsUrl, s.token).catch(() => null), timeoutMs, 'the gateway to accept clients again');
}

describe('gateway restart', () => {
  it('graceful: clients are told, reconnect, and workers re-register', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    expect((await say(c, 'before', 'guard', 'p')).reason).toBe('completed');
    await stack.restartGateway();
    const closed = await c.waitClosed();
    expect(closed.code).toBe(1001);
    expect(c.frames.find((f) => f.t === 'error')).toMatchObject({ code: 'shutting_down', fatal: true });
    const again = await reconnect(stack);
    await stack.waitReady(2, 15_000);
    expect((await say(again, 'after', 'guard', 'p')).reason).toBe('completed');
    again.close();
  });

  it('crash: the same after SIGKILL', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    await stack.restartGateway({ signal: 'SIGKILL', downMs: 300 });
    await c.waitClosed();
    const again = await reconnect(stack);
    await stack.waitReady(2, 15_000);
    const ends = await Promise.all(['a', 'b', 'c'].map((t) => say(again, t, 'innkeeper', `p-${t}`)));
    for (const e of ends) expect(e.reason).toBe('completed');
    expect((await fleet(stack)).workers).toHaveLength(2);
    again.close();
  });
});

describe('two gateways, one worker', () => {
  it('both serve turns on the shared worker without oversubscribing it', async () => {
    await g1.addWorker({ ...quiet, PARLEY_GATEWAY_URLS: `ws://127.0.0.1:${g1.port}/v1/worker,ws://127.0.0.1:${g2.port}/v1/worker`, PARLEY_WORKER_SLOTS: '2', PARLEY_FAULT_SENTENCE_DELAY_MS: '200' });
    await Promise.all([g1.waitReady(1), g2.waitReady(1)]);
    const [c1, c2] = await Promise.all([RawClient.connect(g1.wsUrl, g1.token), RawClient.connect(g2.wsUrl, g2.token)]);
    const ends = await Promise.all([
      ...['x1', 'x2', 'x3'].map((t) => say(c1, t, 'oracle', `p-${t}`)),
      ...['y1', 'y2', 'y3'].map((t) => say(c2, t, 'oracle', `p-${t}`)),
    ]);
    for (const e of ends) expect(e.reason).toBe('completed');
    const [f1, f2] = await Promise.all([fleet(g1), fleet(g2)]);
    expect(f1.workers[0]!.jobsStarted + f2.workers[0]!.jobsStarted).toBeGreaterThanOrEqual(6);
    // Six turns at once on two slots: the worker turned the extra ones away as busy, and they were placed again.
    const refused = (await metric(g1, 'parley_turn_retries_total', { reason: 'refused' })) + (await metric(g2, 'parley_turn_retries_total', { reason: 'refused' }));
    expect(refused).toBeGreaterThan(0);
    c1.close();
    c2.close();
  });
});
