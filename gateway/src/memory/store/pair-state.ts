/** Applying a PairUpdate to plain state: shared by the embedded store and the Redis script's tests. */
import type { HotState, MemoryItem, PairUpdate } from '../types.js';

export function applyUpdate(state: HotState | null, update: PairUpdate, now: number): HotState {
  const turns = update.reset ? [...update.reset.turns] : [...(state?.turns ?? [])];
  const items = new Map<string, MemoryItem>((update.reset ? update.reset.items : (state?.items ?? [])).map((i) => [i.id, i]));
  turns.push(...update.append);
  if (update.evict > 0) turns.splice(0, Math.min(update.evict, turns.length));
  for (const item of update.addItems) items.set(item.id, item);
  for (const [id, item] of items) if (item.expiresAt <= now) items.delete(id);
  return { card: update.card, turns, items: [...items.values()] };
}
