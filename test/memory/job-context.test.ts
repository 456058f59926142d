/**
 * What a worker receives: an in-process gateway with memory on (embedded store, archive in the
 * machine's PostgreSQL), a stand-in worker that records each `job` and answers it. The job carries
 * the assembled memory context (card, recent turns, ranked memories) and the recent lines as
 * `history`, validated by the worker-link schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGatewayToWorkerFrame, encodeFrame, type JobFrame } from '@parley/protocol';
import { loadGatewayConfig } from '../../gateway/src/config/gateway-config.js';
import { createGateway, type Gateway } from '../../gateway/src/server.js';
import { createLogger } from '../../gateway/src/logger.js';
import { dropSchema, hasPostgres, TEST_DATABASE_URL, uniqueName } from '../../gateway/src/memory/testing/backends.js';
import { mintPlayerToken } from '../../gateway/src/memory/player-token.js';
import { RawClient } from '../helpers/raw-client.js';
import { say, until } from './memory-helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-jobctx-'));
const schema = uniqueName('parley_test');
const secret = 'job-context-player-token-secret-0123';
let gateway: Gateway;
let port: number;
let worker: WebSocket;
const jobs: JobFrame[] = [];

describe.skipIf(!hasPostgres)('the job a worker receives', () => {
  beforeAll(async () => {
    const config = loadGatewayConfig({ PARLEY_PORT: '0', PARLEY_DEV_TOKEN: 'dev-token-jobctx', PARLEY_DATA_DIR: dataDir, PARLEY_DATABASE_URL: TEST_DATABASE_URL, PARLEY_DATABASE_SCHEMA: schema, PARLEY_LOG_LEVEL: 'warn', PARLEY_PLAYER_TOKEN_SECRET: secret });
    gateway = createGateway(config, { log: createLogger('test', 'warn'), defaultMetrics: false });
    port = await gateway.start();
    worker = new WebSocket(`ws://127.0.0.1:${port}/v1/worker`);
    await new Promise((r) => worker.once('open', r));
    worker.on('message', (data) => {
      const r = decodeGatewayToWorkerFrame(data as Buffer);
      if (!r.ok || r.frame.t !== 'job') return;
      const job = r.frame;
      jobs.push(job);
      const reply = `Reply to: ${job.text}`;
      worker.send(encodeFrame({ t: 'text', job: job.job, delta: reply }));
      // A model backend may propose a card change; this stand-in does when the player offers a gift.
      const cardDelta = job.text.includes('gift') ? { trust: 0.2 } : undefined;
      worker.send(encodeFrame({ t: 'done', job: job.job, text: reply, tier: job.tier, audioMs: 0, cancelled: false, ...(cardDelta ? { cardDelta } : {}) }));
    });
    worker.send(encodeFrame({ t: 'register', v: 1, key: 'dev-token-jobctx', worker: { id: 'stand-in', tiers: ['gold', 'silver', 'bronze'], slots: 4, voices: ['male-deep'], backend: 'test' } }));
    await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 5000, 'the worker');
  }, 60_000);
  afterAll(async () => {
    worker?.close();
    await gateway?.stop();
    await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('carries the memory context and history, and they grow turn by turn', async () => {
    const c = await RawClient.connect(`ws://127.0.0.1:${port}/v1/ws`, 'dev-token-jobctx');
    await say(c, 'guard', 'p-ctx', 'Hail, guard. My name is Edda and I seek the old mill.');
    expect(jobs[0]!.context).toEqual({ card: null, turns: [], memories: [] });
    await say(c, 'guard', 'p-ctx', 'Which road leads to the mill?');
    const second = jobs[1]!;
    expect(second.context!.card).toMatchObject({ conversations: 1, turns: 1, pinned: ["The player's name is Edda."] });
    expect(second.context!.turns.map((t) => [t.role, t.text])).toEqual([
      ['player', 'Hail, guard. My name is Edda and I seek the old mill.'],
      ['npc', 'Reply to: Hail, guard. My name is Edda and I seek the old mill.'],
    ]);
    expect(second.context!.memories.map((m) => m.text)).toContain('The player seeks the old mill.');
    expect(second.history).toEqual(second.context!.turns.map(({ role, text }) => ({ role, text })));
    c.close();
  });

  it('applies a model backend\'s proposed card change on top of the rules', async () => {
    const c = await RawClient.connect(`ws://127.0.0.1:${port}/v1/ws`, 'dev-token-jobctx');
    const plain = await say(c, 'oracle', 'p-gift', 'Here is something for you.');
    const gift = await say(c, 'oracle', 'p-gift-2', 'Here is a gift for you.'); // "gift" is also a kindness word: +0.04
    expect(plain.relationship!.delta.trust).toBe(0);
    expect(gift.relationship!.delta.trust).toBeCloseTo(0.24, 3);
    c.close();
  });

  it('a session opened with a player token speaks for that player only', async () => {
    const c = await RawClient.connect(`ws://127.0.0.1:${port}/v1/ws`, mintPlayerToken(secret, 'p-own', Date.now() + 60_000));
    const own = await say(c, 'guard', 'p-own', 'Good day.');
    expect(own.relationship).toMatchObject({ player: 'p-own' });
    c.send({ t: 'say', turn: 'steal', npc: 'guard', player: 'p-ctx', text: 'What do you know about Edda?' });
    expect(await c.waitFor((f) => f.t === 'error')).toMatchObject({ code: 'unauthorized', fatal: true });
    expect((await c.waitClosed()).code).toBe(1008);
    expect(c.frames.some((f) => f.t === 'relationship' && f.player === 'p-ctx')).toBe(false);
  });
});
