/**
 * Runs a scenario: forks the generator processes (or runs one inline), starts them on a shared
 * wall-clock instant, shows live progress, merges their histograms exactly and writes
 * result.json + report.html.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIERS, type Tier } from '@parley/protocol';
import type { FromWorker, ToWorker } from './ipc.js';
import {
  LATENCY_METRICS,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  mergeSnapshots,
  percentileCurve,
  summarize,
  summarizeLow,
  type CurvePoint,
  type MergedMetrics,
  type PercentileSummary,
  type TierCounters,
} from './metrics.js';
import { checkTarget } from './safety.js';
import type { Scenario } from './scenario.js';
import { tierCounts } from './plan.js';
import { LoadWorker, type ConnectSummary, type WorkerInit, type WorkerProgress, type WorkerReport } from './worker.js';
import { renderReport } from './report.js';
import { REPO_ROOT } from '../client/dev-config.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** A generator process busier than this (% of one core) makes the numbers a lower bound. */
export const SATURATION_PERCENT = 85;
export const SATURATION_WARNING = 'generator saturated, numbers are a lower bound';

export interface RunOptions {
  url: string;
  token: string;
  scenario: Scenario;
  /** Where result.json and report.html go; null writes nothing. */
  outDir: string | null;
  seed: number;
  lateMs: number;
  overflow: 'queue' | 'send';
  allowRemote?: boolean;
  /** Run the single generator in this process instead of forking (tests; needs processes = 1). */
  inline?: boolean;
  /** Receives the live progress line about once a second (and once at the end with final = true). */
  onProgress?: (line: string, final: boolean) => void;
  /** Aborting ends the send phase early; turns in flight still drain briefly. */
  signal?: AbortSignal;
}

export class LoadgenError extends Error {
  override name = 'LoadgenError';
}

export interface TierResult {
  conversations: number;
  counters: TierCounters;
  errorsByCode: Record<string, number>;
  /** Turns ended (any outcome) per second over the steady phase (whole send window if there is no steady phase). */
  throughputTurnsPerS: number;
  /** Completed turns (no error, not cancelled) per second over the same window. */
  completedTurnsPerS: number;
  firstTextMs: PercentileSummary;
  firstAudioMs: PercentileSummary;
  turnMs: PercentileSummary;
  /** Streaming real-time factor as received (see definitions.audioRtf): low percentiles are the bad ones. */
  audioRtf: ReturnType<typeof summarizeLow>;
  curves: Record<(typeof LATENCY_METRICS)[number], CurvePoint[]>;
}

export interface LoadResult {
  tool: 'parley-loadgen';
  version: 1;
  runId: string;
  startedAt: string;
  finishedAt: string;
  target: { url: string };
  scenario: Omit<Scenario, 'corpus' | 'warnings'> & { corpusLines: number };
  options: { seed: number; lateMs: number; overflow: 'queue' | 'send'; processes: number; inline: boolean };
  definitions: Record<string, string>;
  phases: { rampUpS: number; steadyS: number; drainS: number; measuredFromS: number; wallS: number; stoppedEarly: boolean };
  totals: TierCounters & {
    connections: number;
    connectFailures: number;
    reconnects: number;
    throughputTurnsPerS: number;
    completedTurnsPerS: number;
    maxTurnsInFlight: number | null;
  };
  errorsByCode: Record<string, number>;
  connectionErrors: Record<string, number>;
  tiers: Record<Tier, TierResult>;
  /** All tiers together. */
  all: Omit<TierResult, 'conversations' | 'counters' | 'errorsByCode' | 'throughputTurnsPerS' | 'completedTurnsPerS' | 'curves'>;
  sendLagMs: PercentileSummary;
  timeline: { s: number; sent: number; ended: number; completed: number; errors: number; late: number; endedByTier: Record<Tier, number> }[];
  generator: {
    processes: { index: number; pid: number; conversations: number; connections: number; cpuPercent: number; peakCpuPercent: number; userMs: number; systemMs: number }[];
    coordinatorCpuPercent: number;
    cpuCores: number;
    saturated: boolean;
  };
  warnings: string[];
  /** Merged HdrHistograms (compressed base64, µs; rtf ×1000) for exact re-merging elsewhere. */
  histograms: Record<Tier, Record<string, string>> & { sendLag: string };
}

export const DEFINITIONS: Record<string, string> = {
  latency: 'All latencies are measured from the intended send time of the say (open loop, no coordinated omission), not from when it actually went out.',
  firstTextMs: 'Intended send → first text frame received.',
  firstAudioMs: 'Intended send → first audio frame received.',
  turnMs: 'Intended send → end frame received, for completed turns (not cancelled, no error). Turns still open when the drain ends are recorded with their elapsed time as a lower bound and counted as unfinished.',
  audioRtf:
    'Streaming real-time factor as received, per turn with ≥ 2 audio chunks: audio ms received before the last chunk ÷ wall ms from the first to the last audio chunk. 1.0 = audio arrived exactly as fast as it plays; < 1 means playback would stall. Low percentiles (min, p1, p10) are the interesting ones.',
  playbackStalls: 'Turns where gapless playback started at the first audio chunk would have waited > 1 ms for a later chunk.',
  lateSends: 'Sends that went out more than lateMs after their intended time (generator backpressure: event-loop lag, or held by the connection’s maxTurnsInFlight).',
  throughputTurnsPerS: 'Turns ended (any outcome) per second during the steady phase; completedTurnsPerS counts only completed turns.',
  bargeIns: 'With bargeIn.rate r, a fraction r of turns gets a cancel (heardMs = the delay) a random [min, max] ms after its first audio arrives — only if the turn is still in flight then.',
  measuredWindow: 'Latency histograms include turns whose intended send time is in the steady phase (all turns when there is no steady phase); counters include every turn.',
  cpuPercent: 'process.cpuUsage() of each generator process over the run, as % of one core. Above 85 % the generator itself adds latency.',
};

interface WorkerHandle {
  send(msg: ToWorker): void;
  on(cb: (msg: FromWorker) => void): void;
  exited: Promise<number | null>;
  kill(): void;
}

function forkWorker(index: number): WorkerHandle {
  const isTs = import.meta.url.endsWith('.ts');
  const entry = join(HERE, `worker-main.${isTs ? 'ts' : 'js'}`);
  const child: ChildProcess = fork(entry, [], {
    cwd: REPO_ROOT,
    execArgv: isTs ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, PARLEY_LOADGEN_PROCESS: String(index) },
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    on: (cb) => child.on('message', (m) => cb(m as FromWorker)),
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function inlineWorker(): WorkerHandle {
  let worker: LoadWorker | null = null;
  const listeners: ((msg: FromWorker) => void)[] = [];
  let exit!: (code: number | null) => void;
  const exited = new Promise<number | null>((r) => (exit = r));
  const emit = (msg: FromWorker) => setImmediate(() => listeners.forEach((l) => l(msg)));
  return {
    send: (msg) => {
      void (async () => {
        try {
          if (msg.type === 'init') {
            worker = new LoadWorker(msg.init);
            const summary = await worker.connect();
            emit({ type: 'ready', summary, conversations: worker.conversationCount });
          } else if (msg.type === 'start') {
            const report = await worker!.run(msg.startAtEpochMs, (progress) => emit({ type: 'progress', progress }));
            emit({ type: 'result', report });
            setImmediate(() => exit(0));
          } else worker?.stop();
        } catch (err) {
          emit({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
          setImmediate(() => exit(1));
        }
      })();
    },
    on: (cb) => listeners.push(cb),
    exited,
    kill: () => worker?.stop(),
  };
}

const fmtMs = (ms: number | null): string => (ms === null ? '—' : ms < 10 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export async function runLoad(opts: RunOptions): Promise<{ result: LoadResult; files: { json: string; html: string } | null }> {
  const s = opts.scenario;
  const targetProblem = checkTarget(opts.url, opts.allowRemote ?? false);
  if (targetProblem) throw new LoadgenError(targetProblem);
  const processes = s.processes;
  const inline = opts.inline ?? false;
  if (inline && processes !== 1) throw new LoadgenError('inline runs use exactly one process');
  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date();
  const coordCpu0 = process.cpuUsage();
  const coordWall0 = performance.now();
  const warnings = [...s.warnings];
  const cores = availableParallelism();
  if (processes > cores) warnings.push(`${processes} generator processes on ${cores} CPU cores: processes compete for CPU`);

  const handles = Array.from({ length: processes }, (_, i) => (inline ? inlineWorker() : forkWorker(i)));
  const ready = new Map<number, { summary: ConnectSummary; conversations: number }>();
  const progress = new Map<number, WorkerProgress>();
  const reports = new Map<number, WorkerReport>();
  const failures: string[] = [];
  const failed = new Set<number>();
  let onReady: () => void = () => {};
  let onReport: () => void = () => {};
  handles.forEach((h, i) => {
    h.on((msg) => {
      if (msg.type === 'ready') {
        ready.set(i, msg);
        onReady();
      } else if (msg.type === 'progress') progress.set(i, msg.progress);
      else if (msg.type === 'result') {
        reports.set(i, msg.report);
        onReport();
      } else if (msg.type === 'failed') {
        failures.push(`generator process ${i}: ${msg.message}`);
        failed.add(i);
        onReady();
        onReport();
      }
    });
    void h.exited.then((code) => {
      if (!reports.has(i) && !failed.has(i)) {
        failures.push(`generator process ${i} exited with code ${code} before reporting`);
        failed.add(i);
      }
      onReady();
      onReport();
    });
  });
  const killAll = () => handles.forEach((h) => h.kill());

  try {
    // 1. init + connect
    const init = (i: number): WorkerInit => ({ url: opts.url, token: opts.token, scenario: s, processes, processIndex: i, runId, seed: opts.seed, lateMs: opts.lateMs, overflow: opts.overflow });
    handles.forEach((h, i) => h.send({ type: 'init', init: init(i) }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LoadgenError(`generator processes not ready after 120 s (${ready.size}/${processes} ready)`)), 120_000);
      onReady = () => {
        if (failures.length > 0) {
          clearTimeout(timer);
          reject(new LoadgenError(failures.join('; ')));
        } else if (ready.size === processes) {
          clearTimeout(timer);
          resolve();
        }
      };
      onReady();
    });
    const summaries = [...ready.values()].map((r) => r.summary);
    const connected = summaries.reduce((n, x) => n + x.connected, 0);
    const connections = summaries.reduce((n, x) => n + x.connections, 0);
    if (connected === 0) throw new LoadgenError(`could not open any connection to ${opts.url}: ${summaries.find((x) => x.firstError)?.firstError ?? 'unknown error'}`);
    if (connected < connections) warnings.push(`${connections - connected} of ${connections} connections failed to open at start (${summaries.find((x) => x.firstError)?.firstError})`);
    const maxTurnsInFlight = summaries.find((x) => x.maxTurnsInFlight !== null)?.maxTurnsInFlight ?? null;

    // 2. start together
    const startAtEpochMs = Date.now() + 300;
    handles.forEach((h) => h.send({ type: 'start', startAtEpochMs }));
    let stoppedEarly = false;
    const stop = () => {
      stoppedEarly = true;
      handles.forEach((h) => h.send({ type: 'stop' }));
    };
    opts.signal?.addEventListener('abort', stop, { once: true });

    // 3. live progress
    let lastEnded = 0;
    let lastAt = performance.now();
    const progressLine = (final = false): string => {
      const ps = [...progress.values()];
      const sum = (k: 'sent' | 'ended' | 'inFlight' | 'late' | 'errors') => ps.reduce((n, p) => n + p[k], 0);
      const now = performance.now();
      const ended = sum('ended');
      // Live: turns ended over the last second; final: the average over the run.
      const rate = final ? (ended * 1000) / Math.max(1, Date.now() - startAtEpochMs) : ((ended - lastEnded) * 1000) / Math.max(1, now - lastAt);
      lastEnded = ended;
      lastAt = now;
      const fa = ps.length ? mergeHistograms(ps.map((p) => decodeHistogram(p.firstAudio))) : null;
      const p99 = fa && fa.totalCount > 0 ? fa.getValueAtPercentile(99) / 1000 : null;
      const elapsed = (Date.now() - startAtEpochMs) / 1000;
      const phase = elapsed < s.rampUpS ? 'ramp-up' : elapsed < s.rampUpS + s.steadyS && !stoppedEarly ? 'steady' : 'drain';
      const cpu = ps.length ? Math.max(...ps.map((p) => p.cpuPercent)) : 0;
      return `[${elapsed.toFixed(0).padStart(4)} s ${phase.padEnd(7)}] sent ${sum('sent')} · done ${ended} · in flight ${sum('inFlight')} · ${rate.toFixed(1)} turns/s${final ? ' avg' : ''} · p99 first audio ${fmtMs(p99)} · late ${sum('late')} · errors ${sum('errors')} · cpu ${cpu.toFixed(0)}%`;
    };
    const ticker = opts.onProgress ? setInterval(() => opts.onProgress!(progressLine(), false), 1000) : null;
    ticker?.unref();

    // 4. results
    const s0 = s.rampUpS + s.steadyS + s.drainS;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LoadgenError(`generator processes did not report within ${Math.round(s0 + 60)} s`)), (s0 + 60) * 1000);
      onReport = () => {
        const settled = handles.every((_, i) => reports.has(i) || failed.has(i));
        if (settled) {
          clearTimeout(timer);
          resolve();
        }
      };
      onReport();
    });
    if (ticker) clearInterval(ticker);
    opts.signal?.removeEventListener('abort', stop);
    if (opts.onProgress && progress.size > 0) opts.onProgress(progressLine(true), true);
    if (reports.size === 0) throw new LoadgenError(failures.join('; ') || 'no generator process reported');
    for (const f of failures) warnings.push(`${f}: its turns are missing from the results`);
    await Promise.all(handles.map((h) => h.exited));

    const coordCpu = process.cpuUsage(coordCpu0);
    const coordPct = ((coordCpu.user + coordCpu.system) / 1000 / Math.max(1, performance.now() - coordWall0)) * 100;
    const result = buildResult({ opts, runId, startedAt, reports: [...reports.values()].sort((a, b) => a.processIndex - b.processIndex), warnings, coordPct, cores, connections, maxTurnsInFlight, stoppedEarly, wallS: (Date.now() - startAtEpochMs) / 1000, inline });
    let files: { json: string; html: string } | null = null;
    if (opts.outDir) {
      mkdirSync(opts.outDir, { recursive: true });
      files = { json: join(opts.outDir, 'result.json'), html: join(opts.outDir, 'report.html') };
      writeFileSync(files.json, `${JSON.stringify(result, null, 2)}\n`);
      writeFileSync(files.html, renderReport(result));
    }
    return { result, files };
  } finally {
    killAll();
  }
}

interface BuildInput {
  opts: RunOptions;
  runId: string;
  startedAt: Date;
  reports: WorkerReport[];
  warnings: string[];
  coordPct: number;
  cores: number;
  connections: number;
  maxTurnsInFlight: number | null;
  stoppedEarly: boolean;
  wallS: number;
  inline: boolean;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export function buildResult(b: BuildInput): LoadResult {
  const s = b.opts.scenario;
  const merged: MergedMetrics = mergeSnapshots(b.reports.map((r) => r.metrics));
  const counts = tierCounts(s.npcs, s.tierMix);
  // Steady window in whole seconds of the timeline.
  const fromS = s.steadyS > 0 ? Math.ceil(s.rampUpS) : 0;
  const toS = Math.max(fromS + 1, Math.floor(s.rampUpS + s.steadyS));
  const windowEnded = (arr: number[]) => arr.slice(fromS, toS).reduce((a, n) => a + n, 0) / (toS - fromS);

  const tiers = {} as Record<Tier, TierResult>;
  for (const t of TIERS) {
    const m = merged.tiers[t];
    tiers[t] = {
      conversations: counts[t],
      counters: { ...m.counters, audioMs: Math.round(m.counters.audioMs) },
      errorsByCode: m.errors,
      throughputTurnsPerS: round(windowEnded(m.timeline.ended)),
      completedTurnsPerS: round(windowEnded(m.timeline.completed)),
      firstTextMs: summarize(m.hist.firstText),
      firstAudioMs: summarize(m.hist.firstAudio),
      turnMs: summarize(m.hist.turn),
      audioRtf: summarizeLow(m.hist.rtf),
      curves: { firstText: percentileCurve(m.hist.firstText), firstAudio: percentileCurve(m.hist.firstAudio), turn: percentileCurve(m.hist.turn) },
    };
  }
  const allHist = (k: 'firstText' | 'firstAudio' | 'turn' | 'rtf') => mergeHistograms(TIERS.map((t) => merged.tiers[t].hist[k]));
  const totals = { ...tiers.gold.counters };
  for (const t of ['silver', 'bronze'] as const) for (const k of Object.keys(totals) as (keyof TierCounters)[]) totals[k] += tiers[t].counters[k];
  const errorsByCode: Record<string, number> = {};
  for (const t of TIERS) for (const [code, n] of Object.entries(tiers[t].errorsByCode)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;

  const len = Math.max(...TIERS.flatMap((t) => [merged.tiers[t].timeline.sent.length, merged.tiers[t].timeline.ended.length]), merged.late.length, 0);
  const timeline: LoadResult['timeline'] = [];
  for (let i = 0; i < len; i++) {
    const endedByTier = Object.fromEntries(TIERS.map((t) => [t, merged.tiers[t].timeline.ended[i] ?? 0])) as Record<Tier, number>;
    timeline.push({
      s: i,
      sent: TIERS.reduce((n, t) => n + (merged.tiers[t].timeline.sent[i] ?? 0), 0),
      ended: TIERS.reduce((n, t) => n + endedByTier[t], 0),
      completed: TIERS.reduce((n, t) => n + (merged.tiers[t].timeline.completed[i] ?? 0), 0),
      errors: TIERS.reduce((n, t) => n + (merged.tiers[t].timeline.errors[i] ?? 0), 0),
      late: merged.late[i] ?? 0,
      endedByTier,
    });
  }

  const warnings = [...b.warnings];
  const procs = b.reports.map((r) => ({ index: r.processIndex, pid: r.pid, conversations: r.conversations, connections: r.connections, cpuPercent: r.cpu.percent, peakCpuPercent: r.cpu.peakPercent, userMs: r.cpu.userMs, systemMs: r.cpu.systemMs }));
  const saturated = procs.filter((p) => p.cpuPercent > SATURATION_PERCENT);
  if (saturated.length > 0) warnings.unshift(`${SATURATION_WARNING} (process ${saturated.map((p) => `${p.index}: ${p.cpuPercent}%`).join(', ')} of one core; add --processes)`);
  else {
    const peaky = procs.filter((p) => p.peakCpuPercent > SATURATION_PERCENT);
    if (peaky.length > 0) warnings.push(`generator process ${peaky.map((p) => `${p.index} peaked at ${p.peakCpuPercent}%`).join(', ')} of one core in some second: tail latencies may include generator delay`);
  }
  if (totals.sent > 0 && totals.lateSends / totals.sent > 0.01) {
    const why =
      totals.queuedLocally > 0
        ? `${totals.queuedLocally} sends were held because their connection already had maxTurnsInFlight (${b.maxTurnsInFlight ?? '?'}) turns open (a slow gateway, or too many NPCs per connection: see --npcs-per-connection); the rest waited for the generator's event loop`
        : "the generator's event loop could not keep up (add --processes)";
    warnings.push(`${((100 * totals.lateSends) / totals.sent).toFixed(1)}% of sends were late (> ${b.opts.lateMs} ms after their intended time): ${why}`);
  }
  if (totals.unfinished > 0) warnings.push(`${totals.unfinished} turns were still open when the drain ended (recorded as unfinished, elapsed time as a lower bound)`);
  const connErrs = Object.entries(merged.connectionErrors);
  if (connErrs.length > 0) warnings.push(`connection-level errors: ${connErrs.map(([c, n]) => `${c} ×${n}`).join(', ')}`);
  if (b.stoppedEarly) warnings.push('stopped early (interrupted): the steady phase is shorter than planned');

  const histograms = Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries(Object.entries(merged.tiers[t].hist).map(([k, h]) => [k, encodeHistogram(h)]))])) as unknown as LoadResult['histograms'];
  histograms.sendLag = encodeHistogram(merged.sendLag);
  const { corpus, warnings: _w, ...scenarioRest } = s;

  return {
    tool: 'parley-loadgen',
    version: 1,
    runId: b.runId,
    startedAt: b.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    target: { url: b.opts.url },
    scenario: { ...scenarioRest, corpusLines: corpus.length },
    options: { seed: b.opts.seed, lateMs: b.opts.lateMs, overflow: b.opts.overflow, processes: s.processes, inline: b.inline },
    definitions: DEFINITIONS,
    phases: { rampUpS: s.rampUpS, steadyS: s.steadyS, drainS: s.drainS, measuredFromS: s.steadyS > 0 ? s.rampUpS : 0, wallS: round(b.wallS), stoppedEarly: b.stoppedEarly },
    totals: {
      ...totals,
      audioMs: Math.round(totals.audioMs),
      connections: b.connections,
      connectFailures: b.reports.reduce((n, r) => n + r.connectFailures, 0),
      reconnects: b.reports.reduce((n, r) => n + r.reconnects, 0),
      throughputTurnsPerS: round(TIERS.reduce((n, t) => n + windowEnded(merged.tiers[t].timeline.ended), 0)),
      completedTurnsPerS: round(TIERS.reduce((n, t) => n + windowEnded(merged.tiers[t].timeline.completed), 0)),
      maxTurnsInFlight: b.maxTurnsInFlight,
    },
    errorsByCode,
    connectionErrors: merged.connectionErrors,
    tiers,
    all: { firstTextMs: summarize(allHist('firstText')), firstAudioMs: summarize(allHist('firstAudio')), turnMs: summarize(allHist('turn')), audioRtf: summarizeLow(allHist('rtf')) },
    sendLagMs: summarize(merged.sendLag),
    timeline,
    generator: { processes: procs, coordinatorCpuPercent: round(b.coordPct, 1), cpuCores: b.cores, saturated: saturated.length > 0 },
    warnings,
    histograms,
  };
}
