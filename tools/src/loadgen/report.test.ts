import { describe, expect, it } from 'vitest';
import { buildResult } from './coordinator.js';
import { MetricsRecorder } from './metrics.js';
import { escapeHtml, lineChart, niceCeil, renderReport } from './report.js';
import { parseScenario } from './scenario.js';
import { createRng } from './rng.js';
import type { WorkerReport } from './worker.js';

const scenario = parseScenario(
  JSON.stringify({ name: 'r', description: 'mix <x> & "y"', npcs: 10, tierMix: { gold: 100, silver: 300, bronze: 600 }, rampUpS: 1, steadyS: 5, arrival: { kind: 'fixed', intervalMs: 100 }, corpus: ['hi'] }),
  'test',
  '.',
);

function fakeReport(index: number, cpu: number): WorkerReport {
  const m = new MetricsRecorder();
  const rng = createRng(index);
  for (let i = 0; i < 500; i++) {
    const tier = (['gold', 'silver', 'bronze'] as const)[i % 3]!;
    const at = rng.uniform(0, 6);
    m.recordSend(tier, rng.uniform(0, 3), 10, at);
    const fa = rng.exp(30);
    m.recordTurn({ tier, measured: at >= 1, firstTextMs: fa / 2, firstAudioMs: fa, turnMs: fa + 300, rtf: 3, completed: true, cancelled: false, degraded: false, unfinished: false, errorCodes: i % 50 === 0 ? ['overloaded'] : [], audioChunks: 2, audioMs: 1000, playbackStall: false }, at + 0.3);
  }
  return { processIndex: index, pid: 1000 + index, conversations: 5, connections: 1, connectFailures: 0, reconnects: 0, maxTurnsInFlight: 8, openAtEnd: 0, cpu: { percent: cpu, peakPercent: cpu, userMs: 1, systemMs: 1, wallMs: 6000 }, metrics: m.snapshot() };
}

const build = (cpus: number[]) =>
  buildResult({
    opts: { url: 'ws://127.0.0.1:1/v1/ws', token: 't', scenario: { ...scenario, processes: cpus.length }, outDir: null, seed: 1, lateMs: 10, overflow: 'queue' },
    runId: 'abc',
    startedAt: new Date(0),
    reports: cpus.map((c, i) => fakeReport(i, c)),
    warnings: [],
    coordPct: 1,
    cores: 2,
    connections: cpus.length,
    maxTurnsInFlight: 8,
    stoppedEarly: false,
    wallS: 6,
    inline: false,
  });

describe('result and report', () => {
  it('merges process reports; warns when a generator process is saturated', () => {
    const ok = build([20, 30]);
    expect(ok.totals.sent).toBe(1000);
    expect(ok.errorsByCode.overloaded).toBe(20);
    expect(ok.generator.saturated).toBe(false);
    expect(ok.warnings.join()).not.toMatch(/saturated/);
    expect(ok.totals.throughputTurnsPerS).toBeGreaterThan(100);
    const hot = build([20, 97]);
    expect(hot.generator.saturated).toBe(true);
    expect(hot.warnings[0]).toMatch(/^generator saturated, numbers are a lower bound \(process 1: 97%/);
  });

  it('renders a self-contained HTML report with percentile and throughput charts', () => {
    const r = build([20, 97]);
    const html = renderReport(r);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html.match(/<svg /g)).toHaveLength(5); // 3 tiers + first audio by tier + throughput
    expect(html).toContain('99.9%');
    expect(html).toContain('generator saturated, numbers are a lower bound');
    expect(html).toContain('mix &lt;x&gt; &amp; &quot;y&quot;');
    expect(html).not.toContain('<x>');
  });

  it('chart helpers', () => {
    expect(niceCeil(37)).toBe(50);
    expect(niceCeil(101)).toBe(200);
    expect(niceCeil(0.3)).toBeCloseTo(0.5);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const svg = lineChart({ title: 't', series: [{ name: 's', color: '#000', points: [[1, 0], [100, 10]] }], xLog: true, xMin: 1, xMax: 100, xTicks: [{ v: 10, label: '90%' }], xLabel: 'x', yLabel: 'y' });
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 640 300"/);
    expect(svg).toMatch(/<path d="M58\.0,[\d.]+L624\.0,42\.0"/); // log x: 1 → left edge, 100 → right edge; y 10 → top
  });
});
