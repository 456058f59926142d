/**
 * Conversation affinity through real processes: every turn of an (npc, player) pair lands on
 * the same worker; when that worker dies, the conversation moves to one other worker and
 * stays there, while conversations homed elsewhere do not move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { fleet, GATEWAY_ENV, say, until, workerOf } from './fleet-helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 3, gatewayEnv: GATEWAY_ENV, workerEnv: { PARLEY_LOG_LEVEL: 'warn', PARLEY_WORKER_SLOTS: '4' } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('affinity', () => {
  it('keeps a conversation on its worker and re-homes it when the worker dies', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    let n = 0;
    const turnOn = (player: string) =>
      workerOf(stack, async () => {
        const end = await say(c, `t${n++}`, 'guard', player);
        expect(end.reason).toBe('completed');
      });
    const players = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay'];
    const home = new Map<string, string>();
    for (const p of players) {
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) seen.add(await turnOn(p));
      expect(seen.size).toBe(1);
      home.set(p, [...seen][0]!);
    }
    expect(new Set(home.values()).size).toBeGreaterThan(1); // conversations spread over workers

    // SIGKILL the worker of the first conversation.
    const victim = home.get('ann')!;
    await stack.killWorker(Number(/^worker-(\d+)-/.exec(victim)![1])); // stack ids are worker-<index>-<pid>
    await until(async () => (await fleet(stack)).workers.length === 2, 10_000, 'the dead worker to leave the fleet');

    const moved = new Set<string>();
    for (let i = 0; i < 3; i++) moved.add(await turnOn('ann'));
    expect(moved.size).toBe(1);
    expect(moved.has(victim)).toBe(false);
    for (const p of players.slice(1)) {
      if (home.get(p) === victim) continue;
      expect(await turnOn(p)).toBe(home.get(p));
    }
    c.close();
  });
});
