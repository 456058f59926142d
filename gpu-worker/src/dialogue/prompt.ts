/**
 * Prompt assembly for model backends: chat messages built from the NPC (name, archetype,
 * persona, traits), whatever memory context the gateway sent (relationship card, pinned facts,
 * summaries and facts of past conversations, recent turns), the tier's length guidance, the
 * emotion-tag convention, and the player's words.
 */
import type { MemoryContext, ServedTier } from '@parley/protocol';
import type { ChatMessage } from '../models/text-codec.js';
import type { DialogueRequest, SummaryRequest } from './backend.js';
import { EMOTIONS } from './scripted.js';

export interface PromptOptions {
  /** Most earlier turns (player or NPC lines) kept in the prompt (default 16). */
  maxHistoryTurns?: number;
  /** "Now", for the age of memories (default Date.now()). */
  now?: number;
}

const LENGTH: Record<ServedTier, string> = {
  gold: 'Answer in one to four sentences, rich in character.',
  silver: 'Answer in one to three short sentences.',
  bronze: 'Answer in one short sentence.',
  scripted: 'Answer in one short sentence.',
};

const article = (w: string) => (/^[aeiou]/i.test(w) ? 'an' : 'a');

function ago(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return 'just now';
  if (h < 24) return `${Math.round(h)} hour${Math.round(h) === 1 ? '' : 's'} ago`;
  const d = Math.round(h / 24);
  return d < 60 ? `${d} day${d === 1 ? '' : 's'} ago` : `${Math.round(d / 30)} months ago`;
}

/** −1..1 meter → a phrase, or undefined when it is near neutral. */
function meter(x: number, pos: [string, string], neg: [string, string]): string | undefined {
  if (x >= 0.5) return pos[0];
  if (x >= 0.15) return pos[1];
  if (x <= -0.5) return neg[0];
  if (x <= -0.15) return neg[1];
  return undefined;
}

function memoryLines(ctx: MemoryContext | undefined, now: number): string[] {
  if (!ctx) return [];
  const lines: string[] = [];
  const c = ctx.card;
  if (!c) lines.push('You have never met this player before.');
  else {
    const times = c.conversations <= 1 ? 'once before' : `${c.conversations} times before`;
    lines.push(`You have spoken with this player ${times}; you first met ${ago(now - c.firstMetAt)} and last spoke ${ago(now - c.lastMetAt)}.`);
    const feelings = [
      meter(c.trust, ['you trust them', 'you somewhat trust them'], ['you distrust them', 'you are wary of them']),
      meter(c.respect, ['you respect them', 'you think well of them'], ['you look down on them', 'you do not take them seriously']),
      meter(c.affinity, ['you like them', 'you are fond of them'], ['you dislike them', 'they annoy you']),
      c.familiarity >= 0.6 ? 'you know them well' : c.familiarity >= 0.25 ? 'they are an acquaintance' : undefined,
    ].filter(Boolean);
    if (feelings.length) lines.push(`How you feel about them: ${feelings.join('; ')}.`);
    for (const p of c.pinned) lines.push(`- ${p}`);
  }
  for (const m of ctx.memories) lines.push(`- (${ago(now - m.at)}) ${m.text}`);
  return lines;
}

/** Earlier turns: the context's hot turns if the gateway sent them, else the job's history. */
function earlierTurns(req: DialogueRequest, max: number): ChatMessage[] {
  const turns: Array<{ role: 'player' | 'npc'; text: string }> = req.context?.turns ?? req.history ?? [];
  const list = [...turns];
  // The caller may already have appended the current line.
  const last = list[list.length - 1];
  if (last && last.role === 'player' && last.text.trim() === req.text.trim()) list.pop();
  return list.slice(-max).map((t) => ({ role: t.role === 'player' ? 'user' : 'assistant', content: t.text }));
}

/** Merges neighbours of the same role and drops leading NPC lines: chat templates want user/assistant alternation. */
function alternate(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const prev = out[out.length - 1];
    if (prev && prev.role === m.role) prev.content = `${prev.content}\n${m.content}`;
    else if (!(m.role === 'assistant' && (out.length === 0 || prev?.role === 'system'))) out.push({ ...m });
  }
  return out;
}

export function buildSystemPrompt(req: DialogueRequest, now = Date.now()): string {
  const { npc } = req;
  const archetype = npc.archetype.replace(/[-_]+/g, ' ');
  const parts = [`You are ${npc.name}, ${article(archetype)} ${archetype} in a video game, talking with a player.`];
  if (npc.persona.trim()) parts.push(npc.persona.trim());
  if (npc.traits?.length) parts.push(`Your traits: ${npc.traits.join(', ')}.`);
  const memory = memoryLines(req.context, now);
  if (memory.length) parts.push(`What you remember about this player:\n${memory.join('\n')}`);
  parts.push(
    [
      'How to answer:',
      `- Stay in character as ${npc.name}. Say only your spoken words, in the first person: no narration, actions, emotes, lists or markdown.`,
      `- ${LENGTH[req.tier]}`,
      `- Begin with an emotion tag [emotion:LABEL INTENSITY], where LABEL is one of ${EMOTIONS.join(', ')} and INTENSITY is from 0 to 1. Example: [emotion:joy 0.6] Ah, welcome back!`,
    ].join('\n'),
  );
  return parts.join('\n\n');
}

export function buildReplyMessages(req: DialogueRequest, opts: PromptOptions = {}): ChatMessage[] {
  const history = earlierTurns(req, opts.maxHistoryTurns ?? 16);
  return alternate([{ role: 'system', content: buildSystemPrompt(req, opts.now) }, ...history, { role: 'user', content: req.text }]);
}

export function buildSummaryMessages(req: SummaryRequest): ChatMessage[] {
  const transcript = req.turns.map((t) => `${t.role === 'player' ? 'Player' : req.npc.name}: ${t.text}`).join('\n');
  return [
    {
      role: 'system',
      content: `You summarize conversations for the memory of ${req.npc.name}, ${article(req.npc.archetype)} ${req.npc.archetype.replace(/[-_]+/g, ' ')} in a video game. Write two or three plain sentences from ${req.npc.name}'s point of view: what was talked about, and facts worth remembering about the player (names, promises, debts, wishes, how they behaved). Write only the summary.`,
    },
    { role: 'user', content: `Conversation:\n${transcript}` },
  ];
}

/** Strings that end a reply if the model starts writing the next turn itself. */
export const REPLY_STOP_STRINGS = ['\nPlayer:', '\nUser:', '\nplayer:'];
