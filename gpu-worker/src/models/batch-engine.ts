/**
 * Continuous batching (iteration-level scheduling, as in Orca and vLLM): between two decode
 * steps, finished and cancelled sequences leave the batch and waiting ones join it after their
 * prefill. Each step:
 *
 *   1. drop rows that finished or were cancelled since the last step;
 *   2. admit waiting sequences (up to `maxBatch` rows and `maxPrefillTokens` prompt tokens per
 *      step), prefill them and sample their first token;
 *   3. if the membership changed, repack the KV cache from the surviving and new rows;
 *   4. run one decode step for every row and sample each row's next token.
 *
 * Every sequence keeps its own sampler, detokenizer and stop strings, and its KV rows never mix
 * with another's, so what a sequence produces does not depend on who shares its batch.
 * The engine is plain async code with no thread of its own: the model thread drives it.
 */
import { packRows, type KvBatch, type RowSource } from './kv-batch.js';
import type { ModelRunner, RunOutput } from './model-runner.js';
import { PrefixCache } from './prefix-cache.js';
import { Sequence, type FinishReason, type GenerateRequest, type SequenceContext } from './sequence.js';

export interface EngineOptions extends SequenceContext {
  /** Most sequences decoded together. */
  maxBatch: number;
  /** Most prompt tokens prefilled in one step (at least one prompt is always admitted), so decoding goes on between prefills. */
  maxPrefillTokens: number;
  /**
   * Prefill the step's prompts in one padded batch (good on GPUs) instead of one run each (the
   * default: on CPUs prefill is compute-bound, so batching gains nothing and padding costs).
   */
  prefillTogether?: boolean;
  /**
   * Bytes of prompt KV cache kept for reuse by later prompts with the same beginning (see
   * prefix-cache.ts); 0 or absent turns it off.
   */
  prefixCacheBytes?: number;
}

export interface FinishedSequence {
  id: number;
  reason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  /** From submission to the first sampled token, ms. */
  firstTokenMs: number | undefined;
  /** The generated token ids (for tests and benchmarks; not sent across threads). */
  tokenIds: number[];
  error?: string;
}

export interface StepReport {
  /** [sequence id, text] in the order produced. */
  deltas: Array<[number, string]>;
  finished: FinishedSequence[];
  /** Rows decoded this step. */
  batch: number;
  /** Prompts prefilled this step. */
  prefilled: number;
}

export interface EngineStats {
  steps: number;
  decodeSteps: number;
  tokens: number;
  /** Wall time inside step(), ms. */
  stepMs: number;
  /** Part of stepMs spent in session.run. */
  runMs: number;
  /** Wall time of prefills (run, first-token sampling) and of decode steps (feeds, run, sampling, detokenizing), ms. */
  prefillMs: number;
  decodeMs: number;
  /** Part of decodeMs spent in session.run. */
  decodeRunMs: number;
  repacks: number;
  /** Prompt tokens computed by prefills, and prompt tokens taken from the prefix cache instead. */
  prefillTokens: number;
  prefixReusedTokens: number;
}

export class BatchEngine {
  private readonly waiting: Sequence[] = [];
  /** Being prefilled right now (cancel must find them too). */
  private joining: Sequence[] = [];
  private running: Sequence[] = [];
  private kv: KvBatch | undefined;
  /** Finished outside a step (cancelled while waiting); reported by the next step. */
  private readonly finishedOutside: FinishedSequence[] = [];
  readonly stats: EngineStats = { steps: 0, decodeSteps: 0, tokens: 0, stepMs: 0, runMs: 0, prefillMs: 0, decodeMs: 0, decodeRunMs: 0, repacks: 0, prefillTokens: 0, prefixReusedTokens: 0 };
  private readonly prefixes: PrefixCache | undefined;

  constructor(
    private readonly runner: ModelRunner,
    private readonly opts: EngineOptions,
  ) {
    if (opts.prefixCacheBytes && opts.prefixCacheBytes > 0) this.prefixes = new PrefixCache(runner.geometry, opts.prefixCacheBytes);
  }

  get hasWork(): boolean {
    return this.waiting.length > 0 || this.running.length > 0 || this.finishedOutside.length > 0;
  }

  get size(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.running.length + this.joining.length };
  }

  submit(req: GenerateRequest): void {
    if (req.promptIds.length === 0) throw new RangeError('empty prompt');
    if (req.promptIds.length >= this.opts.maxContext) throw new RangeError(`prompt of ${req.promptIds.length} tokens does not fit the context of ${this.opts.maxContext}`);
    this.waiting.push(new Sequence(req, this.opts));
  }

  /** Cancels a sequence; it leaves the batch before the next decode step. Returns false if unknown or already done. */
  cancel(id: number): boolean {
    const w = this.waiting.findIndex((s) => s.id === id);
    if (w >= 0) {
      const [s] = this.waiting.splice(w, 1);
      s!.cancel();
      this.finishedOutside.push(report(s!));
      return true;
    }
    const r = this.running.find((s) => s.id === id) ?? this.joining.find((s) => s.id === id);
    if (!r || r.done) return false;
    r.cancel();
    return true;
  }

  async step(): Promise<StepReport> {
    const t0 = performance.now();
    const runBefore = this.runner.runMs;
    const out: StepReport = { deltas: [], finished: this.finishedOutside.splice(0), batch: 0, prefilled: 0 };
    const accept = (s: Sequence, logits: Float32Array) => {
      const text = s.accept(logits);
      if (text) out.deltas.push([s.id, text]);
      this.stats.tokens++;
    };

    // 1. Leave: rows that finished last step (already reported) or were cancelled since (reported now).
    const kept = this.running.filter((s) => !s.done);
    for (const s of this.running) if (s.finish === 'cancelled') out.finished.push(report(s));
    let changed = kept.length !== this.running.length;
    this.running = kept;

    // 2. Join: prefill waiting prompts that fit, and sample their first token.
    const joiners = (this.joining = this.admit(kept.length));
    const joinKv = new Map<Sequence, KvBatch>();
    if (joiners.length > 0) {
      changed = true;
      out.prefilled = joiners.length;
      const p0 = performance.now();
      for (const group of this.prefillGroups(joiners)) {
        if (group.every((s) => s.done)) continue; // cancelled while an earlier prompt was prefilled
        try {
          const r = group.length === 1 ? await this.prefillOne(group[0]!) : await this.prefillBatch(group);
          group.forEach((s, i) => {
            s.row = i;
            joinKv.set(s, r.kv);
            if (!s.done) accept(s, r.logits[i]!);
          });
        } catch (e) {
          for (const s of group) if (!s.done) s.fail(errorText(e));
        }
      }
      this.joining = [];
      this.stats.prefillMs += performance.now() - p0;
    }
    const alive = joiners.filter((s) => !s.done);
    for (const s of joiners) if (s.done) out.finished.push(report(s));

    // 3. Repack the KV cache when membership changed (the only copy of cached keys and values).
    if (changed) {
      const sources: RowSource[] = [...this.running.map((s) => ({ from: this.kv!, row: s.row })), ...alive.map((s) => ({ from: joinKv.get(s)!, row: s.row }))];
      this.running = [...this.running, ...alive];
      this.running.forEach((s, i) => (s.row = i));
      this.kv = sources.length > 0 ? packRows(this.runner.geometry, sources) : undefined;
      if (sources.length > 0) this.stats.repacks++;
    }

    // 4. Decode one token for every row.
    if (this.running.length > 0 && this.kv) {
      out.batch = this.running.length;
      const d0 = performance.now();
      const r0 = this.runner.runMs;
      try {
        const r = await this.runner.decode(this.kv, this.running.map((s) => s.pending));
        this.kv = r.kv;
        // A row cancelled while the step ran drops its token; it leaves next step.
        this.running.forEach((s, i) => {
          if (!s.done) accept(s, r.logits[i]!);
        });
        this.stats.decodeSteps++;
        this.stats.decodeMs += performance.now() - d0;
        this.stats.decodeRunMs += this.runner.runMs - r0;
      } catch (e) {
        // The cache may be inconsistent now: fail every row and start the batch afresh.
        for (const s of this.running) {
          if (!s.done) s.fail(errorText(e));
          out.finished.push(report(s));
        }
        this.running = [];
        this.kv = undefined;
      }
    }
    for (const s of this.running) if (s.done && s.finish !== 'cancelled') out.finished.push(report(s));
    this.stats.steps++;
    this.stats.stepMs += performance.now() - t0;
    this.stats.runMs += this.runner.runMs - runBefore;
    return out;
  }

  /** One prompt, after the longest cached prefix of it; its KV cache then serves later prompts. */
  private async prefillOne(s: Sequence): Promise<RunOutput> {
    const prompt = s.tokens; // nothing generated yet: exactly the prompt
    const hit = this.prefixes?.lookup(prompt);
    const r = await this.runner.prefillOne(prompt, hit);
    this.prefixes?.insert(prompt, r.kv);
    this.stats.prefillTokens += prompt.length - (hit?.tokens ?? 0);
    this.stats.prefixReusedTokens += hit?.tokens ?? 0;
    return r;
  }

  /** Several prompts in one padded run; each row is then copied out, unpadded, for the prefix cache. */
  private async prefillBatch(group: readonly Sequence[]): Promise<RunOutput> {
    this.stats.prefillTokens += group.reduce((n, s) => n + s.promptLen, 0);
    const r = await this.runner.prefill(group.map((s) => s.tokens));
    const cache = this.prefixes;
    group.forEach((s, i) => {
      if (cache?.wants(s.promptLen)) cache.insert(s.tokens, packRows(this.runner.geometry, [{ from: r.kv, row: i }]));
    });
    return r;
  }

  /**
   * One prompt per run (CPU); with `prefillTogether` (GPUs) the step's prompts run as one padded
   * batch, except those the prefix cache covers: each of these runs alone from its cached prefix.
   */
  private prefillGroups(joiners: readonly Sequence[]): Sequence[][] {
    if (!this.opts.prefillTogether) return joiners.map((s) => [s]);
    const alone: Sequence[][] = [];
    const together: Sequence[] = [];
    for (const s of joiners) {
      if (this.prefixes?.covers(s.tokens)) alone.push([s]);
      else together.push(s);
    }
    return together.length > 0 ? [together, ...alone] : alone;
  }

  private admit(runningRows: number): Sequence[] {
    const joiners: Sequence[] = [];
    let longest = 0;
    let sum = 0;
    while (this.waiting.length > 0 && runningRows + joiners.length < this.opts.maxBatch) {
      const next = this.waiting[0]!;
      // Tokens this step would prefill: padded to the longest when batched, the plain sum otherwise.
      const cost = this.opts.prefillTogether ? Math.max(longest, next.promptLen) * (joiners.length + 1) : sum + next.promptLen;
      if (joiners.length > 0 && cost > this.opts.maxPrefillTokens) break;
      longest = Math.max(longest, next.promptLen);
      sum += next.promptLen;
      joiners.push(this.waiting.shift()!);
    }
    return joiners;
  }
}

function report(s: Sequence): FinishedSequence {
  return {
    id: s.id,
    reason: s.finish ?? 'cancelled',
    promptTokens: s.promptLen,
    completionTokens: s.generated,
    firstTokenMs: s.firstTokenAt === undefined ? undefined : s.firstTokenAt - s.submittedAt,
    tokenIds: s.tokens.slice(s.promptLen),
    ...(s.error ? { error: s.error } : {}),
  };
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
