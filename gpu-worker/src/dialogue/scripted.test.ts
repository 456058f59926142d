import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMOTIONS, analyzePlayerText, archetypeFamily, composeScriptedReply, type DialogueTurn, type ScriptedNpc, type ScriptedReply } from './index.js';

const npcs: Record<string, ScriptedNpc> = {
  vampire: {
    id: 'vampire-lord',
    name: 'Lord Casimir Vordane',
    archetype: 'vampire',
    persona:
      'Lord Casimir Vordane is an ancient vampire noble who has ruled Castle Vordane for four centuries. He speaks with an archaic, velvet courtesy. He wants a worthy heir to share his eternal night, and he despises the vulgar haste of mortals. He knows the old bloodlines, the secret passages of his castle, and the true history of the Crimson War.',
    traits: ['aristocratic', 'menacing'],
  },
  zombie: {
    id: 'zombie',
    name: 'Shambling Ned',
    archetype: 'zombie',
    persona: 'Shambling Ned was once the village miller. He speaks in broken words and groans. He wants brains above all else.',
  },
  innkeeper: {
    id: 'innkeeper',
    name: 'Bess Hollowell',
    archetype: 'innkeeper',
    persona: 'Bess Hollowell is the keeper of the Gilded Goose. She is warm and chatty. She wants her tavern full. She knows every rumour in town.',
    traits: ['warm', 'gossipy'],
  },
  guard: {
    id: 'guard',
    name: 'Sergeant Brann',
    archetype: 'guard',
    persona: 'Sergeant Brann has kept the east gate for twenty years. He speaks in short, clipped sentences. He wants a quiet shift and the town safe from bandits. He knows the town laws.',
    traits: ['curt'],
  },
  oracle: {
    id: 'oracle',
    name: 'Ysolde of the Ashen Well',
    archetype: 'oracle',
    persona: "Ysolde is the blind oracle of the Ashen Well. She speaks in riddles. She wants the prophecy of the Sundered Crown fulfilled before she dies. She knows more about the player's fate than she will say.",
  },
  blacksmith: {
    id: 'blacksmith',
    name: 'Oren Flintmere',
    archetype: 'blacksmith',
    persona:
      'Oren Flintmere is the village blacksmith, broad as a door and twice as stubborn. He speaks plainly. He wants to forge one true masterwork blade before his arm gives out. He knows metal, horses, and every weapon that has passed through the village.',
  },
};
const allNpcs = Object.values(npcs);
const v = npcs.vampire!;
const z = npcs.zombie!;
const g = npcs.guard!;
const inn = npcs.innkeeper!;
const smith = npcs.blacksmith!;

const SAMPLE_INPUTS = [
  'Hello there, who are you?',
  'Give me your gold or die!',
  'What do you know about the Crimson War?',
  'Where is the old castle?',
  'I love your hat!',
  'Can I buy an ale?',
  'Any work for me?',
  'You are an idiot.',
  'Goodbye!',
  'What do you want?',
  'The dragon burned my farm.',
  'Thank you so much!',
  "I'm sorry.",
  'How are you?',
  'Why is the sky red?',
  'Tell me a story',
  'hmm',
  'KILL YOU!!!',
];

const reply = (npc: ScriptedNpc, playerText: string, seed = 1, history?: { role: 'player' | 'npc'; text: string }[]) =>
  composeScriptedReply({ npc, playerText, seed, ...(history ? { history } : {}) });

/** Sentences as a speech splitter sees them: end punctuation followed by a capital (or the end). */
const sentences = (s: string) => (s.match(/[.!?]+(?=\s+["'(]?\p{Lu}|\s*$)/gu) ?? []).length;
const wordCount = (s: string) => (s.match(/\S+/g) ?? []).length;
const GROAN = /\b(?:b?r+a+i*n+s|u+r+g+h|h+n+g+h|g+r+a+h|m+r+g+h|braa+ins|hhh|nnngh|grrr)/i;

function expectWellFormed(r: ScriptedReply, label = ''): void {
  expect(r.text, label).toMatch(/[.!?]$/);
  expect(r.text, label).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u);
  expect(r.text, label).not.toMatch(/[{}]|undefined|null|NaN|\s{2}|\s[,.!?;:]/);
  expect(r.text.trim(), label).toBe(r.text);
  expect(sentences(r.text), `${label}: ${r.text}`).toBeGreaterThanOrEqual(1);
  expect(sentences(r.text), `${label}: ${r.text}`).toBeLessThanOrEqual(3);
  expect(wordCount(r.text), `${label}: ${r.text}`).toBeLessThanOrEqual(50);
  expect(EMOTIONS).toContain(r.emotion.label);
  expect(r.emotion.intensity).toBeGreaterThanOrEqual(0);
  expect(r.emotion.intensity).toBeLessThanOrEqual(1);
}

describe('composeScriptedReply', () => {
  it('is deterministic for (npc, playerText, seed, history)', () => {
    for (const npc of allNpcs) {
      for (const text of SAMPLE_INPUTS) {
        for (const seed of [0, 1, 42, 2 ** 31 - 1]) {
          const history = [{ role: 'npc' as const, text: 'Hm.' }];
          expect(reply(npc, text, seed)).toEqual(reply(npc, text, seed));
          expect(reply(npc, text, seed, history)).toEqual(reply(npc, text, seed, history));
        }
      }
    }
  });

  it('varies across seeds', () => {
    for (const npc of allNpcs) {
      for (const text of ['Hello there, who are you?', 'Give me your gold or die!', 'Any work for me?']) {
        const texts = new Set(Array.from({ length: 40 }, (_, seed) => reply(npc, text, seed).text));
        expect(texts.size, `${npc.id}: ${text}`).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('is well formed: 1-3 sentences, end punctuation, no placeholders or control characters', () => {
    for (const npc of allNpcs) for (const text of SAMPLE_INPUTS) for (let seed = 0; seed < 25; seed++) expectWellFormed(reply(npc, text, seed), `${npc.id}/${text}/${seed}`);
  });

  it('keeps most replies in the 6-45 word range (zombies excepted)', () => {
    for (const npc of allNpcs.filter((n) => n !== z)) {
      for (const text of SAMPLE_INPUTS) {
        for (let seed = 0; seed < 10; seed++) {
          const n = wordCount(reply(npc, text, seed).text);
          expect(n, `${npc.id}/${text}/${seed}`).toBeGreaterThanOrEqual(5);
          expect(n, `${npc.id}/${text}/${seed}`).toBeLessThanOrEqual(45);
        }
      }
    }
  });

  it('is not an echo', () => {
    const long =
      'I have travelled for many days across the frozen mountains and the burning desert, and I have lost two horses and a good friend on the way here, so please tell me where I can find the ancient library of the northern kings.';
    for (const npc of allNpcs) {
      for (let seed = 0; seed < 20; seed++) {
        const r = reply(npc, long, seed);
        expect(r.text).not.toBe(long);
        expect(r.text.toLowerCase()).not.toContain(long.toLowerCase());
        expect(r.text.toLowerCase()).not.toContain('frozen mountains and the burning desert');
        for (const text of SAMPLE_INPUTS) expect(reply(npc, text, seed).text).not.toBe(text);
      }
    }
  });

  it('weaves the topic of the question into replies', () => {
    for (const npc of allNpcs) {
      const texts = Array.from({ length: 20 }, (_, seed) => reply(npc, 'What do you know about the Crimson War?', seed).text);
      expect(texts.some((t) => t.includes('Crimson War')), npc.id).toBe(true);
      const gold = Array.from({ length: 20 }, (_, seed) => reply(npc, 'Give me your gold or die!', seed).text);
      expect(gold.some((t) => /\bgold\b/i.test(t)), npc.id).toBe(true);
    }
  });

  it('only treats a topic as loot when the player demands something of the NPC', () => {
    for (const npc of allNpcs) {
      for (let seed = 0; seed < 20; seed++) {
        const t = reply(npc, 'Die, monster!', seed).text;
        expect(t).not.toMatch(/^Monster\?|came for monster|get monster|Keep monster/);
      }
    }
  });

  it('answers "who are you" with the name and a greeting with a greeting', () => {
    for (const npc of allNpcs.filter((n) => n !== z)) {
      for (let seed = 0; seed < 10; seed++) {
        const r = reply(npc, 'Hello there, who are you?', seed);
        expect(r.text, npc.id).toContain(npc.name);
      }
    }
    for (let seed = 0; seed < 10; seed++) expect(reply(z, 'Who are you?', seed).text).toMatch(/Ned/);
  });

  describe('emotions', () => {
    const labels = (npc: ScriptedNpc, text: string) => new Set(Array.from({ length: 30 }, (_, seed) => reply(npc, text, seed).emotion.label));

    it('exports a documented set of protocol-valid labels', () => {
      expect(EMOTIONS.length).toBeGreaterThanOrEqual(10);
      for (const e of EMOTIONS) expect(e).toMatch(/^[a-z_]{1,32}$/);
    });

    it('maps threats per archetype', () => {
      expect([...labels(v, 'Give me your gold or die!')].every((l) => l === 'contempt' || l === 'amusement')).toBe(true);
      expect(labels(g, 'Give me your gold or die!')).toEqual(new Set(['anger']));
      expect(labels(inn, 'Give me your gold or die!')).toEqual(new Set(['fear']));
      expect(labels(z, 'I will kill you')).toEqual(new Set(['anger']));
      expect(labels(smith, 'Hand over your money or else.')).toEqual(new Set(['fear']));
    });

    it('maps compliments and thanks to joy or trust', () => {
      for (const npc of allNpcs) {
        for (const l of labels(npc, 'You are so wise and beautiful!')) expect(['joy', 'trust']).toContain(l);
        for (const l of labels(npc, 'Thank you, friend.')) expect(['joy', 'trust']).toContain(l);
      }
    });

    it('maps insults, greetings and questions', () => {
      expect(labels(g, 'You stupid fool.')).toEqual(new Set(['anger']));
      expect(labels(v, 'You stupid fool.')).toEqual(new Set(['contempt']));
      expect(labels(inn, 'Hello!')).toEqual(new Set(['joy']));
      expect(labels(smith, 'Where is the mill?')).toEqual(new Set(['interest']));
      expect(labels(g, 'Hmm.')).toEqual(new Set(['neutral']));
    });

    it('grows stronger with exclamation marks and capitals', () => {
      for (const npc of allNpcs) {
        for (let seed = 0; seed < 10; seed++) {
          const calm = reply(npc, 'give me your gold or die', seed).emotion.intensity;
          const loud = reply(npc, 'GIVE ME YOUR GOLD OR DIE!!!', seed).emotion.intensity;
          expect(loud, npc.id).toBeGreaterThan(calm);
        }
      }
      expect(reply(g, 'hello', 3).emotion.intensity).toBeLessThan(reply(g, 'I WILL KILL YOU!!!', 3).emotion.intensity);
    });
  });

  describe('archetype flavour', () => {
    it('zombies are short and groan', () => {
      for (const text of [...SAMPLE_INPUTS, 'x'.repeat(500)]) {
        for (let seed = 0; seed < 15; seed++) {
          const r = reply(z, text, seed);
          expect(wordCount(r.text), r.text).toBeLessThanOrEqual(12);
          expect(r.text, r.text).toMatch(GROAN);
          expect(r.text).toContain('...');
        }
      }
    });

    it('a vampire and a guard answer the same words differently', () => {
      for (const text of SAMPLE_INPUTS) {
        for (let seed = 0; seed < 5; seed++) expect(reply(v, text, seed).text).not.toBe(reply(g, text, seed).text);
      }
    });

    it('vampires speak in an archaic, courtly register; guards are curt', () => {
      const vamp = Array.from({ length: 30 }, (_, seed) => reply(v, 'Hello.', seed).text).join(' ');
      expect(vamp).toMatch(/mortal|guest|evening|night/i);
      const avg = (npc: ScriptedNpc) => {
        let n = 0;
        for (const t of SAMPLE_INPUTS) for (let s = 0; s < 10; s++) n += wordCount(reply(npc, t, s).text);
        return n / (SAMPLE_INPUTS.length * 10);
      };
      expect(avg(g)).toBeLessThan(avg(v));
      expect(avg(z)).toBeLessThan(avg(g));
    });

    it('uses the persona for archetypes without a phrase bank', () => {
      expect(archetypeFamily('blacksmith')).toBe('generic');
      expect(archetypeFamily('Tavern-Keeper')).toBe('innkeeper');
      expect(archetypeFamily('ghoul')).toBe('zombie');
      const wants = Array.from({ length: 20 }, (_, seed) => reply(smith, 'What do you want?', seed).text);
      expect(wants.some((t) => t.includes('forge one true masterwork blade before my arm gives out')), wants.join('\n')).toBe(true);
      const who = Array.from({ length: 20 }, (_, seed) => reply(smith, 'Who are you?', seed).text);
      expect(who.some((t) => t.includes('the village blacksmith'))).toBe(true);
      expect(who.join(' ')).not.toMatch(/\b(?:he|his|him)\b/i);
    });

    it('handles an unknown archetype with a thin persona', () => {
      const odd: ScriptedNpc = { id: 'x', name: 'Pip', archetype: 'lighthouse keeper', persona: 'Keeps the light.' };
      for (const text of SAMPLE_INPUTS) for (let seed = 0; seed < 5; seed++) expectWellFormed(reply(odd, text, seed), text);
    });
  });

  describe('history', () => {
    it('does not repeat the reply it gave last turn', () => {
      for (const npc of allNpcs) {
        for (const text of SAMPLE_INPUTS) {
          for (let seed = 0; seed < 5; seed++) {
            const first = reply(npc, text, seed);
            const second = reply(npc, text, seed, [
              { role: 'player', text },
              { role: 'npc', text: first.text },
            ]);
            expect(second.text, `${npc.id}/${text}`).not.toBe(first.text);
          }
        }
      }
    });

    it('tolerates the current turn being included in the history', () => {
      const r = reply(g, 'Who are you?', 5, [{ role: 'player', text: 'Who are you?' }]);
      expect(r.text).not.toMatch(/already/i);
      expectWellFormed(r);
    });

    it('remarks when the player repeats themselves', () => {
      const history = [
        { role: 'player' as const, text: 'Who are you?' },
        { role: 'npc' as const, text: 'I am Lord Casimir Vordane, master of this house and of the night that surrounds it.' },
      ];
      for (let seed = 0; seed < 10; seed++) expect(reply(v, 'who are you', seed, history).text).toMatch(/already|again|repetition/i);
    });

    it('greets a returning player differently', () => {
      const history = [
        { role: 'player' as const, text: 'Any work?' },
        { role: 'npc' as const, text: 'Try the barracks.' },
      ];
      const texts = Array.from({ length: 20 }, (_, seed) => reply(g, 'Hello', seed, history).text);
      expect(texts.some((t) => /again|back/i.test(t))).toBe(true);
    });
  });

  describe('robustness', () => {
    const weird = [
      '',
      '   ',
      '\u0000\u0001\u0007\u001b[31mred\u001b[0m',
      'hello\u0000there\nwho\tare\ryou\u2028?',
      '\u202eevil override\u202c and \u200bzero\u200bwidth',
      '\uD800 lone surrogate \uDFFF',
      '😀😀😀 🧛‍♂️ 🔪🔪',
      '👋',
      'Привет, кто ты?',
      '你好，你是谁？',
      'z̸̡̛a̷̢͝l̵̨̛g̴̢̛o̸̡͝ ̷t̵e̸x̴t̷',
      '<script>alert(1)</script>',
      "'; DROP TABLE npcs; --",
      '???',
      '!!!!!!!!!!',
      '12345 67890',
      'a'.repeat(4000),
      'supercalifragilisticexpialidocious '.repeat(120),
      'Give me your gold or die! '.repeat(160),
      Array.from({ length: 4000 }, (_, i) => String.fromCharCode(i % 0x3000)).join(''),
    ];

    it('handles weird input', () => {
      for (const npc of allNpcs) {
        for (const text of weird) {
          for (const seed of [0, -1, 1.5, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.NaN]) expectWellFormed(reply(npc, text, seed), JSON.stringify(text.slice(0, 30)));
        }
      }
    });

    it('handles a malformed NPC and history', () => {
      const bad = { id: '', name: '\u0000\u0007', archetype: '', persona: '', traits: ['', '\u0000'] };
      const history = [{ role: 'npc', text: '\u0000' }, null, { role: 'player', text: '' }] as unknown as DialogueTurn[];
      for (const text of SAMPLE_INPUTS) expectWellFormed(composeScriptedReply({ npc: bad, playerText: text, seed: 1, history }));
    });

    it('never includes control characters for arbitrary input (property)', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer(), fc.constantFrom(...allNpcs), (text, seed, npc) => {
          const r = reply(npc, text, seed);
          expectWellFormed(r);
          expect(r).toEqual(reply(npc, text, seed));
        }),
        { numRuns: 300 },
      );
    });

    it('computes 10,000 replies (speed smoke test, no timing assert)', () => {
      let chars = 0;
      const t0 = performance.now();
      for (let i = 0; i < 10_000; i++) {
        const npc = allNpcs[i % allNpcs.length]!;
        chars += reply(npc, SAMPLE_INPUTS[i % SAMPLE_INPUTS.length]!, i).text.length;
      }
      const perReplyUs = ((performance.now() - t0) / 10_000) * 1000;
      console.log(`scripted backend: ${perReplyUs.toFixed(1)} µs per reply`);
      expect(chars).toBeGreaterThan(10_000 * 10);
    });
  });
});

describe('analyzePlayerText', () => {
  it.each([
    ['Hello!', 'greeting'],
    ['Good evening, my lord.', 'greeting'],
    ['Farewell, friend.', 'farewell'],
    ['I must go now.', 'farewell'],
    ['Who are you?', 'identity'],
    ["What's your name?", 'identity'],
    ['How are you?', 'wellbeing'],
    ['What do you want?', 'desire'],
    ['Where is the mill?', 'question'],
    ['Why?', 'question'],
    ['Do you have a quest for me?', 'help'],
    ['I need help.', 'help'],
    ['Give me your gold or die!', 'threat'],
    ['I will kill you.', 'threat'],
    ['You smell like a corpse, you idiot.', 'insult'],
    ['Shut up.', 'insult'],
    ['You look lovely tonight.', 'compliment'],
    ['Thanks!', 'thanks'],
    ['Sorry about that.', 'apology'],
    ['How much for a room?', 'trade'],
    ['I want to buy a sword.', 'trade'],
    ['Do you have any rooms?', 'trade'],
    ['I will kill the dragon.', 'lore'],
    ['Die, monster!', 'threat'],
    ['Tell me about the dragon.', 'lore'],
    ['Nice weather today.', 'statement'],
    ['The cows are restless.', 'statement'],
  ] as const)('%s → %s', (text, intent) => {
    expect(analyzePlayerText(text).primary).toBe(intent);
  });

  it('keeps a greeting as a secondary intent', () => {
    expect(analyzePlayerText('Hello there, who are you?').intents).toEqual(['identity', 'question', 'greeting']);
  });

  it('respects negation', () => {
    expect(analyzePlayerText("I won't hurt you.").primary).not.toBe('threat');
    expect(analyzePlayerText('You are not stupid.').primary).not.toBe('insult');
  });

  it('extracts topic words with their determiner, from the NPC’s point of view', () => {
    expect(analyzePlayerText('Give me your gold or die!').topics[0]).toEqual({ word: 'gold', phrase: 'my gold' });
    expect(analyzePlayerText('Where is the old castle?').topics[0]).toEqual({ word: 'castle', phrase: 'the old castle' });
    expect(analyzePlayerText('What do you know about the Crimson War?').topics[0]).toEqual({ word: 'Crimson War', phrase: 'the Crimson War' });
    expect(analyzePlayerText('Hello there, who are you?').topics).toEqual([]);
    expect(analyzePlayerText('asdfghjkl zxcvb').topics).toEqual([]);
  });

  it('detects emphasis', () => {
    const a = analyzePlayerText('GET OUT OF MY WAY!!');
    expect(a.shouting).toBe(true);
    expect(a.exclamations).toBe(2);
    expect(analyzePlayerText('I said hi').shouting).toBe(false);
  });
});
