/**
 * The load generator as a user runs it (its CLI, a real process) against a real gateway and
 * scripted worker, with the small CI scenario.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT, startStack, type Stack } from '../../tools/src/start/stack.js';

let stack: Stack;
let out: string;
beforeAll(async () => {
  stack = await startStack({ workers: 1 });
  out = mkdtempSync(join(tmpdir(), 'parley-loadgen-'));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(out, { recursive: true, force: true });
});

it('runs the smoke scenario end to end and writes result.json and report.html', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/src/loadgen/main.ts', '--url', stack.wsUrl, '--token', stack.token, '--scenario', 'smoke', '--out', out, '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
    totals: { completed: number; sent: number; errors?: number };
    errorsByCode: Record<string, number>;
    all: { firstAudioMs: { count: number; p50: number; p99: number } };
    tiers: Record<string, { counters: { completed: number } }>;
  };
  expect(result.totals.sent).toBeGreaterThan(10);
  expect(result.totals.completed).toBeGreaterThan(5);
  expect(result.errorsByCode, JSON.stringify(result.totals)).toEqual({});
  expect(result.all.firstAudioMs.count).toBeGreaterThan(0);
  expect(result.all.firstAudioMs.p99).toBeGreaterThanOrEqual(result.all.firstAudioMs.p50);
  for (const tier of ['gold', 'silver', 'bronze']) expect(result.tiers[tier]!.counters.completed).toBeGreaterThan(0);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toMatch(/<svg/);
  expect(html).not.toMatch(/<script[^>]+src=|https?:\/\/(?!www\.w3\.org)/);
}, 90_000);
