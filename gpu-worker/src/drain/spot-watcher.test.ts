import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadSpotConfig } from './drain-config.js';
import { spotDrainDeadline } from './drain-triggers.js';
import { ImdsClient } from './imds-client.js';
import { SpotWatcher, type SpotNotice } from './spot-watcher.js';
import { startFakeImds, type FakeImds } from './testing/fake-imds.js';

const log = pino({ level: 'silent' });
let imds: FakeImds | null = null;
afterEach(async () => {
  await imds?.close();
  imds = null;
});

const waitFor = async <T>(f: () => T | null, ms = 3000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const x = f();
    if (x !== null) return x;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('IMDSv2 client', () => {
  it('reads with a session token, renews it after a 401, and maps 404 to null', async () => {
    imds = await startFakeImds();
    const c = new ImdsClient(imds.url);
    expect(await c.get('/latest/meta-data/instance-id')).toBe('i-0123456789abcdef0');
    expect(await c.get('/latest/meta-data/spot/instance-action')).toBeNull();
    imds.expireTokens();
    expect(await c.get('/latest/meta-data/instance-id')).toBe('i-0123456789abcdef0');
    expect(imds.stats.tokens).toBe(2);
    expect(imds.stats.unauthorized).toBe(1);
  });
});

describe('SpotWatcher', () => {
  it('fires once on an interruption notice, with the interruption time', async () => {
    imds = await startFakeImds();
    const notices: SpotNotice[] = [];
    const w = new SpotWatcher(loadSpotConfig({ PARLEY_SPOT_WATCH: 'on', PARLEY_IMDS_ENDPOINT: imds.url, PARLEY_SPOT_POLL_MS: '100' }), log, (n) => notices.push(n));
    expect(await w.start()).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(notices).toHaveLength(0);
    imds.interrupt('terminate', 120_000);
    const n = await waitFor(() => notices[0] ?? null);
    expect(n).toMatchObject({ kind: 'interruption', action: 'terminate' });
    expect(n.kind === 'interruption' && n.at!.getTime()).toBeGreaterThan(Date.now() + 100_000);
    await new Promise((r) => setTimeout(r, 250));
    expect(notices).toHaveLength(1);
  });

  it('fires on a rebalance recommendation', async () => {
    imds = await startFakeImds();
    imds.recommendRebalance();
    const notices: SpotNotice[] = [];
    const w = new SpotWatcher(loadSpotConfig({ PARLEY_IMDS_ENDPOINT: imds.url, PARLEY_SPOT_POLL_MS: '100' }), log, (n) => notices.push(n));
    expect(await w.start()).toBe(true); // auto: the service answered
    expect(await waitFor(() => notices[0] ?? null)).toMatchObject({ kind: 'rebalance' });
  });

  it('does not watch in auto mode when no metadata service answers', async () => {
    const w = new SpotWatcher(loadSpotConfig({ PARLEY_IMDS_ENDPOINT: 'http://127.0.0.1:9' }), log, () => {});
    expect(await w.start()).toBe(false);
  });

  it('drains within the notice, keeping a margin before the interruption', () => {
    const cfg = loadSpotConfig({});
    expect(cfg).toMatchObject({ mode: 'auto', imdsEndpoint: 'http://169.254.169.254', drainTimeoutMs: 120_000 });
    const now = Date.now();
    expect(spotDrainDeadline({ kind: 'interruption', action: 'terminate', at: new Date(now + 60_000) }, cfg, now)).toBe(55_000);
    expect(spotDrainDeadline({ kind: 'interruption', action: 'terminate', at: new Date(now + 600_000) }, cfg, now)).toBe(120_000);
    expect(spotDrainDeadline({ kind: 'rebalance', at: null }, cfg, now)).toBe(120_000);
    expect(() => loadSpotConfig({ PARLEY_IMDS_ENDPOINT: 'ftp://x' })).toThrow(/PARLEY_IMDS_ENDPOINT/);
  });
});
