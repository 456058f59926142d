import { describe, expect, it } from 'vitest';
import { summarizeTurns } from './summarize.js';
import type { MemoryTurn } from './types.js';

const at = Date.UTC(2025, 4, 2, 20);
const turn = (i: number, playerText: string, npcText: string): MemoryTurn => ({ id: `t${i}`, at: at + i * 1000, playerText, npcText, status: 'completed' });
const pair = { npc: 'vampire-lord', player: 'p1' };

describe('extractive summaries', () => {
  const turns = [
    turn(1, 'Good evening. I seek the silver dagger.', 'Few mortals dare to ask for the dagger.'),
    turn(2, 'The silver dagger was stolen from my family.', 'Stolen, you say? The dagger sleeps in my crypt.'),
    turn(3, 'Then I will take the dagger back, or I will burn your crypt!', 'Threats bore me, mortal.'),
  ];

  it('names the topics, quotes the telling lines and dates the summary', () => {
    const s = summarizeTurns(turns, pair, 'Count Vlad')!;
    expect(s.text).toMatch(/^2025-05-02: 3 exchanges with the player about dagger/);
    expect(s.text).toContain('The player said "');
    expect(s.text).toContain('Count Vlad replied "');
    expect(s.sourceTurns).toEqual(['t1', 't2', 't3']);
  });

  it('rates heavy conversations as more important, and is deterministic', () => {
    const heavy = summarizeTurns(turns, pair, 'Count Vlad')!;
    const light = summarizeTurns([turn(1, 'Nice weather tonight.', 'Indeed.')], pair, 'Count Vlad')!;
    expect(heavy.importance).toBeGreaterThan(light.importance);
    expect(summarizeTurns(turns, pair, 'Count Vlad')).toEqual(heavy);
    expect(summarizeTurns(turns, { ...pair, player: 'p2' }, 'Count Vlad')!.id).not.toBe(heavy.id);
    expect(summarizeTurns([], pair, 'x')).toBeNull();
  });

  it('quotes at most ~140 characters', () => {
    const long = 'word '.repeat(100);
    const s = summarizeTurns([turn(1, `The dagger ${long}.`, 'Hm.')], pair, 'V')!;
    expect(s.text.length).toBeLessThan(260);
  });
});
