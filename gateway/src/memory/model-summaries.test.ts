import { describe, expect, it } from 'vitest';
import { ModelSummaries, type Summarizer } from './model-summaries.js';
import type { MemoryTurn } from './types.js';

const pair = { npc: 'innkeeper', player: 'bo' };
const turn = (id: string): MemoryTurn => ({ id, at: 0, playerText: `player ${id}`, npcText: `npc ${id}`, status: 'completed' });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ModelSummaries', () => {
  it('hands out the model summary of exactly the turns it was asked about, once', async () => {
    const asked: Parameters<Summarizer>[0][] = [];
    const s = new ModelSummaries(async (req) => {
      asked.push(req);
      return `  A summary of ${req.turns.length} lines.\n`;
    });
    s.prefetch(pair, 'Bess', [turn('a'), turn('b')]);
    s.prefetch(pair, 'Bess', [turn('a'), turn('b')]); // the same request is not sent twice
    await tick();
    expect(asked).toHaveLength(1);
    expect(asked[0]!.turns).toEqual([
      { role: 'player', text: 'player a' },
      { role: 'npc', text: 'npc a' },
      { role: 'player', text: 'player b' },
      { role: 'npc', text: 'npc b' },
    ]);
    expect(s.take(pair, [turn('a')])).toBeNull(); // other turns: not this summary
    expect(s.take(pair, [turn('a'), turn('b')])).toBe('A summary of 4 lines.');
    expect(s.take(pair, [turn('a'), turn('b')])).toBeNull();
    expect(s.stats).toMatchObject({ requested: 1, used: 1, failed: 0 });
  });

  it('never waits: a summary still in flight is not used', () => {
    const s = new ModelSummaries(() => new Promise(() => {}));
    s.prefetch(pair, 'Bess', [turn('a')]);
    expect(s.take(pair, [turn('a')])).toBeNull();
  });

  it('a failed summary is reported and forgotten', async () => {
    const errors: unknown[] = [];
    const s = new ModelSummaries(() => Promise.reject(new Error('no worker')), (e) => errors.push(e));
    s.prefetch(pair, 'Bess', [turn('a')]);
    await tick();
    expect(s.take(pair, [turn('a')])).toBeNull();
    expect(errors).toHaveLength(1);
    expect(s.stats.failed).toBe(1);
  });
});
