/**
 * One sequence's generation state: its tokens, sampler, streaming detokenizer and stop-string
 * matcher. `accept` turns a row of logits into the next token and the text it adds, and decides
 * when the sequence is finished (end-of-sequence token, stop string, token limit, context full).
 */
import { IncrementalDetokenizer, type DecodeFn } from './incremental-detokenizer.js';
import { Sampler, type SamplingParams } from './sampler.js';
import { StopMatcher } from './stop-matcher.js';

export type FinishReason = 'stop' | 'length' | 'cancelled' | 'error';

export interface GenerateRequest {
  id: number;
  promptIds: readonly number[];
  sampling: SamplingParams;
  maxNewTokens: number;
  /** Text that ends the reply (not included in it). */
  stop?: readonly string[];
  /** Keep going past end-of-sequence tokens (benchmarks: fixed-length replies). */
  ignoreEos?: boolean;
}

export interface SequenceContext {
  decode: DecodeFn;
  eosIds: ReadonlySet<number>;
  maxContext: number;
}

export class Sequence {
  readonly id: number;
  readonly promptLen: number;
  readonly tokens: number[];
  /** Row in the engine's KV batch while running. */
  row = -1;
  generated = 0;
  finish: FinishReason | undefined;
  error: string | undefined;
  readonly submittedAt = performance.now();
  firstTokenAt: number | undefined;
  /** Distinct ids in the sequence (for the repetition penalty): a set for membership, an array to iterate fast. */
  private readonly seen: Set<number>;
  private readonly seenList: number[];
  private readonly sampler: Sampler;
  private readonly detok: IncrementalDetokenizer;
  private readonly stop: StopMatcher;

  constructor(
    private readonly req: GenerateRequest,
    private readonly ctx: SequenceContext,
  ) {
    this.id = req.id;
    this.tokens = [...req.promptIds];
    this.promptLen = this.tokens.length;
    this.seen = new Set(this.tokens);
    this.seenList = [...this.seen];
    this.sampler = new Sampler(req.sampling);
    this.detok = new IncrementalDetokenizer(ctx.decode, this.tokens);
    this.stop = new StopMatcher(req.stop ?? []);
  }

  get done(): boolean {
    return this.finish !== undefined;
  }

  /** The last sampled token: fed to the model next (it is not in the KV cache yet). */
  get pending(): number {
    return this.tokens[this.tokens.length - 1]!;
  }

  /** Samples the next token from `logits`; returns the text that may be streamed now. */
  accept(logits: Float32Array): string {
    const t = this.sampler.sample(logits, this.seenList);
    this.firstTokenAt ??= performance.now();
    if (this.ctx.eosIds.has(t) && !this.req.ignoreEos) {
      this.finish = 'stop';
      return this.drain();
    }
    this.tokens.push(t);
    if (!this.seen.has(t)) {
      this.seen.add(t);
      this.seenList.push(t);
    }
    this.generated++;
    const r = this.stop.push(this.detok.push(t));
    if (r.stopped) {
      this.finish = 'stop';
      return r.emit;
    }
    if (this.generated >= this.req.maxNewTokens || this.tokens.length >= this.ctx.maxContext) {
      this.finish = 'length';
      return r.emit + this.drain();
    }
    return r.emit;
  }

  cancel(): void {
    this.finish ??= 'cancelled';
  }

  fail(message: string): void {
    this.finish = 'error';
    this.error = message;
  }

  /** The reply ended: whatever the detokenizer and stop matcher still hold is text. */
  private drain(): string {
    const r = this.stop.push(this.detok.flush());
    return r.stopped ? r.emit : r.emit + this.stop.flush();
  }
}
