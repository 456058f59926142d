/**
 * End-to-end accuracy of the load generator against a fake gateway with a known, injected
 * delay distribution (a), and a real multi-process run (c). The merge test (b) is in
 * metrics.test.ts.
 *
 * Stated tolerances (loopback, shared 2-core CI machine): measured latency is never more than
 * 1 ms below the injected delay (Node timers run on a millisecond loop clock and can fire up to
 * ~1 ms early against performance.now()), and the generator's overhead (client + server +
 * event loop) adds at most 4 ms at p50/p90 and 15 ms at p99.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './coordinator.js';
import { createRng, deriveSeed } from './rng.js';
import { parseScenario, type Scenario } from './scenario.js';
import { planConversations } from './plan.js';
import { FakeGateway, type FakeGatewayOptions } from './testing/fake-gateway.js';

const scenario = (o: Record<string, unknown>): Scenario =>
  parseScenario(
    JSON.stringify({
      name: 'test',
      npcs: 20,
      tierMix: { gold: 200, silver: 300, bronze: 500 },
      rampUpS: 0,
      steadyS: 3,
      drainS: 5,
      arrival: { kind: 'fixed', intervalMs: 100 },
      npcsPerConnection: 5,
      corpus: ['Hello there.', 'Who are you?'],
      ...o,
    }),
    'test',
    '.',
  );

let gw: FakeGateway | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.close();
  gw = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(s: Scenario, gwOpts: FakeGatewayOptions, during?: (gw: FakeGateway) => void, extra: { inline?: boolean; outDir?: string | null } = {}) {
  gw = await FakeGateway.start({ firstTextMs: 5, chunkIntervalMs: 5, audioChunks: 3, ...gwOpts });
  during?.(gw);
  return runLoad({ url: gw.url, token: gw.token, scenario: s, outDir: extra.outDir ?? null, seed: 1, lateMs: 10, overflow: 'queue', inline: extra.inline ?? true });
}

describe('load generator accuracy (a)', () => {
  it('reports the injected uniform 10–30 ms first-audio distribution', async () => {
    const { result } = await run(scenario({}), { firstAudioMs: { kind: 'uniform', min: 10, max: 30 } });
    const fa = result.all.firstAudioMs;
    expect(result.totals.sent).toBe(20 * 30);
    expect(result.totals.completed).toBe(result.totals.sent);
    expect(fa.count).toBe(600);
    // U(10, 30): p50 = 20, p90 = 28, p99 = 29.8, min ≥ 10.
    expect(fa.min!).toBeGreaterThanOrEqual(10 - 1);
    expect(fa.p50!).toBeGreaterThanOrEqual(19);
    expect(fa.p50!).toBeLessThanOrEqual(20 + 4);
    expect(fa.p90!).toBeGreaterThanOrEqual(27);
    expect(fa.p90!).toBeLessThanOrEqual(28 + 4);
    expect(fa.p99!).toBeLessThanOrEqual(30 + 15);
    // first text is a fixed 5 ms; a turn is first audio + 2 × 5 ms chunk spacing.
    expect(result.all.firstTextMs.p50!).toBeGreaterThanOrEqual(5 - 1);
    expect(result.all.firstTextMs.p50!).toBeLessThanOrEqual(5 + 4);
    expect(result.all.turnMs.p50!).toBeGreaterThanOrEqual(30 - 1);
    expect(result.all.turnMs.p50!).toBeLessThanOrEqual(30 + 4);
    expect(result.totals.lateSends).toBe(0);
    expect(result.tiers.gold.conversations + result.tiers.silver.conversations + result.tiers.bronze.conversations).toBe(20);
    // RTF as received: 200 ms of audio (all chunks but the last) over 10 ms of arrivals ≈ 20.
    expect(result.all.audioRtf.p50!).toBeGreaterThan(5);
  });

  it('a 1 s gateway stall shows up in the tail, measured from the intended send time', async () => {
    // 200 turns/s for 4 s; the gateway freezes from t≈1.5 s to 2.5 s. Turns intended during the
    // stall wait until it ends: latency ≈ (2.5 s − intended) + 20 ms, i.e. uniform 20..1020 ms
    // for 25 % of the turns. A closed-loop generator would have stopped sending instead.
    const s = scenario({ steadyS: 4 });
    const { result } = await run(s, { firstAudioMs: 20 }, (g) => setTimeout(() => g.pause(1000), 300 + 1500));
    const fa = result.all.firstAudioMs;
    expect(result.totals.sent).toBe(20 * 40); // the open loop kept sending through the stall
    // The generator itself was not stalled (only a few sends are late when the in-process fake
    // gateway flushes 1 s of held frames at once).
    expect(result.totals.lateSends).toBeLessThanOrEqual(result.totals.sent * 0.02);
    expect(fa.p50!).toBeLessThan(20 + 10);
    // top 10 % are in the top 40 % of the stall window: ≥ 20 + 0.6 × 1000 ms
    expect(fa.p90!).toBeGreaterThan(500);
    expect(fa.p90!).toBeLessThan(750);
    expect(fa.p99!).toBeGreaterThan(900);
    expect(fa.max!).toBeGreaterThanOrEqual(1000);
    expect(fa.max!).toBeLessThan(1150);
  });

  it('a stalled generator counts late sends and still measures from the intended time', async () => {
    const s = scenario({ steadyS: 2.5 });
    const { result } = await run(s, { firstAudioMs: 20 }, () =>
      setTimeout(() => {
        const until = performance.now() + 300; // block this process's event loop for 300 ms
        while (performance.now() < until);
      }, 300 + 1000),
    );
    expect(result.totals.lateSends).toBeGreaterThanOrEqual(40); // ≈ 200/s × 0.3 s
    expect(result.sendLagMs.max!).toBeGreaterThanOrEqual(250);
    expect(result.all.firstAudioMs.max!).toBeGreaterThanOrEqual(300);
    expect(result.timeline.reduce((n, b) => n + b.late, 0)).toBe(result.totals.lateSends);
  });

  it('counts errors by code, degraded turns and barge-in cancels', async () => {
    const s = scenario({ steadyS: 2, bargeIn: { rate: 0.5, afterFirstAudioMs: [1, 2] } });
    const { result } = await run(s, { firstAudioMs: 10, audioChunks: 4, chunkIntervalMs: 20, failEvery: 10, degradeEvery: 7 });
    const t = result.totals;
    expect(t.ended).toBe(t.sent);
    expect(result.errorsByCode.overloaded).toBe(t.sent / 10);
    expect(t.errored).toBe(t.sent / 10);
    expect(t.bargeIns).toBeGreaterThan(t.sent * 0.3);
    expect(t.cancelled).toBe(t.bargeIns);
    expect(t.degraded).toBeGreaterThan(0);
    expect(t.completed).toBe(t.sent - t.errored - t.cancelled);
  });
});

describe('connection loss', () => {
  it('dropped connections are counted, reconnected, and the run goes on', async () => {
    const s = scenario({ steadyS: 3 });
    const { result } = await run(s, { firstAudioMs: 20 }, (g) => setTimeout(() => g.dropConnections(), 300 + 1000));
    const t = result.totals;
    expect(result.connectionErrors.connection_lost).toBe(4);
    expect(t.reconnects).toBe(4);
    expect(t.sent).toBe(20 * 30);
    expect(t.ended).toBe(t.sent);
    // Turns in flight at the drop end with connection_closed; sends during the ~0.5 s outage fail as not_connected.
    expect((result.errorsByCode.connection_closed ?? 0) + (result.errorsByCode.not_connected ?? 0)).toBe(t.errored);
    expect(result.errorsByCode.not_connected).toBeGreaterThan(50);
    expect(t.completed).toBeGreaterThan(t.sent * 0.7);
  });
});

describe('multi-process run (c)', () => {
  it('2 forked processes against the fake gateway; histograms merged; files written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'parley-loadgen-'));
    dirs.push(out);
    const s = { ...scenario({ npcs: 16, npcsPerConnection: 4, rampUpS: 0.5, steadyS: 2.5, bargeIn: { rate: 0, afterFirstAudioMs: [0, 0] } }), processes: 2 };
    // Exactly the sends the plan implies: conversation i starts at rampUp·i/n plus a random phase.
    const expected = planConversations(s, 'x', 2).reduce((n, c) => {
      const first = c.activeFromMs + createRng(deriveSeed(1, c.index)).next() * 100;
      return n + Math.max(0, Math.ceil((3000 - first) / 100));
    }, 0);
    const { result, files } = await run(s, { firstAudioMs: 20 }, undefined, { inline: false, outDir: out });
    expect(result.generator.processes).toHaveLength(2);
    expect(new Set(result.generator.processes.map((p) => p.pid)).size).toBe(2);
    expect(result.generator.processes.map((p) => p.pid)).not.toContain(process.pid);
    expect(result.generator.processes.map((p) => p.conversations)).toEqual([8, 8]);
    expect(result.totals.sent).toBe(expected);
    expect(result.totals.completed).toBe(expected);
    expect(gw!.stats.says).toBe(expected);
    expect(gw!.stats.connections).toBe(4);
    // Merged histograms hold every measured turn of both processes.
    const measured = result.tiers.gold.firstAudioMs.count + result.tiers.silver.firstAudioMs.count + result.tiers.bronze.firstAudioMs.count;
    expect(result.all.firstAudioMs.count).toBe(measured);
    expect(result.all.firstAudioMs.p50!).toBeGreaterThanOrEqual(20 - 1);
    expect(result.all.firstAudioMs.p50!).toBeLessThanOrEqual(20 + 4);
    expect(result.timeline.reduce((n, b) => n + b.sent, 0)).toBe(expected);
    expect(existsSync(files!.json)).toBe(true);
    const onDisk = JSON.parse(readFileSync(files!.json, 'utf8'));
    expect(onDisk.totals.sent).toBe(expected);
    const html = readFileSync(files!.html, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg /g)?.length).toBe(5);
    for (const p of result.generator.processes) expect(p.cpuPercent).toBeGreaterThan(0);
  });

  it('refuses a non-loopback target without --allow-remote', async () => {
    await expect(runLoad({ url: 'ws://example.com:8787/v1/ws', token: 't', scenario: scenario({}), outDir: null, seed: 1, lateMs: 10, overflow: 'queue', inline: true })).rejects.toThrow(/--allow-remote/);
  });

  it('fails clearly when the token is wrong', async () => {
    gw = await FakeGateway.start({});
    await expect(runLoad({ url: gw.url, token: 'wrong', scenario: scenario({}), outDir: null, seed: 1, lateMs: 10, overflow: 'queue', inline: true })).rejects.toThrow(/could not open any connection.*unauthorized: invalid token/);
  });
});
