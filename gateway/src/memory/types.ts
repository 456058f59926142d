/**
 * The data NPC memory is made of. Plain JSON-safe objects: they travel through Redis, the
 * archive queue and PostgreSQL unchanged. Times are Unix epoch milliseconds.
 */

/** Who remembers whom: one NPC's memory of one player. */
export interface Pair {
  npc: string;
  player: string;
}

/**
 * How an NPC feels about a player. trust, respect and affinity run −1..1 (0 = neutral),
 * familiarity 0..1 (0 = stranger). See docs/memory.md for the rules that move them.
 */
export interface CardValues {
  trust: number;
  respect: number;
  familiarity: number;
  affinity: number;
}

export interface RelationshipCard extends CardValues {
  /** When they first spoke (ms). */
  firstMetAt: number;
  /** When they last spoke (ms). */
  lastMetAt: number;
  /** Conversations: a new one starts after a gap of PARLEY_MEMORY_CONVERSATION_GAP_MS. */
  conversations: number;
  /** Turns ever recorded for this pair. */
  turns: number;
  /** A few facts the NPC keeps in mind every turn (the most important ones, newest first). */
  pinned: string[];
  updatedAt: number;
  /**
   * Made while the archive could not be asked whether the pair already had a card (e.g. it was
   * down). Replaced by the archived card as soon as the archive answers; never overwrites a
   * confirmed card in the archive.
   */
  provisional?: boolean;
}

/** One exchange as memory keeps it: what the player said and what the player heard. */
export interface MemoryTurn {
  /** Gateway-assigned unique id (the job id): the archive's idempotency key. */
  id: string;
  at: number;
  playerText: string;
  /** The NPC's reply as heard: cut at the barge-in point for cancelled turns. */
  npcText: string;
  status: 'completed' | 'cancelled';
}

/** A vector; see MemoryItem.embedding. */
export type Embedding = readonly number[] | Int8Array;

export type MemoryKind = 'summary' | 'fact';

/** A summary of evicted turns or a salient fact, kept for the 30-day window and archived forever. */
export interface MemoryItem {
  /** Deterministic (derived from its source), so a retried write cannot duplicate it. */
  id: string;
  kind: MemoryKind;
  text: string;
  /** 1 (mundane) .. 10 (life-changing). */
  importance: number;
  at: number;
  expiresAt: number;
  /**
   * Embedding of `text`: unit length as an embedder makes it; read back from Redis it is the
   * stored int8 quantization (same direction, not unit length). Compare with `cosine()`, which
   * normalises, so both forms rank alike.
   */
  embedding: Embedding;
  sourceTurns: string[];
}

/** What a turn needs from memory: the pair's card, recent turns and 30-day items. */
export interface HotState {
  card: RelationshipCard | null;
  /** Oldest first. */
  turns: MemoryTurn[];
  /** Unexpired summaries and facts. */
  items: MemoryItem[];
}

/** One durable archive record: everything a finished turn changed, written by the archiver. */
export interface ArchiveRecord {
  npc: string;
  player: string;
  turn: MemoryTurn & { heardMs: number | null; tier: string | null };
  /** Card after the turn; null when it could not be computed (memory was unavailable). */
  card: RelationshipCard | null;
  items: MemoryItem[];
}

/** A change to one pair's hot state, applied in one round trip together with enqueueing the archive record. */
export interface PairUpdate {
  card: RelationshipCard;
  /** Replace the stored turns and items with these first (rehydration from the archive). */
  reset: { turns: MemoryTurn[]; items: MemoryItem[] } | null;
  append: MemoryTurn[];
  /** Drop this many of the oldest stored turns (after `reset` and `append`). */
  evict: number;
  addItems: MemoryItem[];
  /** Pair keys live this long after the last write. */
  ttlMs: number;
}

/** Counts of what a right-to-be-forgotten request removed. */
export interface ForgetCounts {
  pairs: number;
  turns: number;
  items: number;
}
