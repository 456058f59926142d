/**
 * The memory service: what the gateway calls around every turn, and what the HTTP routes use.
 *
 *   beforeTurn  → one hot read (one round trip) + the player's words embedded, in parallel; on a
 *                 miss, a cold read from the archive; then the prompt context is assembled.
 *   afterTurn   → card rules, fact extraction, eviction + summary when the hot window overflows,
 *                 then one write that updates hot memory and enqueues the archive record.
 *
 * Neither ever throws or waits longer than the memory timeout: when the store is unreachable the
 * turn goes on without memory and is marked degraded. The archive is never written here.
 */
import type { MemoryContext } from '@parley/protocol';
import type { Logger } from '../logger.js';
import { applyCardRules } from './card-rules.js';
import { assembleContext } from './context.js';
import type { Embedder } from './embedding/embedder.js';
import { extractFacts, PIN_IMPORTANCE } from './facts.js';
import { heardText, type SpokenSpan } from './heard-text.js';
import type { MemoryConfig } from './memory-config.js';
import type { MemoryMetrics } from './memory-metrics.js';
import { MemoryUnavailableError, type MemoryStore } from './store/memory-store.js';
import { summarizeTurns } from './summarize.js';
import type { ModelSummaries } from './model-summaries.js';
import type { ArchiveRecord, CardValues, ForgetCounts, HotState, MemoryItem, MemoryTurn, Pair, PairUpdate, RelationshipCard } from './types.js';

/** What the service needs from the archive: cold reads and deletion (never writes). */
export interface ArchiveReader {
  readPair(pair: Pair, opts: { turns: number; now: number; maxItems: number }): Promise<HotState | null>;
  forgetPlayer(player: string, now: number): Promise<{ turns: number; memories: number; cards: number }>;
}

export interface MemoryServiceDeps {
  store: MemoryStore;
  /** null until the archive is up; fresh() says whether it holds everything queued so far. */
  archive: () => { reader: ArchiveReader; fresh: boolean } | null;
  embedder: Embedder;
  config: MemoryConfig;
  log?: Logger;
  metrics?: MemoryMetrics;
  /** Summaries by a worker's dialogue model (PARLEY_MEMORY_SUMMARIZER=worker); absent: extractive only. */
  modelSummaries?: ModelSummaries;
}

export type StateSource = 'hot' | 'archive' | 'new' | 'provisional';

/** Memory carried by one turn from beforeTurn to afterTurn. */
export interface TurnMemory {
  pair: Pair;
  npcName: string;
  /** When the turn started (ms): its time in memory. */
  at: number;
  /** null when the store was unreachable: the turn runs without memory (degraded). */
  state: HotState | null;
  source: StateSource | null;
  /** The state came (partly) from the archive: the write replaces the stored turns and items. */
  reset: boolean;
  context: MemoryContext | null;
  degraded: boolean;
}

export interface TurnOutcome {
  /** Unique per turn (the gateway's job id). */
  id: string;
  playerText: string;
  replyText: string;
  status: 'completed' | 'cancelled';
  /** Reply text deltas with the audio position where each began (for barge-in cuts). */
  spans: readonly SpokenSpan[];
  audioMs: number;
  /** For cancelled turns: how much audio the player heard (cancel.heardMs or an estimate). */
  heardMs: number | null;
  tier: string | null;
  /** A model backend's proposed card change, if any. */
  proposed?: Partial<CardValues> | undefined;
}

export interface TurnRelationship {
  card: CardValues;
  delta: CardValues;
  conversations: number;
}

export interface AfterTurn {
  relationship: TurnRelationship | null;
  degraded: boolean;
}

export interface MemoryView {
  npc: string;
  player: string;
  source: 'hot' | 'archive' | 'none';
  card: RelationshipCard | null;
  turns: MemoryTurn[];
  summaries: Omit<MemoryItem, 'embedding'>[];
  facts: Omit<MemoryItem, 'embedding'>[];
}

export interface ForgetResult {
  player: string;
  hot: ForgetCounts;
  archive: { turns: number; memories: number; cards: number } | null;
}

const NPC_TEXT_MAX = 4000;
/** The most items a rebuilt pair brings back from the archive (newest first). */
const COLD_MAX_ITEMS = 500;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MemoryUnavailableError(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

const errMsg = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class MemoryService {
  constructor(private readonly deps: MemoryServiceDeps) {}

  get config(): MemoryConfig {
    return this.deps.config;
  }

  async beforeTurn(npc: { id: string; name: string }, player: string, text: string): Promise<TurnMemory> {
    const started = performance.now();
    const at = Date.now();
    const pair = { npc: npc.id, player };
    const cfg = this.deps.config;
    const [loaded, query] = await Promise.all([this.load(pair, at), this.deps.embedder.embed([text]).then((v) => v[0] ?? [], () => [] as number[])]);
    const tm: TurnMemory = { pair, npcName: npc.name, at, ...loaded, context: null };
    if (tm.state) tm.context = assembleContext(tm.state, query, { topK: cfg.topK, tokenBudget: cfg.tokenBudget, weights: cfg.weights, decayPerHour: cfg.decayPerHour, now: at });
    this.deps.metrics?.read.observe({ source: tm.source ?? 'unavailable' }, (performance.now() - started) / 1000);
    if (tm.degraded) this.deps.metrics?.degraded.inc({ stage: 'read' });
    return tm;
  }

  /** The pair's state: hot store first; on a miss (or a provisional card) the archive. */
  private async load(pair: Pair, now: number): Promise<Pick<TurnMemory, 'state' | 'source' | 'reset' | 'degraded'>> {
    const cfg = this.deps.config;
    let hot: HotState | null;
    try {
      hot = await withTimeout(this.deps.store.read(pair, now), cfg.timeoutMs, 'memory read');
    } catch (err) {
      this.deps.log?.debug({ err: errMsg(err), npc: pair.npc }, 'memory read failed; turn continues without memory');
      return { state: null, source: null, reset: false, degraded: true };
    }
    if (hot?.card && !hot.card.provisional) return { state: hot, source: 'hot', reset: false, degraded: false };

    const archived = await this.coldRead(pair, now);
    if (archived === 'unavailable') {
      return { state: hot ?? { card: null, turns: [], items: [] }, source: 'provisional', reset: false, degraded: false };
    }
    if (archived === null) {
      // The archive has never seen this pair: whatever hot holds (a provisional card) is the truth.
      const state = hot ? { ...hot, card: hot.card ? { ...hot.card, provisional: false } : null } : { card: null, turns: [], items: [] };
      return { state, source: hot ? 'hot' : 'new', reset: false, degraded: false };
    }
    if (!hot) return { state: archived, source: 'archive', reset: true, degraded: false };
    // A provisional pair meets its archived past: the archived card wins, turns and items are merged.
    const turns = new Map<string, MemoryTurn>();
    for (const t of [...archived.turns, ...hot.turns]) turns.set(t.id, t);
    const items = new Map<string, MemoryItem>();
    for (const i of [...archived.items, ...hot.items]) items.set(i.id, i);
    const merged: HotState = {
      card: archived.card ?? (hot.card ? { ...hot.card, provisional: false } : null),
      turns: [...turns.values()].sort((a, b) => a.at - b.at).slice(-cfg.hotTurnsMax),
      items: [...items.values()],
    };
    return { state: merged, source: 'archive', reset: true, degraded: false };
  }

  /** The archive's view of a pair: null = never seen; 'unavailable' = cannot tell right now. */
  private async coldRead(pair: Pair, now: number): Promise<HotState | null | 'unavailable'> {
    const archive = this.deps.archive();
    // An archive still draining its backlog would hand back an out-of-date card.
    if (!archive || !archive.fresh) return 'unavailable';
    try {
      const cfg = this.deps.config;
      const state = await withTimeout(archive.reader.readPair(pair, { turns: cfg.hotTurnsMax, now, maxItems: COLD_MAX_ITEMS }), cfg.timeoutMs, 'archive read');
      this.deps.metrics?.coldReads.inc({ result: state ? 'found' : 'new' });
      return state;
    } catch (err) {
      this.deps.metrics?.coldReads.inc({ result: 'unavailable' });
      this.deps.log?.debug({ err: errMsg(err) }, 'archive read failed; pair continues with a provisional card');
      return 'unavailable';
    }
  }

  async afterTurn(tm: TurnMemory, outcome: TurnOutcome): Promise<AfterTurn> {
    const cfg = this.deps.config;
    const heardMs = outcome.status === 'cancelled' ? outcome.heardMs : null;
    const npcText = (outcome.status === 'completed' ? outcome.replyText : heardText(outcome.spans, outcome.audioMs, heardMs)).slice(0, NPC_TEXT_MAX);
    const turn: MemoryTurn = { id: outcome.id, at: tm.at, playerText: outcome.playerText, npcText, status: outcome.status };
    const base = { npc: tm.pair.npc, player: tm.pair.player, turn: { ...turn, heardMs, tier: outcome.tier } };

    if (!tm.state) {
      // No state to build on: still try to get the turn into the archive.
      await withTimeout(this.deps.store.enqueue({ ...base, card: null, items: [] }), cfg.timeoutMs, 'archive enqueue').catch(() => {});
      return { relationship: null, degraded: true };
    }

    const facts = extractFacts(outcome.playerText, tm.pair, tm.npcName);
    const rules = applyCardRules({
      card: tm.state.card,
      playerText: outcome.playerText,
      status: outcome.status,
      at: tm.at,
      conversationGapMs: cfg.conversationGapMs,
      pin: facts.filter((f) => f.importance >= PIN_IMPORTANCE).map((f) => f.text),
      proposed: outcome.proposed,
    });
    const card: RelationshipCard = { ...rules.card };
    if (tm.source === 'provisional') card.provisional = true;
    else delete card.provisional;

    const all = [...tm.state.turns, turn];
    const evict = all.length > cfg.hotTurnsMax ? all.length - cfg.hotTurnsMin : 0;
    const evicted = all.slice(0, evict);
    let summary = evict > 0 ? summarizeTurns(evicted, tm.pair, tm.npcName) : null;
    const modelText = summary ? this.deps.modelSummaries?.take(tm.pair, evicted) : null;
    if (summary && modelText) summary = { ...summary, text: modelText };
    const texts = [...facts.map((f) => f.text), ...(summary ? [summary.text] : [])];
    let embeddings: number[][] = [];
    try {
      embeddings = texts.length ? await this.deps.embedder.embed(texts) : [];
    } catch (err) {
      this.deps.log?.warn({ err: errMsg(err) }, 'embedding failed; memories stored without relevance');
      embeddings = texts.map(() => []);
    }
    // float32 precision is all the archive's real[] keeps; shorter numbers keep queue records small.
    embeddings = embeddings.map((v) => v.map((x) => Number(x.toPrecision(6))));
    const expiresAt = tm.at + cfg.windowMs;
    const items: MemoryItem[] = facts.map((f, i) => ({ id: f.id, kind: 'fact', text: f.text, importance: f.importance, at: tm.at, expiresAt, embedding: embeddings[i] ?? [], sourceTurns: [turn.id] }));
    if (summary) items.push({ id: summary.id, kind: 'summary', text: summary.text, importance: summary.importance, at: tm.at, expiresAt, embedding: embeddings[facts.length] ?? [], sourceTurns: summary.sourceTurns });

    const update: PairUpdate = { card, reset: tm.reset ? { turns: tm.state.turns, items: tm.state.items } : null, append: [turn], evict, addItems: items, ttlMs: cfg.windowMs };
    const record: ArchiveRecord = { ...base, card, items };
    try {
      await withTimeout(this.deps.store.write(tm.pair, update, record), cfg.timeoutMs, 'memory write');
    } catch (err) {
      this.deps.log?.debug({ err: errMsg(err) }, 'memory write failed; turn not remembered');
      this.deps.metrics?.degraded.inc({ stage: 'write' });
      return { relationship: null, degraded: true };
    }
    // The hot window is full: the next turn evicts these, so have them summarized meanwhile.
    const kept = all.slice(evict);
    if (this.deps.modelSummaries && kept.length >= cfg.hotTurnsMax) this.deps.modelSummaries.prefetch(tm.pair, tm.npcName, kept.slice(0, kept.length + 1 - cfg.hotTurnsMin));
    const { trust, respect, familiarity, affinity } = card;
    return { relationship: { card: { trust, respect, familiarity, affinity }, delta: rules.delta, conversations: card.conversations }, degraded: false };
  }

  /** Everything memory holds about a pair (hot store first, else the archive), without embeddings. */
  async view(pair: Pair): Promise<MemoryView> {
    const now = Date.now();
    let state = await withTimeout(this.deps.store.read(pair, now), this.deps.config.timeoutMs * 4, 'memory read');
    let source: MemoryView['source'] = state ? 'hot' : 'none';
    if (!state || state.card?.provisional) {
      const archive = this.deps.archive();
      const archived = archive ? await archive.reader.readPair(pair, { turns: this.deps.config.hotTurnsMax, now, maxItems: COLD_MAX_ITEMS }) : null;
      if (archived) {
        state = archived;
        source = 'archive';
      }
    }
    const strip = ({ embedding: _e, ...rest }: MemoryItem) => rest;
    const items = [...(state?.items ?? [])].sort((a, b) => b.at - a.at);
    return {
      npc: pair.npc,
      player: pair.player,
      source,
      card: state?.card ?? null,
      turns: state?.turns ?? [],
      summaries: items.filter((i) => i.kind === 'summary').map(strip),
      facts: items.filter((i) => i.kind === 'fact').map(strip),
    };
  }

  /**
   * Right to be forgotten: deletes the player from the archive (leaving a tombstone so queued
   * records made before now are dropped) and from the hot store. Throws when the archive is
   * configured but unreachable, after clearing hot memory, so the caller can ask for a retry.
   */
  async forgetPlayer(player: string): Promise<ForgetResult> {
    const now = Date.now();
    const archive = this.deps.archive();
    let archived: ForgetResult['archive'] = null;
    let archiveError: unknown = null;
    if (archive) archived = await archive.reader.forgetPlayer(player, now).catch((err: unknown) => ((archiveError = err), null));
    const hot = await this.deps.store.forgetPlayer(player);
    if (!archive || archiveError) throw new ArchiveUnavailableError(`hot memory of ${JSON.stringify(player)} was deleted, but the archive is unavailable (${archiveError ? errMsg(archiveError) : 'starting'}); retry`, { player, hot, archive: null });
    return { player, hot, archive: archived };
  }

}

export class ArchiveUnavailableError extends Error {
  override name = 'ArchiveUnavailableError';
  constructor(
    message: string,
    readonly partial: ForgetResult,
  ) {
    super(message);
  }
}
