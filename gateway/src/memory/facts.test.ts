import { describe, expect, it } from 'vitest';
import { extractFacts } from './facts.js';

const pair = { npc: 'innkeeper', player: 'p1' };
const texts = (s: string) => extractFacts(s, pair, 'Marta').map((f) => f.text);

describe('fact extraction', () => {
  it('finds first-person facts and turns them to the third person', () => {
    expect(texts('Hello! My name is aldric the bold.')).toEqual(["The player's name is Aldric."]);
    expect(texts('I am a blacksmith from the north.')).toContain('The player is a blacksmith from the north.');
    expect(texts('I come from Riverwood, and I hate wolves.')).toEqual(expect.arrayContaining(['The player comes from Riverwood.', 'The player hates wolves.']));
    expect(texts('I promise to bring you my sword.')).toEqual(['The player promised to bring Marta their sword.']);
    expect(texts('They call me Aldric Stone')).toEqual(["The player's name is Aldric Stone."]);
    expect(texts('My sister is missing.')).toEqual(["The player's sister is missing."]);
    expect(texts('I am looking for the old mill.')).toEqual(['The player is looking for the old mill.']);
  });

  it('ranks by importance, caps at three, and gives a repeated fact the same id', () => {
    const facts = extractFacts('My name is Bo. I promise to pay you. I hate rats. I have a dog.', pair, 'Marta');
    expect(facts).toHaveLength(3);
    expect(facts[0]!.importance).toBeGreaterThanOrEqual(facts[1]!.importance);
    expect(facts[0]!.text).toBe("The player's name is Bo.");
    expect(extractFacts('my name is Bo', pair, 'Marta')[0]!.id).toBe(facts[0]!.id);
    expect(extractFacts('my name is Bo', { ...pair, player: 'p2' }, 'Marta')[0]!.id).not.toBe(facts[0]!.id);
  });

  it('ignores small talk', () => {
    expect(texts('What a lovely evening.')).toEqual([]);
    expect(texts('I am a bit tired.')).toEqual([]);
  });
});
