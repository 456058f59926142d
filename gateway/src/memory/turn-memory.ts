/**
 * The glue between a Turn and the memory service, so the client session only calls two
 * functions: attachMemory() before the turn is scheduled, rememberTurn() before its `end`.
 */
import { performance } from 'node:perf_hooks';
import type { ServerFrame } from '@parley/protocol';
import type { Turn } from '../turns/turn.js';
import type { MemoryService } from './memory-service.js';

/** Reads the pair's memory into the turn (its job then carries the context). Never rejects. */
export async function attachMemory(memory: MemoryService, turn: Turn): Promise<void> {
  try {
    const tm = await memory.beforeTurn(turn.npc, turn.player, turn.text);
    turn.memory = tm;
    if (tm.degraded) turn.memoryDegraded = true;
  } catch {
    turn.memoryDegraded = true;
  }
}

/**
 * Records a completed or cancelled turn and sends the `relationship` frame; resolves when the
 * turn may send its `end` (at most the memory timeout later). Never rejects.
 */
export async function rememberTurn(memory: MemoryService, turn: Turn, send: (frame: ServerFrame) => void): Promise<void> {
  const tm = turn.memory;
  if (!tm || (turn.status !== 'completed' && turn.status !== 'cancelled')) return;
  // Without cancel.heardMs, assume the client played audio as it arrived: heard ≈ time since the first audio frame.
  const estimate = turn.firstAudioAt === null ? 0 : performance.now() - turn.firstAudioAt;
  try {
    const r = await memory.afterTurn(tm, {
      id: turn.job,
      playerText: turn.text,
      replyText: turn.replyText,
      status: turn.status,
      spans: turn.spans,
      audioMs: turn.audioMs,
      heardMs: turn.status === 'cancelled' ? (turn.heardMs ?? estimate) : null,
      tier: turn.servedTier,
      proposed: turn.proposedCardDelta,
    });
    if (r.degraded) turn.memoryDegraded = true;
    if (r.relationship) send({ t: 'relationship', turn: turn.id, npc: turn.npc.id, player: turn.player, ...r.relationship });
  } catch {
    turn.memoryDegraded = true;
  }
}
