/**
 * Summaries written by a worker's dialogue model, fetched ahead of time. When a pair's hot
 * window is full, the turns the *next* turn will evict are known, so their summary is requested
 * in the background right away; at eviction it replaces the extractive summary if it has
 * arrived. The reply path never waits for a model: a summary that is late, failed or fetched by
 * another gateway leaves the extractive one in place.
 */
import type { MemoryTurn, Pair } from './types.js';

export type Summarizer = (req: { npc: string; npcName: string; turns: { role: 'player' | 'npc'; text: string }[] }) => Promise<string>;

interface Entry {
  ids: string;
  text: string | null;
}

const MAX_PENDING = 10_000;
const pairKey = (p: Pair) => `${p.npc}\u0000${p.player}`;
const idsOf = (turns: readonly MemoryTurn[]) => turns.map((t) => t.id).join(',');

export class ModelSummaries {
  private readonly entries = new Map<string, Entry>();
  readonly stats = { requested: 0, used: 0, failed: 0 };

  constructor(
    private readonly summarize: Summarizer,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Starts summarizing `turns` (oldest first) for when they leave the hot window. */
  prefetch(pair: Pair, npcName: string, turns: readonly MemoryTurn[]): void {
    if (turns.length === 0) return;
    const key = pairKey(pair);
    const ids = idsOf(turns);
    if (this.entries.get(key)?.ids === ids) return;
    if (this.entries.size >= MAX_PENDING) this.entries.delete(this.entries.keys().next().value!);
    const entry: Entry = { ids, text: null };
    this.entries.set(key, entry);
    this.stats.requested++;
    const dialogue = turns.flatMap((t) => [
      { role: 'player' as const, text: t.playerText },
      ...(t.npcText ? [{ role: 'npc' as const, text: t.npcText }] : []),
    ]);
    this.summarize({ npc: pair.npc, npcName, turns: dialogue }).then(
      (text) => {
        const clean = text.replace(/\s+/g, ' ').trim();
        if (clean) entry.text = clean;
      },
      (err: unknown) => {
        this.stats.failed++;
        if (this.entries.get(key) === entry) this.entries.delete(key);
        this.onError(err);
      },
    );
  }

  /** The model's summary of exactly these turns, if it is ready; consumed once. */
  take(pair: Pair, evicted: readonly MemoryTurn[]): string | null {
    const key = pairKey(pair);
    const entry = this.entries.get(key);
    if (!entry || entry.ids !== idsOf(evicted) || entry.text === null) return null;
    this.entries.delete(key);
    this.stats.used++;
    return entry.text;
  }
}
