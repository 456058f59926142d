import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DialogueEvent, DialogueRequest } from '../dialogue/backend.js';
import { DEFAULT_SAMPLING } from '../dialogue/sampling.js';
import { OpenAiDialogueBackend, type OpenAiBackendOptions } from './openai-backend.js';
import { UpstreamError } from './upstream-error.js';

/**
 * A local OpenAI-compatible server. The requested `model` picks its behaviour, so each test
 * talks to the same server: ok, utf8-split, fail-then-ok, bad-request, slow-first, stall,
 * endless, in-stream-error.
 */
interface Seen {
  body: Record<string, unknown>;
  auth: string | undefined;
  closedEarly: boolean;
}
let server: Server;
let base: string;
const seen: Seen[] = [];
const attempts = new Map<string, number>();
const sse = (res: ServerResponse, obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
const chunk = (content: string) => ({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/v1/models') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'ok' }] }));
    return;
  }
  let raw = '';
  for await (const c of req) raw += c;
  const body = JSON.parse(raw) as Record<string, unknown>;
  const entry: Seen = { body, auth: req.headers.authorization, closedEarly: false };
  seen.push(entry);
  res.on('close', () => (entry.closedEarly = !res.writableEnded));
  const model = String(body.model);
  const n = (attempts.get(model) ?? 0) + 1;
  attempts.set(model, n);
  const stream = () => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  switch (model) {
    case 'ok':
      stream();
      for (const c of ['[emo', 'tion:joy 0.8] ', 'Welcome, ', 'traveller.', ' Sit by the fire!']) {
        sse(res, chunk(c));
        await sleep(2);
      }
      res.end('data: [DONE]\n\n');
      return;
    case 'utf8-split': {
      // One SSE event's bytes cut inside a multi-byte character and inside the "data:" line.
      stream();
      const bytes = Buffer.from(`data: ${JSON.stringify(chunk('[emotion:surprise] A dragon 🐉 — ж!'))}\r\n\r\n`);
      const cut = bytes.indexOf(Buffer.from('🐉')) + 2;
      res.write(bytes.subarray(0, 3));
      await sleep(5);
      res.write(bytes.subarray(3, cut));
      await sleep(5);
      res.write(bytes.subarray(cut));
      res.end('data: [DONE]\r\n\r\n');
      return;
    }
    case 'fail-then-ok':
      if (n <= 2) {
        res.writeHead(n === 1 ? 503 : 429, { 'content-type': 'application/json', 'retry-after': '0' }).end(JSON.stringify({ error: { message: 'busy' } }));
        return;
      }
      stream();
      sse(res, chunk('Third time lucky.'));
      res.end('data: [DONE]\n\n');
      return;
    case 'bad-request':
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'max_tokens is too large', type: 'invalid_request_error' } }));
      return;
    case 'slow-first':
      stream();
      if (n === 1) await sleep(400); // beyond the first-token timeout: the client gives up and retries
      sse(res, chunk('Sorry for the wait.'));
      res.end('data: [DONE]\n\n');
      return;
    case 'stall':
      stream();
      sse(res, chunk('I was saying'));
      await sleep(2000); // beyond the idle timeout
      res.end();
      return;
    case 'endless':
      stream();
      for (let i = 0; !res.destroyed && i < 2000; i++) {
        sse(res, chunk(`word${i} `));
        await sleep(5);
      }
      res.end();
      return;
    case 'in-stream-error':
      stream();
      sse(res, { error: { message: 'CUDA out of memory' } });
      res.end();
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  attempts.clear();
});

const backend = (model: string, o: Partial<OpenAiBackendOptions> = {}) =>
  new OpenAiDialogueBackend({ baseUrl: base, model, apiKey: 'sk-test-123', firstTokenTimeoutMs: 250, idleTimeoutMs: 150, retries: 2, vendorParams: true, sampling: DEFAULT_SAMPLING, maxHistoryTurns: 16, ...o });

const request: DialogueRequest = {
  npc: { id: 'innkeeper', name: 'Marta', archetype: 'innkeeper', persona: 'A warm innkeeper who knows every rumour in town.', voice: 'female-warm', traits: ['chatty'] },
  player: 'p1',
  text: 'Any rooms free tonight?',
  tier: 'silver',
  seed: 11,
  history: [
    { role: 'player', text: 'Hello!' },
    { role: 'npc', text: 'Welcome to the Golden Goose.' },
  ],
};

async function collect(model: string, o: Partial<OpenAiBackendOptions> = {}, signal = new AbortController().signal): Promise<DialogueEvent[]> {
  const out: DialogueEvent[] = [];
  for await (const e of backend(model, o).reply(request, signal)) out.push(e);
  return out;
}
const textOf = (evs: DialogueEvent[]) => evs.map((e) => (e.type === 'text' ? e.delta : '')).join('');

describe('OpenAI-compatible upstream backend', () => {
  it('streams the reply, turning the leading tag into the emotion', async () => {
    const evs = await collect('ok');
    expect(evs[0]).toEqual({ type: 'emotion', label: 'joy', intensity: 0.8 });
    expect(textOf(evs)).toBe('Welcome, traveller. Sit by the fire!');
    expect(evs.filter((e) => e.type === 'text').length).toBeGreaterThan(1); // streamed, not buffered
    const { body, auth } = seen[0]!;
    expect(auth).toBe('Bearer sk-test-123');
    expect(body).toMatchObject({ model: 'ok', stream: true, max_tokens: DEFAULT_SAMPLING.tiers.silver.maxTokens, temperature: 0.8, top_p: 0.95, top_k: 40, repetition_penalty: 1.1, seed: 11 });
    const messages = body.messages as Array<{ role: string; content: string }>;
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toContain('Marta');
    expect(messages[0]!.content).toContain('knows every rumour');
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'Hello!' },
      { role: 'assistant', content: 'Welcome to the Golden Goose.' },
      { role: 'user', content: 'Any rooms free tonight?' },
    ]);
  });

  it('decodes UTF-8 and SSE lines split across network writes', async () => {
    const evs = await collect('utf8-split');
    expect(evs[0]).toMatchObject({ type: 'emotion', label: 'surprise', intensity: 0.5 });
    expect(textOf(evs)).toBe('A dragon 🐉 — ж!');
  });

  it('retries 503 and 429 before the first token, then streams', async () => {
    expect(textOf(await collect('fail-then-ok'))).toBe('Third time lucky.');
    expect(attempts.get('fail-then-ok')).toBe(3);
  });

  it('retries a first token that comes too late', async () => {
    expect(textOf(await collect('slow-first'))).toBe('Sorry for the wait.');
    expect(attempts.get('slow-first')).toBe(2);
  });

  it('does not retry a bad request, and says why it failed', async () => {
    const err = await collect('bad-request').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as Error).message).toBe('upstream answered HTTP 400: max_tokens is too large');
    expect(attempts.get('bad-request')).toBe(1);
  });

  it('an upstream that stalls after the first token fails with a timeout, without a retry', async () => {
    const evs: DialogueEvent[] = [];
    const err = await (async () => {
      for await (const e of backend('stall').reply(request, new AbortController().signal)) evs.push(e);
    })().catch((e: unknown) => e);
    expect(textOf(evs)).toBe('I was saying');
    expect(err).toMatchObject({ name: 'UpstreamError', kind: 'timeout', message: expect.stringContaining('no data for 150 ms') });
    expect(attempts.get('stall')).toBe(1);
  });

  it('reports an error sent inside the stream', async () => {
    await expect(collect('in-stream-error', { retries: 0 })).rejects.toThrow('upstream error: CUDA out of memory');
  });

  it('an unreachable upstream fails after its retries with a clear message', async () => {
    await expect(collect('ok', { baseUrl: 'http://127.0.0.1:9/v1', retries: 1 })).rejects.toThrow(/upstream unreachable/);
  });

  it('cancellation aborts the HTTP request, so the server stops generating', async () => {
    const ctrl = new AbortController();
    let words = 0;
    for await (const e of backend('endless').reply(request, ctrl.signal)) {
      if (e.type === 'text' && ++words === 5) ctrl.abort();
    }
    expect(words).toBe(5); // the stream ended quietly right after the abort
    for (let i = 0; i < 100 && !seen[0]!.closedEarly; i++) await sleep(5);
    expect(seen[0]!.closedEarly).toBe(true);
  });

  it('summarizes through the same endpoint', async () => {
    const s = await backend('ok').summarize({ npc: request.npc, turns: [{ role: 'player', text: 'I owe you 5 gold.' }] });
    expect(s).toBe('Welcome, traveller. Sit by the fire!');
    const body = seen[0]!.body as { messages: Array<{ content: string }>; temperature: number };
    expect(body.temperature).toBe(0);
    expect(body.messages[1]!.content).toContain('Player: I owe you 5 gold.');
  });

  it('probes the upstream at start', async () => {
    expect(await backend('ok').probe()).toEqual(['ok']);
    expect(await backend('ok', { baseUrl: 'http://127.0.0.1:9/v1' }).probe(200)).toBeUndefined();
  });
});
