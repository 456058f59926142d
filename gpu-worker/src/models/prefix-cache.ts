/**
 * Prompt prefix cache (the idea of vLLM's automatic prefix caching and SGLang's RadixAttention,
 * kept simple): the KV cache of recently prefilled prompts, so a new prompt that starts with the
 * same tokens skips computing them. Every prompt for one NPC starts with the same rendered persona
 * (system prompt and chat-template header), and a player's next turn repeats the conversation so
 * far, so on CPU — where prefill is compute-bound — this removes most of a prompt's prefill.
 *
 * Keys and values at position i depend only on tokens 0..i (causal attention), so any cached
 * prompt sharing the first n tokens with a new one provides its first n positions exactly.
 * Entries are whole prompts (one row, no padding), least recently used first out once the byte
 * budget is exceeded. Lookup scans the entries (a few hundred at most within any sensible budget;
 * microseconds beside a prefill of milliseconds), so no trie is needed.
 */
import { allocKv, kvBytesPerToken, type KvArray, type KvBatch, type KvGeometry } from './kv-batch.js';

/** What the worker keeps unless PARLEY_MODEL_PREFIX_CACHE_MB says otherwise. */
export const DEFAULT_PREFIX_CACHE_MB = 256;

export interface PrefixHit {
  /** Cached positions reused. */
  tokens: number;
  /** One row of `tokens` positions, a fresh copy (safe to feed to the model as past). */
  kv: KvBatch;
}

export interface PrefixCacheStats {
  lookups: number;
  hits: number;
  /** Prompt tokens served from the cache instead of being computed. */
  reusedTokens: number;
  entries: number;
  bytes: number;
}

interface Entry {
  tokens: Int32Array;
  kv: KvBatch;
  bytes: number;
}

export class PrefixCache {
  /** Insertion order = recency (a hit moves its entry to the end). */
  private readonly entries = new Map<number, Entry>();
  private nextKey = 0;
  private bytes = 0;
  private lookups = 0;
  private hits = 0;
  private reusedTokens = 0;

  /**
   * @param budgetBytes most bytes of cached keys and values kept.
   * @param minTokens shortest prefix worth reusing (below it, copying beats nothing).
   */
  constructor(
    private readonly geometry: KvGeometry,
    private readonly budgetBytes: number,
    private readonly minTokens = 16,
  ) {}

  /** Whether `lookup(prompt)` would find a prefix worth reusing (no bookkeeping). */
  covers(prompt: readonly number[]): boolean {
    return this.longest(prompt)[0] >= this.minTokens;
  }

  /** Whether a prompt of this many tokens would be kept (worth copying its rows out of a batch). */
  wants(tokens: number): boolean {
    return tokens >= this.minTokens && tokens * kvBytesPerToken(this.geometry) <= this.budgetBytes;
  }

  /** The longest cached prefix of `prompt`, leaving at least its last token to compute (its logits pick the first reply token). */
  lookup(prompt: readonly number[]): PrefixHit | undefined {
    this.lookups++;
    const [bestLen, key, entry] = this.longest(prompt);
    if (entry === undefined || bestLen < this.minTokens) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    this.reusedTokens += bestLen;
    return { tokens: bestLen, kv: takePrefix(this.geometry, entry.kv, bestLen) };
  }

  private longest(prompt: readonly number[]): [number, number, Entry | undefined] {
    let best: [number, number, Entry | undefined] = [0, -1, undefined];
    const limit = prompt.length - 1;
    for (const [key, e] of this.entries) {
      const max = Math.min(limit, e.tokens.length);
      let n = 0;
      while (n < max && e.tokens[n] === prompt[n]) n++;
      if (n > best[0]) best = [n, key, e];
    }
    return best;
  }

  /** Remembers a prompt's KV cache if it is one row of exactly `prompt.length` positions (what a single-prompt prefill returns). */
  insert(prompt: readonly number[], kv: KvBatch): void {
    if (kv.rows !== 1 || kv.pastLen !== prompt.length || kv.lens[0] !== prompt.length) return;
    if (!this.wants(prompt.length)) return;
    const bytes = prompt.length * kvBytesPerToken(this.geometry);
    // An entry the new prompt extends (or repeats) adds nothing once the new one is stored.
    for (const [key, e] of this.entries) {
      if (e.tokens.length <= prompt.length && e.tokens.every((t, i) => t === prompt[i])) {
        this.entries.delete(key);
        this.bytes -= e.bytes;
      }
    }
    this.entries.set(this.nextKey++, { tokens: Int32Array.from(prompt), kv, bytes });
    this.bytes += bytes;
    for (const [key, e] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(key);
      this.bytes -= e.bytes;
    }
  }

  get stats(): PrefixCacheStats {
    return { lookups: this.lookups, hits: this.hits, reusedTokens: this.reusedTokens, entries: this.entries.size, bytes: this.bytes };
  }
}

/** The first `n` positions of a one-row, unpadded KV batch, copied. */
export function takePrefix(g: KvGeometry, kv: KvBatch, n: number): KvBatch {
  const { kvHeads: H, headDim: D } = g;
  const P = kv.pastLen;
  const data: KvArray[] = kv.data.map((src) => {
    const out = allocKv(g.kvType, H * n * D);
    for (let h = 0; h < H; h++) out.set(src.subarray(h * P * D, (h * P + n) * D), h * n * D);
    return out;
  });
  return { rows: 1, pastLen: n, lens: [n], data };
}
