import { describe, expect, it } from 'vitest';
import type { DialogueRequest } from './backend.js';
import { buildReplyMessages, buildSummaryMessages } from './prompt.js';
import { DEFAULT_SAMPLING, parseSamplingTable, samplingFor } from './sampling.js';

const NOW = Date.UTC(2026, 0, 10);
const DAY = 86_400_000;
const base: DialogueRequest = {
  npc: { id: 'vampire-lord', name: 'Count Varek', archetype: 'vampire-lord', persona: 'An ancient, courteous vampire who hates garlic.', voice: 'male-deep', traits: ['stoic', 'proud'] },
  player: 'p1',
  text: 'What do you want from me?',
  tier: 'gold',
  seed: 1,
};

describe('prompt assembly', () => {
  it('puts persona, traits, tier guidance and the emotion convention in the system message', () => {
    const [system, user] = buildReplyMessages(base, { now: NOW });
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('You are Count Varek, a vampire lord');
    expect(system!.content).toContain('hates garlic');
    expect(system!.content).toContain('stoic, proud');
    expect(system!.content).toContain('one to four sentences');
    expect(system!.content).toContain('[emotion:LABEL INTENSITY]');
    expect(system!.content).not.toContain('remember'); // no memory context: nothing claimed
    expect(user).toEqual({ role: 'user', content: 'What do you want from me?' });
  });

  it('uses the memory context: card, pinned facts, memories and hot turns', () => {
    const req: DialogueRequest = {
      ...base,
      context: {
        card: { trust: -0.6, respect: 0.3, familiarity: 0.7, affinity: 0, conversations: 4, turns: 30, firstMetAt: NOW - 10 * DAY, lastMetAt: NOW - 2 * DAY, pinned: ['The player is called Ana.'] },
        memories: [{ kind: 'summary', text: 'Ana promised to bring a silver goblet.', importance: 7, at: NOW - 3 * DAY }],
        turns: [
          { role: 'npc', text: 'You again.', at: NOW - 60_000 },
          { role: 'player', text: 'Good evening.', at: NOW - 50_000 },
          { role: 'npc', text: 'Is it?', at: NOW - 40_000 },
          { role: 'player', text: 'What do you want from me?', at: NOW },
        ],
      },
    };
    const msgs = buildReplyMessages(req, { now: NOW });
    const system = msgs[0]!.content;
    expect(system).toContain('4 times before');
    expect(system).toContain('first met 10 days ago');
    expect(system).toContain('you distrust them');
    expect(system).toContain('you think well of them');
    expect(system).toContain('you know them well');
    expect(system).toContain('- The player is called Ana.');
    expect(system).toContain('(3 days ago) Ana promised to bring a silver goblet.');
    // A leading NPC line is dropped (templates want the player first); the current line is not doubled.
    expect(msgs.slice(1)).toEqual([
      { role: 'user', content: 'Good evening.' },
      { role: 'assistant', content: 'Is it?' },
      { role: 'user', content: 'What do you want from me?' },
    ]);
  });

  it('says when the NPC has never met the player', () => {
    const msgs = buildReplyMessages({ ...base, context: { card: null, memories: [], turns: [] } }, { now: NOW });
    expect(msgs[0]!.content).toContain('never met this player');
  });

  it('keeps only the most recent history turns', () => {
    const history = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? ('npc' as const) : ('player' as const), text: `line ${i}` }));
    const msgs = buildReplyMessages({ ...base, history }, { maxHistoryTurns: 6, now: NOW });
    expect(msgs.map((m) => m.content).slice(1)).toEqual(['line 34', 'line 35', 'line 36', 'line 37', 'line 38', 'line 39', 'What do you want from me?']);
  });

  it('builds a summary prompt from a transcript', () => {
    const [sys, user] = buildSummaryMessages({ npc: base.npc, turns: [{ role: 'player', text: 'I am Ana.' }, { role: 'npc', text: 'Welcome, Ana.' }] });
    expect(sys!.content).toContain("Count Varek's point of view");
    expect(user!.content).toBe('Conversation:\nPlayer: I am Ana.\nCount Varek: Welcome, Ana.');
  });
});

describe('sampling per tier and archetype', () => {
  it('resolves tier settings, then archetype overrides (exact or by prefix)', () => {
    const t = parseSamplingTable('{"bronze":{"maxTokens":30},"archetypes":{"zombie":{"temperature":1.2,"maxTokens":12},"vampire":{"topP":0.8}}}');
    expect(samplingFor(t, 'bronze', 'guard', 5)).toMatchObject({ maxTokens: 30, temperature: 0.7, seed: 5 });
    expect(samplingFor(t, 'bronze', 'zombie', 5)).toMatchObject({ maxTokens: 12, temperature: 1.2 });
    expect(samplingFor(t, 'gold', 'vampire-lord', 5)).toMatchObject({ maxTokens: DEFAULT_SAMPLING.tiers.gold.maxTokens, topP: 0.8 });
  });

  it('names the bad field', () => {
    expect(() => parseSamplingTable('{"gold":{"temperature":5}}')).toThrow(/^gold\.temperature: /);
    expect(() => parseSamplingTable('{"gold":{"temprature":0.5}}')).toThrow(/gold\.temprature/);
    expect(() => parseSamplingTable('not json')).toThrow(/must be JSON/);
  });
});
