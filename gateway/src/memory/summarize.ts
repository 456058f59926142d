/**
 * Extractive summaries of turns leaving the hot window (the scripted backend's way: no model).
 * It names what the turns were about (the most frequent content words, the player's counting
 * more) and quotes the most telling player line and NPC line. Importance grows with the
 * emotional weight of what was said (threats, promises, insults, kindness) and with length.
 * A model backend can replace this with an abstractive summary behind the same function shape.
 */
import { createHash } from 'node:crypto';
import { detectSignals } from './card-rules.js';
import { contentStems, sentences, stem, words, isStopword } from './text-features.js';
import type { MemoryTurn, Pair } from './types.js';

export interface Summary {
  id: string;
  text: string;
  importance: number;
  sourceTurns: string[];
}

const QUOTE_MAX = 140;
const quote = (s: string) => (s.length > QUOTE_MAX ? `${s.slice(0, QUOTE_MAX - 1).replace(/\s+\S*$/, '')}…` : s);

function topicWords(turns: readonly MemoryTurn[]): string[] {
  const score = new Map<string, { n: number; surface: string }>();
  const count = (text: string, weight: number) => {
    for (const w of words(text)) {
      if (w.length < 3 || isStopword(w)) continue;
      const s = stem(w);
      const e = score.get(s) ?? { n: 0, surface: w };
      e.n += weight;
      score.set(s, e);
    }
  };
  for (const t of turns) {
    count(t.playerText, 1.5);
    count(t.npcText, 1);
  }
  return [...score.values()].filter((e) => e.n >= 1.5).sort((a, b) => b.n - a.n || a.surface.localeCompare(b.surface)).slice(0, 3).map((e) => e.surface);
}

/** The sentence that carries most of the conversation's content words (per √length) and signals. */
function mostTelling(lines: readonly string[], weights: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let bestScore = -1;
  for (const line of lines) {
    for (const s of sentences(line)) {
      const stems = contentStems(s);
      if (stems.length === 0) continue;
      let score = 0;
      for (const st of new Set(stems)) score += weights.get(st) ?? 0;
      score = score / Math.sqrt(stems.length) + detectSignals(s).length * 2;
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
  }
  return best;
}

const listing = (ws: string[]) => (ws.length <= 1 ? ws.join('') : `${ws.slice(0, -1).join(', ')} and ${ws.at(-1)}`);

/** A summary of consecutive turns (oldest first); null when there is nothing to summarize. */
export function summarizeTurns(turns: readonly MemoryTurn[], pair: Pair, npcName: string): Summary | null {
  if (turns.length === 0) return null;
  const weights = new Map<string, number>();
  for (const t of turns) for (const s of [...contentStems(t.playerText), ...contentStems(t.npcText)]) weights.set(s, (weights.get(s) ?? 0) + 1);
  const topics = topicWords(turns);
  const said = mostTelling(turns.map((t) => t.playerText), weights);
  const replied = mostTelling(turns.map((t) => t.npcText).filter(Boolean), weights);
  const day = new Date(turns[0]!.at).toISOString().slice(0, 10);
  const parts = [`${day}: ${turns.length === 1 ? 'one exchange' : `${turns.length} exchanges`} with the player${topics.length ? ` about ${listing(topics)}` : ''}.`];
  if (said) parts.push(`The player said "${quote(said)}"`);
  if (replied) parts.push(`${npcName} replied "${quote(replied)}"`);
  const signals = new Set(turns.flatMap((t) => detectSignals(t.playerText)));
  const heavy = ['threat', 'insult', 'deceit', 'honesty'].filter((s) => signals.has(s as never)).length;
  const light = ['kindness', 'compliment', 'respectful'].filter((s) => signals.has(s as never)).length;
  const importance = Math.max(1, Math.min(10, Math.round(2 + heavy * 2 + light + Math.min(2, turns.length / 6))));
  const sourceTurns = turns.map((t) => t.id);
  const id = `s:${createHash('sha256').update(`${pair.npc}\u001f${pair.player}\u001f${sourceTurns.join(',')}`).digest('base64url').slice(0, 22)}`;
  return { id, text: parts.join(' '), importance, sourceTurns };
}
