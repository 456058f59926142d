/**
 * Salient-fact extraction from the player's words: a few first-person patterns ("my name is …",
 * "I am a …", "I come from …", "I love/fear/seek …", "I promise …", "my X is Y", "I have …").
 * Deterministic and cheap, so it runs on every turn; a fact said twice gets the same id, so it is
 * stored and archived once. Facts of importance ≥ PIN_IMPORTANCE are pinned on the card.
 */
import { createHash } from 'node:crypto';
import { sentences } from './text-features.js';

export interface ExtractedFact {
  id: string;
  text: string;
  importance: number;
}

export const PIN_IMPORTANCE = 8;
const MAX_FACTS_PER_TURN = 3;
const CLAUSE = "([^.,!?;:]{2,60}?)";
const END = '(?=[.,!?;:]|\\s+(?:and|but|so|because)\\b|$)';

/** First-person words in a captured phrase, seen from the narrator's side. */
function thirdPerson(phrase: string, npcName: string): string {
  return phrase
    .replace(/\bmy\b/gi, 'their')
    .replace(/\bmine\b/gi, 'theirs')
    .replace(/\bmyself\b/gi, 'themselves')
    .replace(/\bme\b/gi, 'them')
    .replace(/\bI\b/g, 'they')
    .replace(/\byour\b/gi, `${npcName}'s`)
    .replace(/\byou\b/gi, npcName)
    .trim();
}

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

interface Rule {
  re: RegExp;
  importance: number;
  fact(m: RegExpExecArray, npcName: string): string | null;
}

const RULES: Rule[] = [
  {
    // A second name word counts only when capitalised ("Aldric Stone", not "Aldric the bold").
    re: /\b(?:[Mm]y name is|[Mm]y name's|[Cc]all me|[Ii] am called|[Ii]'m called|[Tt]hey call me)\s+(\p{L}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)?)/u,
    importance: 9,
    fact: (m) => `The player's name is ${m[1]!.split(/\s+/).map(capitalize).join(' ')}.`,
  },
  {
    re: new RegExp(`\\bi (promise|swear|vow)(?: to| that)?\\s+${CLAUSE.replace('60', '80')}${END}`, 'i'),
    importance: 8,
    fact: (m, npc) => `The player ${m[1]!.toLowerCase() === 'promise' ? 'promised' : 'swore'} to ${thirdPerson(m[2]!.replace(/^(?:i will|i'll|i shall)\s+/i, ''), npc)}.`,
  },
  {
    re: new RegExp(`\\b(?:i am from|i'm from|i come from|i live in|i was born in)\\s+${CLAUSE}${END}`, 'i'),
    importance: 6,
    fact: (m, npc) => `The player comes from ${thirdPerson(m[1]!, npc)}.`,
  },
  {
    re: new RegExp(`\\b(?:i am|i'm) (?:a|an)\\s+(?!bit\\b|little\\b|lot\\b)${CLAUSE}${END}`, 'i'),
    importance: 6,
    fact: (m, npc) => `The player is ${/^[aeiou]/i.test(m[1]!) ? 'an' : 'a'} ${thirdPerson(m[1]!, npc)}.`,
  },
  {
    re: new RegExp(`\\bi (love|like|hate|fear|want|need|seek|miss|am looking for|'m looking for|am searching for)\\s+${CLAUSE}${END}`, 'i'),
    importance: 5,
    fact: (m, npc) => {
      const verb = m[1]!.toLowerCase().replace(/^(?:am|'m) /, 'is ');
      const third = verb.startsWith('is ') ? verb : verb === 'miss' ? 'misses' : `${verb}s`;
      return `The player ${third} ${thirdPerson(m[2]!, npc)}.`;
    },
  },
  {
    re: new RegExp(`\\bmy (?!name\\b)([\\p{L}]+(?: [\\p{L}]+)?) (is|was|are|were|died|left)\\b\\s*${CLAUSE.replace('{2,60}', '{0,60}')}${END}`, 'iu'),
    importance: 5,
    fact: (m, npc) => `The player's ${m[1]!.toLowerCase()} ${m[2]!.toLowerCase()}${m[3] ? ` ${thirdPerson(m[3], npc)}` : ''}.`,
  },
  {
    re: new RegExp(`\\bi (?:have|own|carry)\\s+(?!to\\b|been\\b|no\\b|never\\b)${CLAUSE}${END}`, 'i'),
    importance: 4,
    fact: (m, npc) => `The player has ${thirdPerson(m[1]!, npc)}.`,
  },
];

const importanceBoost = (m: RegExpExecArray) => (/\b(?:hate|fear|seek|looking|searching|died|missing|dead|lost)\b/i.test(m[0]) ? 1 : 0);

/** Facts in the player's words, most important first (at most three per turn). */
export function extractFacts(playerText: string, pair: { npc: string; player: string }, npcName: string): ExtractedFact[] {
  const found = new Map<string, ExtractedFact>();
  for (const sentence of sentences(playerText.slice(0, 2000))) {
    for (const rule of RULES) {
      const m = rule.re.exec(sentence);
      if (!m) continue;
      const text = rule.fact(m, npcName)?.replace(/\s+/g, ' ');
      if (!text || text.length > 200) continue;
      const norm = text.toLowerCase().replace(/[^\p{L}\p{N} ]/gu, '');
      const id = `f:${createHash('sha256').update(`${pair.npc}\u001f${pair.player}\u001f${norm}`).digest('base64url').slice(0, 22)}`;
      if (!found.has(id)) found.set(id, { id, text, importance: Math.min(10, rule.importance + importanceBoost(m)) });
    }
  }
  return [...found.values()].sort((a, b) => b.importance - a.importance).slice(0, MAX_FACTS_PER_TURN);
}
