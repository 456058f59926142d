/**
 * The scripted dialogue composer behind the DialogueBackend interface: the whole reply at once,
 * emotion first. Its summaries are extractive (the opening of each side's lines), since it has
 * no model.
 */
import type { DialogueBackend, DialogueEvent, DialogueRequest, SummaryRequest } from './backend.js';
import { composeScriptedReply } from './scripted.js';

export class ScriptedBackend implements DialogueBackend {
  readonly name = 'scripted' as const;
  readonly description = 'scripted';

  async *reply(req: DialogueRequest, signal: AbortSignal): AsyncIterable<DialogueEvent> {
    const history = req.history ?? req.context?.turns.map(({ role, text }) => ({ role, text }));
    const reply = composeScriptedReply({ npc: req.npc, playerText: req.text, seed: req.seed, ...(history ? { history } : {}) });
    if (signal.aborted) return;
    yield { type: 'emotion', label: reply.emotion.label, intensity: reply.emotion.intensity };
    yield { type: 'text', delta: reply.text };
  }

  async summarize(req: SummaryRequest): Promise<string> {
    const first = (role: 'player' | 'npc') => req.turns.find((t) => t.role === role)?.text.split(/(?<=[.!?])\s/)[0];
    const player = first('player');
    const npc = first('npc');
    return [player && `The player said: "${player}"`, npc && `${req.npc.name} answered: "${npc}"`].filter(Boolean).join(' ');
  }

  async close(): Promise<void> {}
}
