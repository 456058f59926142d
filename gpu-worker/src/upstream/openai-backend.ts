/**
 * The `openai` dialogue backend: streams replies from an OpenAI-compatible
 * `/v1/chat/completions` endpoint — vLLM, NVIDIA NIM, TGI, llama.cpp server, Ollama — for
 * 7B-class models served at scale. Speech and visemes still come from the worker.
 *
 * - Timeouts: until the first token (PARLEY_UPSTREAM_TIMEOUT_MS) and between chunks
 *   (PARLEY_UPSTREAM_IDLE_TIMEOUT_MS).
 * - Retries with backoff (honouring Retry-After) on network errors, timeouts, 408/429/5xx —
 *   only before the first token: once words reached the player, a retry would repeat them.
 * - Cancellation aborts the HTTP request, which makes these servers stop generating.
 * - Same emotion-tag convention and prompt as the onnx backend.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DialogueBackend, DialogueEvent, DialogueRequest, SummaryRequest } from '../dialogue/backend.js';
import { emotionEvents } from '../dialogue/emotion-tags.js';
import { buildReplyMessages, buildSummaryMessages, REPLY_STOP_STRINGS } from '../dialogue/prompt.js';
import { samplingFor, type SamplingTable } from '../dialogue/sampling.js';
import type { SamplingParams } from '../models/sampler.js';
import type { ChatMessage } from '../models/text-codec.js';
import { readSse } from './sse.js';
import { retryableStatus, UpstreamError } from './upstream-error.js';

export interface OpenAiBackendOptions {
  /** Base URL including the API version, e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** Until the first token arrives (including connecting and queueing upstream). */
  firstTokenTimeoutMs: number;
  /** Longest silence between two chunks once streaming. */
  idleTimeoutMs: number;
  /** Extra attempts before the first token. */
  retries: number;
  /** Send top_k and repetition_penalty (vLLM, TGI, llama.cpp, Ollama accept them; OpenAI itself does not). */
  vendorParams: boolean;
  sampling: SamplingTable;
  maxHistoryTurns: number;
}

const BACKOFF_MS = 250;
const MAX_RETRY_AFTER_MS = 5000;

interface ChunkJson {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  error?: { message?: string } | string;
}

function completionsUrl(base: string): string {
  const b = base.replace(/\/+$/, '');
  return b.endsWith('/chat/completions') ? b : `${b}/chat/completions`;
}

function retryAfter(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, s * 1000));
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - Date.now())) : undefined;
}

async function httpError(res: Response): Promise<UpstreamError> {
  let detail = '';
  try {
    const text = (await res.text()).slice(0, 2000);
    try {
      const j = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: string };
      detail = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? j.detail ?? text;
    } catch {
      detail = text;
    }
  } catch {
    // body unreadable: the status says enough
  }
  return new UpstreamError('http', `upstream answered HTTP ${res.status}${detail ? `: ${detail.trim().slice(0, 300)}` : ''}`, retryableStatus(res.status), res.status, retryAfter(res.headers.get('retry-after')));
}

export class OpenAiDialogueBackend implements DialogueBackend {
  readonly name = 'openai' as const;
  readonly description: string;
  private readonly url: string;

  constructor(
    private readonly opts: OpenAiBackendOptions,
    private readonly log?: Logger,
  ) {
    this.url = completionsUrl(opts.baseUrl);
    this.description = `openai:${opts.model}@${opts.baseUrl}`;
  }

  /** Checks the upstream answers GET /models (a warning, not an error: it may come up after the worker). */
  async probe(timeoutMs = 3000): Promise<string[] | undefined> {
    try {
      const res = await fetch(this.url.replace(/\/chat\/completions$/, '/models'), { headers: this.headers(), signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw await httpError(res);
      const body = (await res.json()) as { data?: Array<{ id?: string }> };
      const models = (body.data ?? []).map((m) => String(m.id));
      this.log?.info({ upstream: this.url, models }, models.includes(this.opts.model) || models.length === 0 ? 'upstream reachable' : `upstream reachable, but it does not list model ${this.opts.model}`);
      return models;
    } catch (e) {
      this.log?.warn({ upstream: this.url, err: e instanceof Error ? e.message : String(e) }, 'upstream not reachable yet; turns will retry it');
      return undefined;
    }
  }

  async *reply(req: DialogueRequest, signal: AbortSignal): AsyncIterable<DialogueEvent> {
    const { maxTokens, ...sampling } = samplingFor(this.opts.sampling, req.tier, req.npc.archetype, req.seed);
    yield* emotionEvents(this.stream(buildReplyMessages(req, { maxHistoryTurns: this.opts.maxHistoryTurns }), sampling, maxTokens, signal));
  }

  async summarize(req: SummaryRequest, signal?: AbortSignal): Promise<string> {
    let text = '';
    const s = signal ?? new AbortController().signal;
    for await (const d of this.stream(buildSummaryMessages(req), { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: 0 }, req.maxTokens ?? 120, s)) text += d;
    return text.replace(/\[\s*emotion[^\]]*\]/gi, '').replace(/\s+/g, ' ').trim();
  }

  async close(): Promise<void> {}

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', accept: 'text/event-stream', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) };
  }

  private body(messages: ChatMessage[], s: SamplingParams, maxTokens: number): string {
    return JSON.stringify({
      model: this.opts.model,
      messages,
      stream: true,
      max_tokens: maxTokens,
      temperature: s.temperature,
      top_p: s.topP,
      seed: s.seed,
      stop: REPLY_STOP_STRINGS,
      ...(this.opts.vendorParams ? { top_k: s.topK > 0 ? s.topK : -1, repetition_penalty: s.repetitionPenalty } : {}),
    });
  }

  /** Text deltas of one completion; retries before the first one. Ends quietly when `signal` aborts. */
  private async *stream(messages: ChatMessage[], s: SamplingParams, maxTokens: number, signal: AbortSignal): AsyncIterable<string> {
    const body = this.body(messages, s, maxTokens);
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return;
      let yielded = false;
      let timedOut: string | undefined;
      const ctrl = new AbortController();
      const onAbort = () => ctrl.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = what;
          ctrl.abort();
        }, ms);
      };
      arm(this.opts.firstTokenTimeoutMs, `no first token within ${this.opts.firstTokenTimeoutMs} ms`);
      try {
        const res = await fetch(this.url, { method: 'POST', headers: this.headers(), body, signal: ctrl.signal });
        if (!res.ok) throw await httpError(res);
        if (!res.body) throw new UpstreamError('protocol', 'upstream sent no body', true);
        for await (const ev of readSse(res.body)) {
          if (ev.data === '[DONE]') return;
          let chunk: ChunkJson;
          try {
            chunk = JSON.parse(ev.data) as ChunkJson;
          } catch {
            throw new UpstreamError('protocol', `upstream sent a non-JSON event: ${ev.data.slice(0, 120)}`, !yielded);
          }
          if (chunk.error) throw new UpstreamError('http', `upstream error: ${typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown')}`, !yielded);
          const delta = chunk.choices?.[0]?.delta?.content;
          if (delta) {
            yielded = true;
            arm(this.opts.idleTimeoutMs, `no data for ${this.opts.idleTimeoutMs} ms`);
            yield delta;
          }
        }
        return;
      } catch (e) {
        if (signal.aborted) return;
        const err =
          e instanceof UpstreamError
            ? e
            : timedOut
              ? new UpstreamError('timeout', `upstream timed out: ${timedOut}`, true)
              : new UpstreamError('network', `upstream unreachable: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)}`, true);
        if (yielded || !err.retryable || attempt >= this.opts.retries) throw err;
        const wait = err.retryAfterMs ?? BACKOFF_MS * 2 ** attempt * (0.5 + Math.random());
        this.log?.warn({ upstream: this.url, attempt: attempt + 1, err: err.message, retryInMs: Math.round(wait) }, 'upstream failed before the first token; retrying');
        try {
          await delay(wait, undefined, { signal });
        } catch {
          return; // cancelled while waiting
        }
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        ctrl.abort(); // release the connection if the consumer stopped early
      }
    }
  }
}
