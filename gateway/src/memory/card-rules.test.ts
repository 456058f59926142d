import { describe, expect, it } from 'vitest';
import { applyCardRules, detectSignals, newCard } from './card-rules.js';

const at = Date.UTC(2025, 0, 1, 12);
const gap = 30 * 60_000;

describe('relationship-card rules', () => {
  it('detects signals from keywords, ignoring negated ones', () => {
    expect(detectSignals('Thank you, my lord, you are wise.')).toEqual(['kindness', 'compliment', 'respectful']);
    expect(detectSignals('Give me your gold or die, you fool!')).toEqual(['insult', 'threat']);
    expect(detectSignals('I will not kill you.')).toEqual([]);
    expect(detectSignals('I swear I never lied to you.')).toEqual(['honesty']);
    expect(detectSignals('WHERE IS THE SWORD')).toEqual(['shouting']);
    expect(detectSignals('shut up')).toEqual(['insult']);
  });

  it('starts a stranger at zero and counts the first conversation', () => {
    const r = applyCardRules({ card: null, playerText: 'Hello there.', status: 'completed', at, conversationGapMs: gap });
    expect(r.card).toMatchObject({ trust: 0, respect: 0, affinity: 0, conversations: 1, turns: 1, firstMetAt: at, lastMetAt: at });
    expect(r.card.familiarity).toBeGreaterThan(0);
    expect(r.delta.familiarity).toBe(r.card.familiarity);
    expect(r.signals).toContain('new_conversation');
  });

  it('is deterministic and moves meters in the documented directions', () => {
    const input = { card: newCard(at), playerText: 'Thank you, friend, you are very kind.', status: 'completed' as const, at, conversationGapMs: gap };
    const a = applyCardRules(input);
    expect(applyCardRules(input)).toEqual(a);
    expect(a.delta.trust).toBeGreaterThan(0);
    expect(a.delta.affinity).toBeGreaterThan(0);
    const b = applyCardRules({ ...input, playerText: 'I will kill you, you worthless coward.' });
    expect(b.delta.trust).toBeLessThan(0);
    expect(b.delta.affinity).toBeLessThan(0);
    expect(b.delta.respect).toBeLessThan(0);
  });

  it('saturates: no single turn maxes a meter, values stay in range', () => {
    let card = newCard(at);
    for (let i = 0; i < 500; i++) card = applyCardRules({ card, playerText: 'Thank you my lord, I promise, you are wise and kind.', status: 'completed', at: at + i, conversationGapMs: gap }).card;
    for (const k of ['trust', 'respect', 'affinity'] as const) {
      expect(card[k]).toBeLessThanOrEqual(1);
      expect(card[k]).toBeGreaterThan(0.9);
    }
    expect(card.familiarity).toBeLessThanOrEqual(1);
    const one = applyCardRules({ card: newCard(at), playerText: 'I will kill you, liar, fool', status: 'completed', at, conversationGapMs: gap }).card;
    expect(one.trust).toBeGreaterThan(-0.5);
  });

  it('a pause longer than the gap starts a new conversation; interruption costs respect', () => {
    const first = applyCardRules({ card: null, playerText: 'Hi', status: 'completed', at, conversationGapMs: gap }).card;
    const same = applyCardRules({ card: first, playerText: 'And?', status: 'cancelled', at: at + 60_000, conversationGapMs: gap });
    expect(same.card.conversations).toBe(1);
    expect(same.delta.respect).toBeLessThan(0);
    const later = applyCardRules({ card: same.card, playerText: 'Back again.', status: 'completed', at: at + 2 * gap, conversationGapMs: gap });
    expect(later.card.conversations).toBe(2);
    expect(later.card.firstMetAt).toBe(at);
  });

  it('pins important facts (newest first, at most five) and clamps proposed changes', () => {
    let card = newCard(at);
    for (let i = 0; i < 7; i++) card = applyCardRules({ card, playerText: 'x', status: 'completed', at, conversationGapMs: gap, pin: [`fact ${i}`] }).card;
    expect(card.pinned).toEqual(['fact 6', 'fact 5', 'fact 4', 'fact 3', 'fact 2']);
    const r = applyCardRules({ card: newCard(at), playerText: 'x', status: 'completed', at, conversationGapMs: gap, proposed: { trust: 5 } });
    expect(r.delta.trust).toBeCloseTo(0.2, 5);
  });
});
