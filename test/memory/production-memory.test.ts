/**
 * NPC memory in the production shape — Redis (hot + 30-day window + archive stream) and
 * PostgreSQL (lifetime archive) — across real gateway and worker processes. Both services sit
 * behind TCP relays the test can cut, so outages are real without touching the machine's
 * shared services:
 * - PostgreSQL down: replies go on, the backlog waits in the stream, and drains when it returns;
 * - the gateway SIGKILLed while its archiver holds a batch it could not write: after a restart,
 *   every turn that got an `end` is in PostgreSQL exactly once;
 * - Redis down: replies go on without memory (`end.degraded`), memory resumes when it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropRedisPrefix, dropSchema, hasPostgres, hasRedis, queryRows, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from '../../gateway/src/memory/testing/backends.js';
import { TcpProxy, viaProxy } from '../../gateway/src/memory/testing/tcp-proxy.js';
import { startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';
import { say, until } from './memory-helpers.js';

const schema = uniqueName('parley_e2e');
const prefix = uniqueName('parley-e2e');
const pgUrl = new URL(TEST_DATABASE_URL);
const redisUrl = new URL(TEST_REDIS_URL);
const pg = new TcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
const redis = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
let stack: Stack;
const sent: string[] = [];

const archivedTexts = async () => (await queryRows<{ player_text: string; n: string }>(`SELECT player_text, count(*) AS n FROM ${schema}.turns GROUP BY player_text`)).map((r) => ({ text: r.player_text, n: Number(r.n) }));

async function run(c: RawClient, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const text = `${tag} line ${i}: tell me about the road north.`;
    const r = await say(c, ['zombie', 'guard', 'oracle'][i % 3]!, `player-${i % 4}`, text);
    expect(r.end).toMatchObject({ reason: 'completed', degraded: false });
    expect(r.relationship).toBeDefined();
    sent.push(text);
  }
}

describe.skipIf(!hasRedis || !hasPostgres)('memory on Redis + PostgreSQL', () => {
  beforeAll(async () => {
    const [pgPort, redisPort] = await Promise.all([pg.start(), redis.start()]);
    stack = await startStack({
      workers: 1,
      gatewayEnv: {
        PARLEY_REDIS_URL: viaProxy(TEST_REDIS_URL, redisPort),
        PARLEY_REDIS_PREFIX: prefix,
        PARLEY_DATABASE_URL: viaProxy(TEST_DATABASE_URL, pgPort),
        PARLEY_DATABASE_SCHEMA: schema,
        PARLEY_ARCHIVE_BATCH: '8',
        PARLEY_ARCHIVE_CLAIM_IDLE_MS: '500',
        PARLEY_MEMORY_TIMEOUT_MS: '300',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([pg.stop(), redis.stop()]);
    await dropSchema(schema).catch(() => {});
    await dropRedisPrefix(prefix).catch(() => {});
  });

  it('PostgreSQL down: replies go on, the backlog drains when it returns', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    await run(c, 6, 'warm');
    await until(async () => (await archivedTexts()).length === 6, 15_000, 'the first turns archived');
    await pg.stop();
    await run(c, 24, 'outage');
    expect((await archivedTexts()).length).toBe(6); // nothing got through
    await pg.start();
    await until(async () => (await archivedTexts()).length === 30, 20_000, 'the backlog to drain');
    c.close();
  });

  it('gateway SIGKILLed while its archiver holds a batch: after a restart every turn is archived exactly once', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const logsBefore = stack.logs.length;
    await pg.stop();
    await run(c, 30, 'crash');
    c.close();
    // Wait until the archiver holds a batch taken from the stream that it cannot write; kill the gateway then.
    await until(async () => stack.logs.slice(logsBefore).some((l) => l.includes('archive write failed')), 10_000, 'a failed batch');
    await pg.start();
    await stack.restartGateway({ signal: 'SIGKILL' });
    await stack.waitReady(1, 30_000);
    const rows = await until(async () => {
      const r = await archivedTexts();
      return r.length === sent.length ? r : null;
    }, 20_000, 'every turn archived');
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.text))).toEqual(new Set(sent));
  });

  it('Redis down: replies continue without memory (end.degraded), memory resumes when Redis returns', async () => {
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    await redis.stop();
    const down = await say(c, 'innkeeper', 'player-r', 'Hello, is anyone here?');
    expect(down.end).toMatchObject({ reason: 'completed', degraded: true });
    expect(down.end.text.length).toBeGreaterThan(0);
    expect(down.relationship).toBeUndefined();
    await redis.start();
    const up = await until(async () => {
      const r = await say(c, 'innkeeper', 'player-r', 'Hello again.');
      return r.end.degraded ? null : r;
    }, 15_000, 'memory to resume');
    expect(up.relationship).toMatchObject({ npc: 'innkeeper', player: 'player-r' });
    c.close();
  });
});
