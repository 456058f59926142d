/**
 * Relationship-card rules: a small, deterministic rule set that moves an NPC's feelings about a
 * player after each turn, from what the player said. Same input, same card — so designers can
 * predict it and tests can pin it. A model backend may add its own proposal on top (clamped).
 *
 * Signals (keyword lexicons over the player's words; a hit right after "not"/"never"/"n't" is
 * ignored): kindness, compliments, honesty, respectful address raise trust/affinity/respect;
 * insults, threats, deceit and shouting lower them. Familiarity grows with every turn and every
 * new conversation, faster at first. Interrupting the NPC (a cancelled turn) costs a little
 * respect. Steps shrink as a value nears its bound, so no single turn maxes a meter.
 */
import type { CardValues, RelationshipCard } from './types.js';
import { stem, words } from './text-features.js';

export interface CardRuleInput {
  card: RelationshipCard | null;
  playerText: string;
  status: 'completed' | 'cancelled';
  at: number;
  /** A pause longer than this starts a new conversation. */
  conversationGapMs: number;
  /** Facts to pin (importance ≥ PIN_IMPORTANCE), newest first. */
  pin?: readonly string[];
  /** Extra deltas proposed by a model backend (each clamped to ±MAX_PROPOSED). */
  proposed?: Partial<CardValues> | undefined;
}

export interface CardRuleResult {
  card: RelationshipCard;
  /** New value minus old value, per meter. */
  delta: CardValues;
  /** Which signals fired (for logs, tests and docs). */
  signals: Signal[];
}

export type Signal = 'kindness' | 'compliment' | 'honesty' | 'respectful' | 'insult' | 'threat' | 'deceit' | 'shouting' | 'interrupted' | 'new_conversation';

/** Per-signal steps (before saturation). Documented in docs/memory.md. */
export const SIGNAL_STEPS: Record<Exclude<Signal, 'new_conversation'>, Partial<CardValues>> = {
  kindness: { trust: 0.04, affinity: 0.06 },
  compliment: { affinity: 0.07, respect: 0.02 },
  honesty: { trust: 0.06 },
  respectful: { respect: 0.05 },
  insult: { affinity: -0.1, respect: -0.08, trust: -0.03 },
  threat: { trust: -0.12, affinity: -0.08, respect: -0.02 },
  deceit: { trust: -0.1 },
  shouting: { respect: -0.03 },
  interrupted: { respect: -0.01 },
};
/** Familiarity gained per turn (completed / cancelled) and per new conversation, as a share of what is left to 1. */
export const FAMILIARITY_STEP = { completed: 0.04, cancelled: 0.02, conversation: 0.03 };
export const MAX_PINNED = 5;
export const MAX_PROPOSED = 0.2;

const lexicon = (s: string) => new Set(s.split(/\s+/).filter(Boolean).map(stem));
const LEXICONS: Record<'kindness' | 'compliment' | 'honesty' | 'respectful' | 'insult' | 'threat' | 'deceit', Set<string>> = {
  kindness: lexicon('thank thanks thankful grateful please sorry apologize apologise apology forgive friend friends kind kindly gift gifts appreciate welcome'),
  compliment: lexicon('wise brave beautiful great impressive clever amazing wonderful admire admirable magnificent splendid excellent handsome lovely noble strong best'),
  honesty: lexicon('promise promised swear sworn honest honestly truth truly trust vow oath'),
  respectful: lexicon('sir madam lord lady master mistress majesty highness honor honour respect respectfully milord milady'),
  insult: lexicon('fool fools idiot stupid ugly coward cowardly liar pathetic worthless useless moron dumb disgusting filthy wretch scum loser hag fraud'),
  threat: lexicon('kill destroy burn hurt attack stab murder slay threaten threat gut bleed punch strangle crush'),
  deceit: lexicon('lie lied lying trick tricked cheat cheated steal stole stolen deceive deceived betray betrayed'),
};
const NEGATIONS = new Set(['not', 'no', 'never', "don't", "won't", "didn't", "can't", "isn't", 'dont', 'wont', 'cannot', 'nor', 'without']);

/** Signals in the player's words, in a fixed order; each fires at most once per turn. */
export function detectSignals(playerText: string): Signal[] {
  const ws = words(playerText);
  const fired = new Set<Signal>();
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const s = stem(w);
    const negated = NEGATIONS.has(ws[i - 1] ?? '') || NEGATIONS.has(ws[i - 2] ?? '') || (ws[i - 1] ?? '').endsWith("n't");
    for (const [name, set] of Object.entries(LEXICONS) as [keyof typeof LEXICONS, Set<string>][]) {
      if (set.has(s) && !negated) fired.add(name);
    }
  }
  // "shut up" is an insult although "up" is a stopword; "or else" and "or die" read as threats.
  if (/\bshut up\b/i.test(playerText)) fired.add('insult');
  if (/\bor else\b|\bor (?:you )?die\b/i.test(playerText)) fired.add('threat');
  const letters = playerText.replace(/[^\p{L}]/gu, '');
  const upper = playerText.replace(/[^\p{Lu}]/gu, '');
  if (letters.length >= 8 && upper.length / letters.length > 0.7) fired.add('shouting');
  const order: Signal[] = ['kindness', 'compliment', 'honesty', 'respectful', 'insult', 'threat', 'deceit', 'shouting'];
  return order.filter((s) => fired.has(s));
}

/** Moves x by d, shrinking the step as x nears the bound it moves towards. */
function nudge(x: number, d: number, lo: number, hi: number): number {
  if (d === 0) return x;
  const room = d > 0 ? (hi - x) / (hi - lo) : (x - lo) / (hi - lo);
  return Math.min(hi, Math.max(lo, x + d * Math.min(1, 2 * room)));
}

export function newCard(at: number): RelationshipCard {
  return { trust: 0, respect: 0, familiarity: 0, affinity: 0, firstMetAt: at, lastMetAt: at, conversations: 0, turns: 0, pinned: [], updatedAt: at };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Applies one finished turn to the card. Pure and deterministic. */
export function applyCardRules(input: CardRuleInput): CardRuleResult {
  const before = input.card ?? newCard(input.at);
  const signals = detectSignals(input.playerText);
  if (input.status === 'cancelled') signals.push('interrupted');
  const isNewConversation = input.card === null || input.at - before.lastMetAt > input.conversationGapMs || before.conversations === 0;
  if (isNewConversation) signals.push('new_conversation');

  const sum: CardValues = { trust: 0, respect: 0, familiarity: 0, affinity: 0 };
  for (const s of signals) {
    if (s === 'new_conversation') continue;
    for (const [k, d] of Object.entries(SIGNAL_STEPS[s]) as [keyof CardValues, number][]) sum[k] += d;
  }
  for (const k of ['trust', 'respect', 'familiarity', 'affinity'] as const) {
    const p = input.proposed?.[k];
    if (typeof p === 'number' && Number.isFinite(p)) sum[k] += Math.max(-MAX_PROPOSED, Math.min(MAX_PROPOSED, p));
  }
  let familiarity = before.familiarity;
  familiarity += (1 - familiarity) * FAMILIARITY_STEP[input.status];
  if (isNewConversation) familiarity += (1 - familiarity) * FAMILIARITY_STEP.conversation;
  familiarity = nudge(familiarity, sum.familiarity, 0, 1);

  const pinned = [...(input.pin ?? []), ...before.pinned.filter((p) => !(input.pin ?? []).includes(p))].slice(0, MAX_PINNED);
  const card: RelationshipCard = {
    trust: round4(nudge(before.trust, sum.trust, -1, 1)),
    respect: round4(nudge(before.respect, sum.respect, -1, 1)),
    affinity: round4(nudge(before.affinity, sum.affinity, -1, 1)),
    familiarity: round4(familiarity),
    firstMetAt: Math.min(before.firstMetAt, input.at),
    lastMetAt: Math.max(before.lastMetAt, input.at),
    conversations: before.conversations + (isNewConversation ? 1 : 0),
    turns: before.turns + 1,
    pinned,
    updatedAt: Math.max(before.updatedAt, input.at),
  };
  const base = input.card ?? { trust: 0, respect: 0, familiarity: 0, affinity: 0 };
  const delta: CardValues = {
    trust: round4(card.trust - base.trust),
    respect: round4(card.respect - base.respect),
    familiarity: round4(card.familiarity - base.familiarity),
    affinity: round4(card.affinity - base.affinity),
  };
  return { card, delta, signals };
}
