/**
 * PARLEY_MEMORY_SUMMARIZER=worker across real processes: when the hot window overflows, the
 * evicted turns are summarized by the worker's dialogue backend (here the scripted backend's
 * summarizer), fetched ahead of time so no reply waits for it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { http, say, until } from './memory-helpers.js';

let stack: Stack;
const player = `e2e-summary-${process.pid}`;

beforeAll(async () => {
  stack = await startStack({ workers: 1, gatewayEnv: { PARLEY_MEMORY_SUMMARIZER: 'worker', PARLEY_MEMORY_HOT_TURNS: '3', PARLEY_MEMORY_HOT_TURNS_MIN: '1' } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

it('turns leaving the hot window are summarized by the worker', async () => {
  const c = await RawClient.connect(stack.wsUrl, stack.token);
  const lines = ['Good evening, I am Bo.', 'Have you seen the silver dagger?', 'Tell me about the old road north.', 'Thank you, you are kind.'];
  for (const line of lines) {
    expect((await say(c, 'innkeeper', player, line)).end.reason).toBe('completed');
    await new Promise((r) => setTimeout(r, 300)); // room for the background summary
  }
  const body = await until(async () => {
    const r = await http(stack, 'GET', `/v1/memory/innkeeper/${player}`);
    return r.body.summaries?.length ? r.body : null;
  });
  // The hot window held 3 turns; the 4th evicted the oldest 3, keeping 1.
  expect(body.turns).toHaveLength(1);
  const summary = body.summaries[0] as { text: string; sourceTurns: string[] };
  expect(summary.sourceTurns).toHaveLength(3);
  // The scripted backend's summarizer (not the gateway's extractive "YYYY-MM-DD: …" form).
  expect(summary.text).toMatch(/^The player said: "Good evening, I am Bo\."/);
  expect(summary.text).toMatch(/Bess Hollowell answered: "/);
  c.close();
}, 60_000);
