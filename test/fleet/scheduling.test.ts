/**
 * Tier priority, reservation, fallback order and deadline rejection through real gateway and
 * worker processes. Workers pause before each sentence (fault injection) so turns hold their
 * slots long enough to saturate the fleet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndFrame, ErrorFrame } from '@parley/protocol';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { fleet, GATEWAY_ENV, isEnd, until } from './fleet-helpers.js';

let prio: Stack;
let chain: Stack;
const quiet = { PARLEY_LOG_LEVEL: 'warn' };

beforeAll(async () => {
  [prio, chain] = await Promise.all([
    // One worker, two slots; bronze holds half the slots in reserve; no aging inside the test's time.
    startStack({ workers: 1, gatewayEnv: { ...GATEWAY_ENV, PARLEY_TIER_SHARES: 'bronze=0.5', PARLEY_AGING_MS: '600000', PARLEY_PLAYER_RATE: '0.5', PARLEY_PLAYER_BURST: '2' }, workerEnv: { ...quiet, PARLEY_WORKER_SLOTS: '2', PARLEY_FAULT_SENTENCE_DELAY_MS: '250' } }),
    // One single-slot worker per tier; a turn holds its slot ≥ 1.5 s.
    startStack({
      workers: 4,
      gatewayEnv: { ...GATEWAY_ENV, PARLEY_QUEUE_TIMEOUT_MS: '1000', PARLEY_FALLBACK_AFTER_MS: '200' },
      workerEnv: (i) => ({ ...quiet, PARLEY_WORKER_SLOTS: '1', PARLEY_FAULT_SENTENCE_DELAY_MS: '1500', PARLEY_WORKER_TIERS: ['gold', 'silver', 'bronze', 'scripted'][i]! }),
    }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([prio?.stop(), chain?.stop()]);
});

/** Sends says in order (a few ms apart) and resolves with each turn's end and the time it was assigned to a worker. */
async function burst(c: RawClient, turns: Array<{ turn: string; tier: string }>) {
  const sentAt = new Map<string, number>();
  for (const t of turns) {
    sentAt.set(t.turn, performance.now());
    c.send({ t: 'say', turn: t.turn, npc: 'innkeeper', player: `p-${t.turn}`, text: 'Tell me about the town, please.', tier: t.tier });
    await new Promise((r) => setTimeout(r, 15));
  }
  const ends = await Promise.all(turns.map((t) => c.waitFor((f): f is EndFrame => isEnd(f) && f.turn === t.turn, 20_000)));
  return ends.map((e) => ({ end: e, assignedAt: sentAt.get(String(e.turn))! + (e.timings.queueMs ?? NaN) }));
}

describe('under saturation', () => {
  it('serves waiting gold turns before silver turns that arrived first', async () => {
    const c = await RawClient.connect(prio.wsUrl, prio.token);
    const r = await burst(c, [
      { turn: 'busy1', tier: 'gold' },
      { turn: 'busy2', tier: 'gold' },
      { turn: 's1', tier: 'silver' },
      { turn: 's2', tier: 'silver' },
      { turn: 'g1', tier: 'gold' },
    ]);
    const at = Object.fromEntries(r.map((x) => [x.end.turn, x.assignedAt]));
    for (const x of r) expect(x.end.reason).toBe('completed');
    expect(at.g1!).toBeLessThan(at.s1!);
    expect(at.s1!).toBeLessThan(at.s2!);
    c.close();
  });

  it('gives bronze its reserved share ahead of gold that waited longer', async () => {
    const c = await RawClient.connect(prio.wsUrl, prio.token);
    const r = await burst(c, [
      { turn: 'busy1', tier: 'gold' },
      { turn: 'busy2', tier: 'gold' },
      { turn: 'g1', tier: 'gold' },
      { turn: 'g2', tier: 'gold' },
      { turn: 'b1', tier: 'bronze' },
    ]);
    const at = Object.fromEntries(r.map((x) => [x.end.turn, x.assignedAt]));
    expect(at.b1!).toBeLessThan(at.g1!);
    expect(at.g1!).toBeLessThan(at.g2!);
    const f = await until(async () => {
      const s = await fleet(prio);
      return s.workers[0]!.inFlight === 0 ? s : null;
    });
    expect(f.tiers.gold!.running + f.tiers.bronze!.running).toBe(0);
    c.close();
  });
});

describe('rate limits', () => {
  it('answers a player over its rate with rate_limited and when to retry; other players go on', async () => {
    const c = await RawClient.connect(prio.wsUrl, prio.token);
    for (const turn of ['r1', 'r2', 'r3']) c.send({ t: 'say', turn, npc: 'guard', player: 'chatty', text: 'Hey!' });
    c.send({ t: 'say', turn: 'other', npc: 'guard', player: 'quiet', text: 'Hello.' });
    const ends = await Promise.all(['r1', 'r2', 'r3', 'other'].map((turn) => c.waitFor((f): f is EndFrame => isEnd(f) && f.turn === turn, 20_000)));
    expect(ends.map((e) => e.reason)).toEqual(['completed', 'completed', 'rejected', 'completed']);
    const err = c.frames.find((f): f is ErrorFrame => f.t === 'error' && f.turn === 'r3');
    expect(err).toMatchObject({ code: 'rate_limited', fatal: false });
    expect(err!.retryAfterMs).toBeGreaterThan(1000); // 0.5 turns/s: about 2 s until the next token
    expect(err!.retryAfterMs).toBeLessThanOrEqual(2000);
    c.close();
  });
});

describe('degradation and deadlines', () => {
  it('falls back gold → silver → bronze → scripted, then answers overloaded at the deadline', async () => {
    const c = await RawClient.connect(chain.wsUrl, chain.token);
    const turns = ['g0', 'g1', 'g2', 'g3', 'g4'];
    for (const turn of turns) c.send({ t: 'say', turn, npc: 'vampire-lord', player: `p-${turn}`, text: 'Good evening. Who are you?' });
    const ends = await Promise.all(turns.map((turn) => c.waitFor((f): f is EndFrame => isEnd(f) && f.turn === turn, 20_000)));
    expect(ends.map((e) => e.tier)).toEqual(['gold', 'silver', 'bronze', 'scripted', null]);
    expect(ends.map((e) => e.degraded)).toEqual([false, true, true, true, false]);
    expect(ends.slice(0, 4).every((e) => e.reason === 'completed' && e.text.length > 0)).toBe(true);
    const rejected = ends[4]!;
    expect(rejected.reason).toBe('rejected');
    expect(rejected.timings.totalMs).toBeGreaterThanOrEqual(990);
    const err = c.frames.find((f): f is ErrorFrame => f.t === 'error' && f.turn === 'g4');
    expect(err).toMatchObject({ code: 'overloaded', fatal: false });
    expect(err!.retryAfterMs).toBeGreaterThan(0);
    c.close();
  });
});
