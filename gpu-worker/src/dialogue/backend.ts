/**
 * The contract between the job runner and whatever writes the NPC's words. A backend streams
 * events — emotions and text deltas — for one turn, stops when the signal aborts, and may also
 * summarize conversations for the memory store.
 *
 * Backends: `scripted` (no model; scripted-backend.ts), `onnx` (a local ONNX language model in a
 * worker thread; onnx-backend.ts), `openai` (an OpenAI-compatible server such as vLLM, NVIDIA
 * NIM, TGI, llama.cpp or Ollama; ../upstream/openai-backend.ts).
 */
import type { JobFrame, ModelLoad } from '@parley/protocol';

export const DIALOGUE_BACKENDS = ['scripted', 'onnx', 'openai'] as const;
export type DialogueBackendName = (typeof DIALOGUE_BACKENDS)[number];

/** What a turn gives the backend: the job's NPC, the player's words, tier, seed and any memory context. */
export type DialogueRequest = Pick<JobFrame, 'npc' | 'player' | 'text' | 'tier' | 'seed' | 'history' | 'context'>;

export type DialogueEvent = { type: 'emotion'; label: string; intensity: number } | { type: 'text'; delta: string };

export interface SummaryRequest {
  npc: Pick<JobFrame['npc'], 'name' | 'persona' | 'archetype'>;
  /** Oldest first. */
  turns: ReadonlyArray<{ role: 'player' | 'npc'; text: string }>;
  /** Longest summary, in tokens (default 120). */
  maxTokens?: number;
}

export interface DialogueBackend {
  readonly name: DialogueBackendName;
  /** A short description for logs and the worker's registration (model folder, upstream model). */
  readonly description: string;
  /**
   * Streams the reply. The first event is an emotion. Ends early (without error) when `signal`
   * aborts; throws for failures.
   */
  reply(req: DialogueRequest, signal: AbortSignal): AsyncIterable<DialogueEvent>;
  /** A few sentences summarizing `turns` from the NPC's point of view (for the memory store). */
  summarize(req: SummaryRequest, signal?: AbortSignal): Promise<string>;
  /** An in-process model's engine load, reported in heartbeats (absent for backends without one). */
  modelLoad?(): Promise<ModelLoad>;
  close(): Promise<void>;
}
