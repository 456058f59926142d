/** Shared steps of the cross-process memory tests: one turn over a raw client, HTTP calls with the stack's token. */
import type { EndFrame, RelationshipFrame, ServerFrame } from '@parley/protocol';
import type { Stack } from '../../tools/src/start/stack.js';
import type { RawClient } from '../helpers/raw-client.js';

let n = 0;

export interface TurnResult {
  frames: ServerFrame[];
  end: EndFrame;
  relationship: RelationshipFrame | undefined;
}

/** Says `text` as `player` to `npc` and resolves with the turn's frames once its end arrived. */
export async function say(c: RawClient, npc: string, player: string, text: string): Promise<TurnResult> {
  const turn = `m${++n}`;
  c.send({ t: 'say', turn, npc, player, text });
  const end = (await c.waitFor((f) => f.t === 'end' && f.turn === turn, 20_000)) as EndFrame;
  const frames = c.framesOf(turn);
  return { frames, end, relationship: frames.find((f): f is RelationshipFrame => f.t === 'relationship') };
}

export async function http(stack: Stack, method: string, path: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${stack.token}` } });
  return { status: r.status, body: await r.json() };
}

export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
