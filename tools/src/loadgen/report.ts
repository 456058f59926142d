/**
 * Self-contained HTML report (inline SVG and CSS, no scripts, no external assets) for a
 * load-generator result: summary, warnings, per-tier HdrHistogram percentile plots (log x axis
 * of 1/(1−p)), throughput over time, errors and generator CPU.
 */
import { TIERS, type Tier } from '@parley/protocol';
import type { LoadResult } from './coordinator.js';
import type { CurvePoint, PercentileSummary } from './metrics.js';

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Smallest "nice" number (1, 2, 2.5, 5 × 10^k) ≥ v. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * e >= v * (1 - 1e-9)) return m * e;
  return 10 * e;
}

export interface ChartSeries {
  name: string;
  color: string;
  points: [x: number, y: number][];
}

export interface ChartOptions {
  title: string;
  series: ChartSeries[];
  xLog?: boolean;
  xMin: number;
  xMax: number;
  xTicks: { v: number; label: string }[];
  xLabel: string;
  yLabel: string;
  vlines?: { v: number; label: string }[];
  width?: number;
  height?: number;
}

const fmtNum = (v: number): string => (v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, ''));

/** A line chart as an inline <svg>. */
export function lineChart(o: ChartOptions): string {
  const W = o.width ?? 640;
  const H = o.height ?? 300;
  const m = { l: 58, r: 16, t: 42, b: 46 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const tx = (x: number) => (o.xLog ? Math.log10(Math.max(x, o.xMin)) - Math.log10(o.xMin) : x - o.xMin) / (o.xLog ? Math.log10(o.xMax) - Math.log10(o.xMin) || 1 : o.xMax - o.xMin || 1);
  const yMaxRaw = Math.max(0, ...o.series.flatMap((s) => s.points.map((p) => p[1])));
  const yMax = niceCeil(yMaxRaw || 1);
  const X = (x: number) => m.l + tx(x) * pw;
  const Y = (y: number) => m.t + ph - (y / yMax) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(o.title)}">`);
  parts.push(`<text x="${W / 2}" y="15" text-anchor="middle" class="ct">${escapeHtml(o.title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = (yMax * i) / 5;
    parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${m.l - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${fmtNum(v)}</text>`);
  }
  for (const t of o.xTicks) {
    if (t.v < o.xMin || t.v > o.xMax) continue;
    parts.push(`<line x1="${X(t.v).toFixed(1)}" x2="${X(t.v).toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" class="grid"/>`);
    parts.push(`<text x="${X(t.v).toFixed(1)}" y="${m.t + ph + 16}" text-anchor="middle" class="tick">${escapeHtml(t.label)}</text>`);
  }
  for (const vl of o.vlines ?? []) {
    if (vl.v < o.xMin || vl.v > o.xMax) continue;
    parts.push(`<line x1="${X(vl.v).toFixed(1)}" x2="${X(vl.v).toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" class="vline"/>`);
    parts.push(`<text x="${(X(vl.v) + 3).toFixed(1)}" y="${m.t + 12}" class="tick">${escapeHtml(vl.label)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" class="frame"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 8}" text-anchor="middle" class="axis">${escapeHtml(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" class="axis">${escapeHtml(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    if (s.points.length > 0) {
      const d = s.points.map(([x, y], j) => `${j ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    }
    const lx = m.l + 8 + i * 110;
    parts.push(`<rect x="${lx}" y="${m.t - 13}" width="12" height="3" fill="${s.color}"/><text x="${lx + 16}" y="${m.t - 8}" class="tick">${escapeHtml(s.name)}${s.points.length ? '' : ' (no data)'}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

const PCT_TICKS = [
  { v: 1, label: '0%' },
  { v: 2, label: '50%' },
  { v: 10, label: '90%' },
  { v: 100, label: '99%' },
  { v: 1000, label: '99.9%' },
  { v: 10_000, label: '99.99%' },
  { v: 100_000, label: '99.999%' },
  { v: 1_000_000, label: '99.9999%' },
];

/** An HdrHistogram-style percentile distribution plot. */
export function percentileChart(title: string, series: { name: string; color: string; curve: CurvePoint[] }[]): string {
  const xMax = Math.max(10, ...series.flatMap((s) => s.curve.map((p) => p.x)));
  return lineChart({
    title,
    series: series.map((s) => ({ name: s.name, color: s.color, points: s.curve.map((p) => [p.x, p.value] as [number, number]) })),
    xLog: true,
    xMin: 1,
    xMax: 10 ** Math.ceil(Math.log10(xMax)),
    xTicks: PCT_TICKS,
    xLabel: 'percentile (log scale of 1/(1−p))',
    yLabel: 'ms from intended send',
  });
}

const METRIC_COLORS = { firstText: '#2b8a3e', firstAudio: '#1c7ed6', turn: '#e8590c' } as const;
const TIER_COLORS: Record<Tier, string> = { gold: '#d4a017', silver: '#868e96', bronze: '#a0522d' };

const ms = (v: number | null): string => (v === null ? '—' : v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US'));

function pctRow(label: string, p: PercentileSummary): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${p.count.toLocaleString('en-US')}</td>${[p.p50, p.p90, p.p99, p.p999, p.max, p.mean].map((v) => `<td>${ms(v)}</td>`).join('')}</tr>`;
}

const kv = (rows: [string, string | number][]): string => `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('')}</table>`;

export function renderReport(r: LoadResult): string {
  const t = r.totals;
  const body: string[] = [];
  body.push(`<h1>Parley load test — ${escapeHtml(r.scenario.name)}</h1>`);
  body.push(`<p class="sub">${escapeHtml(r.scenario.description ?? '')} · target ${escapeHtml(r.target.url)} · ${escapeHtml(r.startedAt)} · run ${escapeHtml(r.runId)}</p>`);
  if (r.warnings.length > 0) body.push(`<div class="warn"><b>Warnings</b><ul>${r.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`);

  body.push('<h2>Summary</h2><div class="row">');
  body.push(
    kv([
      ['NPC conversations', r.scenario.npcs.toLocaleString('en-US')],
      ['tier mix per 1,000', `gold ${r.scenario.tierMix.gold} · silver ${r.scenario.tierMix.silver} · bronze ${r.scenario.tierMix.bronze}`],
      ['arrival', r.scenario.arrival.kind === 'poisson' ? `Poisson, mean think ${r.scenario.arrival.meanThinkMs} ms` : `fixed every ${r.scenario.arrival.intervalMs} ms`],
      ['phases', `ramp-up ${r.phases.rampUpS} s · steady ${r.phases.steadyS} s · drain ≤ ${r.phases.drainS} s (wall ${r.phases.wallS} s)`],
      ['barge-in rate', r.scenario.bargeIn.rate],
      ['connections', `${t.connections} (${r.scenario.npcsPerConnection} NPCs each; gateway maxTurnsInFlight ${t.maxTurnsInFlight ?? '?'})`],
      ['generator processes', `${r.options.processes}${r.options.inline ? ' (inline)' : ''} on ${r.generator.cpuCores} cores`],
    ]),
  );
  body.push(
    kv([
      ['turns sent', t.sent],
      ['turns ended', t.ended],
      ['completed', t.completed],
      ['throughput (steady)', `${t.throughputTurnsPerS} turns/s ended · ${t.completedTurnsPerS} completed`],
      ['errored turns', t.errored],
      ['cancelled (barge-in sent)', `${t.cancelled} (${t.bargeIns})`],
      ['degraded', t.degraded],
      ['unfinished', t.unfinished],
      ['late sends (> ' + r.options.lateMs + ' ms)', `${t.lateSends} · held for maxTurnsInFlight ${t.queuedLocally}`],
      ['send lag p99 / max', `${ms(r.sendLagMs.p99)} / ${ms(r.sendLagMs.max)} ms`],
      ['audio received', `${(t.audioMs / 1000).toFixed(1)} s · playback stalls ${t.playbackStalls}`],
    ]),
  );
  body.push('</div>');

  body.push('<h2>Latency by tier (ms from intended send)</h2>');
  body.push('<table class="grid"><tr><th></th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>');
  for (const tier of TIERS) {
    const x = r.tiers[tier];
    body.push(`<tr class="tier"><th colspan="8">${tier} — ${x.conversations} NPCs · ${x.throughputTurnsPerS} turns/s (${x.completedTurnsPerS} completed) · completed ${x.counters.completed} · errors ${x.counters.errored} · degraded ${x.counters.degraded} · cancelled ${x.counters.cancelled}</th></tr>`);
    body.push(pctRow('first text', x.firstTextMs), pctRow('first audio', x.firstAudioMs), pctRow('turn', x.turnMs));
  }
  body.push('<tr class="tier"><th colspan="8">all tiers</th></tr>', pctRow('first text', r.all.firstTextMs), pctRow('first audio', r.all.firstAudioMs), pctRow('turn', r.all.turnMs));
  body.push('</table>');

  body.push('<h2>Percentile distributions</h2><div class="charts">');
  for (const tier of TIERS) {
    const c = r.tiers[tier].curves;
    body.push(
      percentileChart(`${tier}`, [
        { name: 'first text', color: METRIC_COLORS.firstText, curve: c.firstText },
        { name: 'first audio', color: METRIC_COLORS.firstAudio, curve: c.firstAudio },
        { name: 'turn', color: METRIC_COLORS.turn, curve: c.turn },
      ]),
    );
  }
  body.push(percentileChart('first audio by tier', TIERS.map((tier) => ({ name: tier, color: TIER_COLORS[tier], curve: r.tiers[tier].curves.firstAudio }))));
  body.push('</div>');

  body.push('<h2>Throughput over time</h2>');
  const tl = r.timeline;
  const xMax = Math.max(1, tl.length);
  body.push(
    lineChart({
      title: 'turns per second (1 s buckets)',
      series: [
        { name: 'sent', color: '#495057', points: tl.map((b) => [b.s + 0.5, b.sent]) },
        { name: 'ended', color: '#1c7ed6', points: tl.map((b) => [b.s + 0.5, b.ended]) },
        { name: 'completed', color: '#2b8a3e', points: tl.map((b) => [b.s + 0.5, b.completed]) },
        { name: 'errors', color: '#e03131', points: tl.map((b) => [b.s + 0.5, b.errors]) },
        { name: 'late sends', color: '#f59f00', points: tl.map((b) => [b.s + 0.5, b.late]) },
      ],
      xMin: 0,
      xMax,
      xTicks: Array.from({ length: 11 }, (_, i) => Math.round((xMax * i) / 10)).filter((v, i, a) => a.indexOf(v) === i).map((v) => ({ v, label: `${v}s` })),
      xLabel: 'seconds since start',
      yLabel: 'turns/s',
      vlines: [
        ...(r.phases.rampUpS > 0 ? [{ v: r.phases.rampUpS, label: 'steady' }] : []),
        { v: r.phases.rampUpS + r.phases.steadyS, label: 'drain' },
      ],
      width: 960,
    }),
  );

  body.push('<h2>Errors and audio</h2><table class="grid"><tr><th>tier</th><th>errors by code</th><th>audio RTF min / p1 / p10 / p50</th><th>single-chunk turns</th><th>playback stalls</th><th>late sends</th></tr>');
  for (const tier of TIERS) {
    const x = r.tiers[tier];
    const errs = Object.entries(x.errorsByCode).map(([c, n]) => `${c} ×${n}`).join(', ') || '—';
    const a = x.audioRtf;
    body.push(`<tr><th>${tier}</th><td>${escapeHtml(errs)}</td><td>${[a.min, a.p1, a.p10, a.p50].map((v) => (v === null ? '—' : v.toFixed(2))).join(' / ')}</td><td>${x.counters.singleChunkTurns}</td><td>${x.counters.playbackStalls}</td><td>${x.counters.lateSends}</td></tr>`);
  }
  const ce = Object.entries(r.connectionErrors).map(([c, n]) => `${c} ×${n}`).join(', ') || '—';
  body.push(`<tr><th>connection</th><td colspan="5">${escapeHtml(ce)}</td></tr></table>`);

  body.push('<h2>Generator</h2><table class="grid"><tr><th>process</th><th>pid</th><th>NPCs</th><th>connections</th><th>CPU % of one core (avg)</th><th>peak 1 s</th></tr>');
  for (const p of r.generator.processes) body.push(`<tr><th>${p.index}</th><td>${p.pid}</td><td>${p.conversations}</td><td>${p.connections}</td><td class="${p.cpuPercent > 85 ? 'bad' : ''}">${p.cpuPercent}</td><td>${p.peakCpuPercent}</td></tr>`);
  body.push(`<tr><th>coordinator</th><td colspan="3"></td><td>${r.generator.coordinatorCpuPercent}</td><td></td></tr></table>`);

  body.push(`<h2>Definitions</h2><dl>${Object.entries(r.definitions).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`);

  const css = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529;max-width:1400px}h1{margin:0 0 4px}h2{margin-top:28px;border-bottom:1px solid #dee2e6}.sub{color:#868e96;margin:0}
.warn{background:#fff4e6;border:1px solid #f76707;padding:8px 14px;margin:16px 0;border-radius:6px}.row{display:flex;gap:32px;flex-wrap:wrap}
table{border-collapse:collapse}table.kv th{text-align:left;padding:2px 12px 2px 0;color:#495057;font-weight:500}table.grid td,table.grid th{border:1px solid #dee2e6;padding:3px 8px;text-align:right}
table.grid tr.tier th{text-align:left;background:#f1f3f5}.bad{color:#c92a2a;font-weight:bold}.charts{display:flex;flex-wrap:wrap;gap:12px}
svg .grid{stroke:#e9ecef}svg .vline{stroke:#adb5bd;stroke-dasharray:4 3}svg .frame{fill:none;stroke:#adb5bd}svg .tick{font-size:11px;fill:#495057}svg .axis{font-size:12px;fill:#212529}svg .ct{font-size:13px;font-weight:600}
dt{font-weight:600;margin-top:6px}dd{margin-left:16px;color:#495057}`;
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Parley load test — ${escapeHtml(r.scenario.name)}</title><style>${css}</style></head><body>${body.join('\n')}</body></html>\n`;
}
