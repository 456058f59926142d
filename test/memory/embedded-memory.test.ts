/**
 * NPC memory with the embedded default (in-process store + journal + PGlite in a data folder),
 * across real gateway and worker processes: the relationship frame, barge-in memory, a gateway
 * crash (SIGKILL) and restart that a second session reads back from, and forgetting a player.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { http, say, until } from './memory-helpers.js';

let stack: Stack;
const player = `e2e-mem-${process.pid}`;

beforeAll(async () => {
  // A short pause before each sentence makes a reply long enough to interrupt.
  stack = await startStack({ workers: 1, workerEnv: { PARLEY_FAULT_SENTENCE_DELAY_MS: '150' } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('memory with the embedded default', () => {
  it('sends the relationship change before the end, and the NPC keeps the conversation', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const first = await say(c, 'innkeeper', player, 'Good evening! My name is Bo. Thank you for the warm welcome.');
    expect(first.end).toMatchObject({ reason: 'completed', degraded: false });
    expect(first.relationship).toMatchObject({ npc: 'innkeeper', player, conversations: 1 });
    expect(first.relationship!.card.familiarity).toBeGreaterThan(0);
    expect(first.relationship!.delta.affinity).toBeGreaterThan(0);
    expect(first.frames.indexOf(first.relationship!)).toBe(first.frames.length - 2); // right before end

    const second = await say(c, 'innkeeper', player, 'You are a liar and a fool!');
    expect(second.relationship!.delta.affinity).toBeLessThan(0);
    expect(second.relationship!.card.familiarity).toBeGreaterThan(first.relationship!.card.familiarity);

    const { status, body } = await http(stack, 'GET', `/v1/memory/innkeeper/${player}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'hot', card: { turns: 2, conversations: 1, pinned: ["The player's name is Bo."] } });
    expect(body.turns.map((t: { playerText: string }) => t.playerText)).toEqual(['Good evening! My name is Bo. Thank you for the warm welcome.', 'You are a liar and a fool!']);
    expect(body.turns[0].npcText).toBe(first.end.text);
    c.close();
  });

  it('a barge-in keeps only the part of the reply the player heard', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    c.send({ t: 'say', turn: 'cut', npc: 'oracle', player, text: 'Tell me everything about the prophecy, the stars, the old kings and the coming winter.' });
    await c.waitFor((f) => f.t === 'audio' && f.turn === 'cut');
    // Replies vary per session: a first spoken chunk as short as "Ah, " would be heard whole in
    // 300 ms, leaving nothing unheard to drop, so wait until a few words have streamed.
    const streamedSoFar = () => c.framesOf('cut').filter((f) => f.t === 'text').map((f) => (f as { delta: string }).delta).join('');
    await c.waitFor(() => streamedSoFar().length >= 20);
    // And until well over 300 ms of audio has arrived: the heard point must fall inside audio that
    // was sent, not at its end (where all of a sentence whose audio is still streaming counts as heard).
    const audioSoFar = () => c.framesOf('cut').reduce((ms, f) => ms + (f.t === 'audio' ? (f as { durationMs: number }).durationMs : 0), 0);
    await c.waitFor(() => audioSoFar() >= 1000);
    c.send({ t: 'cancel', turn: 'cut', heardMs: 300 });
    const end = await c.waitFor((f) => f.t === 'end' && f.turn === 'cut');
    expect(end).toMatchObject({ reason: 'cancelled' });
    const { body } = await http(stack, 'GET', `/v1/memory/oracle/${player}`);
    const last = body.turns.at(-1);
    expect(last.status).toBe('cancelled');
    const streamed = c.framesOf('cut').filter((f) => f.t === 'text').map((f) => (f as { delta: string }).delta).join('');
    expect(streamed.startsWith(last.npcText)).toBe(true);
    expect(last.npcText.length).toBeLessThan(streamed.length); // 300 ms is a few words, not the whole reply
    c.close();
  });

  it('after a gateway crash and restart, a second session reads back what the first said', async () => {
    await stack.restartGateway({ signal: 'SIGKILL' });
    await stack.waitReady(1, 30_000);
    const { body } = await until(async () => {
      const r = await http(stack, 'GET', `/v1/memory/innkeeper/${player}`);
      return r.body.card?.turns === 2 ? r : null;
    }, 20_000, 'the archived memory');
    expect(body.source).toBe('archive');
    expect(body.turns.map((t: { playerText: string }) => t.playerText)).toContain('Good evening! My name is Bo. Thank you for the warm welcome.');

    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const next = await say(c, 'innkeeper', player, 'Do you remember me?');
    expect(next.end.degraded).toBe(false);
    expect(next.relationship).toMatchObject({ conversations: 1 }); // the same conversation, not a first meeting
    expect((await http(stack, 'GET', `/v1/memory/innkeeper/${player}`)).body.card.turns).toBe(3);
    c.close();
  });

  it('forgets the player everywhere', async () => {
    const { status, body } = await http(stack, 'DELETE', `/v1/players/${player}`);
    expect(status).toBe(200);
    expect(body.deleted.hot.pairs).toBeGreaterThanOrEqual(1);
    expect(body.deleted.archive.turns).toBeGreaterThanOrEqual(2);
    expect((await http(stack, 'GET', `/v1/memory/innkeeper/${player}`)).body).toMatchObject({ source: 'none', card: null, turns: [] });
  });
});
