/**
 * The embedded default store: hot context and the 30-day window in this process's memory,
 * archive records in a local journal (journal-queue.ts). Reads and writes cost microseconds.
 *
 * Bounded: at most `maxPairs` pairs are kept (least recently used leave first) and a pair not
 * written for `ttlMs` is dropped; a dropped or restarted pair is rebuilt from the archive by the
 * memory service (a "cold read"), so nothing is forgotten, only moved back to disk.
 */
import { applyUpdate } from './pair-state.js';
import type { JournalQueue } from './journal-queue.js';
import type { MemoryStore } from './memory-store.js';
import type { ArchiveRecord, ForgetCounts, HotState, Pair, PairUpdate } from '../types.js';

interface Entry {
  state: HotState;
  expiresAt: number;
}

const keyOf = (p: Pair) => `${p.npc}\u001f${p.player}`;

export class EmbeddedStore implements MemoryStore {
  readonly kind = 'embedded' as const;
  private readonly pairs = new Map<string, Entry>();
  private readonly byPlayer = new Map<string, Set<string>>();

  constructor(
    readonly queue: JournalQueue,
    private readonly maxPairs = 100_000,
  ) {}

  async read(pair: Pair, now: number): Promise<HotState | null> {
    const key = keyOf(pair);
    const e = this.pairs.get(key);
    if (!e) return null;
    if (e.expiresAt <= now) {
      this.drop(pair);
      return null;
    }
    // Least-recently-used order: re-insert on access.
    this.pairs.delete(key);
    this.pairs.set(key, e);
    const items = e.state.items.filter((i) => i.expiresAt > now);
    return { card: e.state.card, turns: [...e.state.turns], items };
  }

  async write(pair: Pair, update: PairUpdate, record: ArchiveRecord): Promise<void> {
    this.queue.append(record);
    const now = record.turn.at;
    const key = keyOf(pair);
    const prev = this.pairs.get(key);
    this.pairs.delete(key);
    this.pairs.set(key, { state: applyUpdate(prev?.state ?? null, update, now), expiresAt: now + update.ttlMs });
    let npcs = this.byPlayer.get(pair.player);
    if (!npcs) this.byPlayer.set(pair.player, (npcs = new Set()));
    npcs.add(pair.npc);
    while (this.pairs.size > this.maxPairs) {
      const oldest = this.pairs.keys().next().value as string;
      const [npc, player] = oldest.split('\u001f') as [string, string];
      this.drop({ npc, player });
    }
  }

  async enqueue(record: ArchiveRecord): Promise<void> {
    this.queue.append(record);
  }

  async forgetPlayer(player: string): Promise<ForgetCounts> {
    const counts: ForgetCounts = { pairs: 0, turns: 0, items: 0 };
    for (const npc of this.byPlayer.get(player) ?? []) {
      const e = this.pairs.get(keyOf({ npc, player }));
      if (!e) continue;
      counts.pairs++;
      counts.turns += e.state.turns.length;
      counts.items += e.state.items.length;
      this.pairs.delete(keyOf({ npc, player }));
    }
    this.byPlayer.delete(player);
    return counts;
  }

  async ready(): Promise<boolean> {
    return true;
  }

  get size(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  private drop(pair: Pair): void {
    this.pairs.delete(keyOf(pair));
    const npcs = this.byPlayer.get(pair.player);
    npcs?.delete(pair.npc);
    if (npcs?.size === 0) this.byPlayer.delete(pair.player);
  }
}
