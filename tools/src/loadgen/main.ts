/** `npm run loadgen -- --scenario <name|file> …` — see LOADGEN_HELP in args.ts. */
import { join } from 'node:path';
import { readDevConfig } from '../client/dev-config.js';
import { LOADGEN_HELP, parseLoadgenArgs } from './args.js';
import { LoadgenError, runLoad, type LoadResult } from './coordinator.js';
import { checkTarget } from './safety.js';
import { ScenarioError, applyOverrides, loadScenario } from './scenario.js';

const fail = (message: string, code = 2): never => {
  process.stderr.write(`loadgen: ${message}\n`);
  process.exit(code);
};

const fmt = (v: number | null): string => (v === null ? '—' : v < 10 ? v.toFixed(1) : String(Math.round(v)));

function printSummary(r: LoadResult, files: { json: string; html: string } | null): void {
  const out: string[] = [];
  const t = r.totals;
  out.push(`\n${r.scenario.name}: ${t.sent} sent · ${t.ended} ended · ${t.completed} completed · ${t.throughputTurnsPerS} turns/s ended, ${t.completedTurnsPerS} completed (steady) · ${t.errored} errored · ${t.lateSends} late sends`);
  out.push('tier     turns/s  first text p50/p99   first audio p50/p99/p99.9/max      turn p50/p99       errors');
  for (const tier of ['gold', 'silver', 'bronze'] as const) {
    const x = r.tiers[tier];
    const errs = Object.entries(x.errorsByCode).map(([c, n]) => `${c}×${n}`).join(' ') || '0';
    out.push(
      `${tier.padEnd(8)} ${String(x.throughputTurnsPerS).padStart(7)}  ${`${fmt(x.firstTextMs.p50)}/${fmt(x.firstTextMs.p99)} ms`.padEnd(19)}  ${`${fmt(x.firstAudioMs.p50)}/${fmt(x.firstAudioMs.p99)}/${fmt(x.firstAudioMs.p999)}/${fmt(x.firstAudioMs.max)} ms`.padEnd(33)}  ${`${fmt(x.turnMs.p50)}/${fmt(x.turnMs.p99)} ms`.padEnd(17)}  ${errs}`,
    );
  }
  out.push(`generator CPU (% of one core): ${r.generator.processes.map((p) => `#${p.index} ${p.cpuPercent}% (peak ${p.peakCpuPercent}%)`).join(', ')}`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  if (files) out.push(`wrote ${files.json}\nwrote ${files.html}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const parsed = parseLoadgenArgs(process.argv.slice(2), process.env, readDevConfig());
  if (parsed.kind === 'help') {
    process.stdout.write(LOADGEN_HELP);
    return;
  }
  if (parsed.kind === 'error') return fail(parsed.message);
  const o = parsed.options;
  const targetProblem = checkTarget(o.url, o.allowRemote);
  if (targetProblem) return fail(targetProblem);
  let scenario;
  try {
    scenario = applyOverrides(loadScenario(o.scenario), {
      ...(o.npcs !== undefined ? { npcs: o.npcs } : {}),
      ...(o.durationS !== undefined ? { durationS: o.durationS } : {}),
      ...(o.processes !== undefined ? { processes: o.processes } : {}),
      ...(o.npcsPerConnection !== undefined ? { npcsPerConnection: o.npcsPerConnection } : {}),
    });
  } catch (err) {
    if (err instanceof ScenarioError) return fail(err.message);
    throw err;
  }
  for (const w of scenario.warnings) process.stderr.write(`loadgen: warning: ${w}\n`);
  const stamp = new Date().toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '');
  const outDir = o.out ?? join('out', 'loadgen', `${scenario.name}-${stamp}`);
  const tty = process.stderr.isTTY;
  const abort = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nloadgen: stopping: no more sends, draining turns in flight (Ctrl-C again to quit now)\n');
      abort.abort();
    } else process.exit(130);
  });
  process.stderr.write(
    `loadgen: ${scenario.name}: ${scenario.npcs} NPCs over ${Math.ceil(scenario.npcs / scenario.npcsPerConnection)} connections, ${scenario.processes} process(es), ramp-up ${scenario.rampUpS} s + steady ${scenario.steadyS} s → ${o.url}\n`,
  );
  let lastPrinted = 0;
  const { result, files } = await runLoad({
    url: o.url,
    token: o.token,
    scenario,
    outDir,
    seed: o.seed,
    lateMs: o.lateMs,
    overflow: o.overflow,
    allowRemote: o.allowRemote,
    signal: abort.signal,
    ...(o.quiet
      ? {}
      : {
          onProgress: (line: string, final: boolean) => {
            if (tty) process.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
            else if (final || Date.now() - lastPrinted >= 5000) {
              lastPrinted = Date.now();
              process.stderr.write(`${line}\n`);
            }
          },
        }),
  });
  printSummary(result, files);
}

main().catch((err: unknown) => {
  if (err instanceof LoadgenError || err instanceof ScenarioError) fail(err.message, 1);
  fail(`unexpected error: ${err instanceof Error ? err.message : String(err)}`, 1);
});
