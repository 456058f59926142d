/** Command-line parsing for `npm run loadgen` (pure: argv + env in, options or a message out). */
import { parseArgs } from 'node:util';
import { DEFAULT_WS_URL, resolveToken, type DevConfig } from '../client/dev-config.js';
import { MAX_DURATION_S } from './safety.js';

export const LOADGEN_HELP = `Parley load generator (open loop, protocol v1)

Usage:
  npm run loadgen -- --scenario <name|file> [--url ws://127.0.0.1:8787/v1/ws] [--token T] [--out DIR] [options]

Required:
  --scenario NAME|FILE     a shipped scenario (smoke, 100, 500, 1000, 5000, 10000 = npcs-<n>)
                           or a path to a scenario .json file (see tools/scenarios/)

Target:
  --url URL                gateway WebSocket URL (default: .parley/dev.json from npm start, else ${DEFAULT_WS_URL})
  --token T                client token (default: $PARLEY_TOKEN, else .parley/dev.json)
  --allow-remote           allow a non-loopback target (refused by default: a load test can take a gateway down)

Shape (override the scenario file):
  --processes N            generator processes; their histograms are merged exactly
  --npcs-per-connection N  NPC conversations multiplexed over one WebSocket
  --npcs N                 number of simulated NPC conversations
  --duration S             send window in seconds (ramp-up + steady, at most ${MAX_DURATION_S}; ramp-up is cut to at most half)
  --seed N                 seed for schedules, texts and barge-ins (default 1)

Measurement:
  --late-ms MS             a send more than MS after its intended time counts as late (default 10)
  --overflow queue|send    when a connection already has maxTurnsInFlight turns open: hold the send
                           locally until one ends (queue, default) or send anyway and let the gateway
                           answer rate_limited (send). Either way latency counts from the intended time.

Output:
  --out DIR                where result.json and report.html go (default out/loadgen/<scenario>-<time>)
  --quiet                  no live progress line
  -h, --help               this help

Latencies are measured from each turn's intended send time, so a stalled gateway shows up in the
tail instead of slowing the arrival rate. See result.json "definitions" for every metric.
`;

export interface LoadgenOptions {
  url: string;
  token: string;
  scenario: string;
  out: string | null;
  allowRemote: boolean;
  processes?: number;
  npcsPerConnection?: number;
  npcs?: number;
  durationS?: number;
  seed: number;
  lateMs: number;
  overflow: 'queue' | 'send';
  quiet: boolean;
}

export type ParsedLoadgenArgs = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; options: LoadgenOptions };

const intArg = (name: string, raw: string | undefined, min: number, max: number): number | undefined | string => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) return `--${name} ${raw}: must be a whole number from ${min} to ${max}`;
  return n;
};

export function parseLoadgenArgs(argv: string[], env: NodeJS.ProcessEnv = {}, dev: DevConfig = {}): ParsedLoadgenArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        scenario: { type: 'string' },
        out: { type: 'string' },
        'allow-remote': { type: 'boolean', default: false },
        processes: { type: 'string' },
        'npcs-per-connection': { type: 'string' },
        npcs: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        'late-ms': { type: 'string' },
        overflow: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: `${err instanceof Error ? err.message.replace(/\. To specify a positional.*$/s, '') : String(err)}\nRun with --help for usage.` };
  }
  if (values.help) return { kind: 'help' };
  if (!values.scenario) return { kind: 'error', message: 'missing --scenario (e.g. --scenario smoke, --scenario 1000, or a path to a .json file). Run with --help for usage.' };
  const token = resolveToken(values.token, env, dev);
  if (!token) return { kind: 'error', message: 'no token: pass --token T or set PARLEY_TOKEN (npm start prints a development token)' };

  const ints: Record<string, number | undefined> = {};
  for (const [name, min, max] of [
    ['processes', 1, 64],
    ['npcs-per-connection', 1, 100_000],
    ['npcs', 1, 100_000],
    ['seed', 0, 2 ** 32 - 1],
    ['late-ms', 0, 60_000],
  ] as const) {
    const r = intArg(name, values[name], min, max);
    if (typeof r === 'string') return { kind: 'error', message: r };
    ints[name] = r;
  }
  let durationS: number | undefined;
  if (values.duration !== undefined) {
    durationS = Number(values.duration);
    if (!Number.isFinite(durationS) || durationS <= 0 || durationS > MAX_DURATION_S) return { kind: 'error', message: `--duration ${values.duration}: must be a number of seconds above 0 and at most ${MAX_DURATION_S}` };
  }
  const overflow = values.overflow ?? 'queue';
  if (overflow !== 'queue' && overflow !== 'send') return { kind: 'error', message: `--overflow ${overflow}: must be queue or send` };
  return {
    kind: 'run',
    options: {
      url: values.url ?? dev.url ?? DEFAULT_WS_URL,
      token,
      scenario: values.scenario,
      out: values.out ?? null,
      allowRemote: values['allow-remote'],
      ...(ints.processes !== undefined ? { processes: ints.processes } : {}),
      ...(ints['npcs-per-connection'] !== undefined ? { npcsPerConnection: ints['npcs-per-connection'] } : {}),
      ...(ints.npcs !== undefined ? { npcs: ints.npcs } : {}),
      ...(durationS !== undefined ? { durationS } : {}),
      seed: ints.seed ?? 1,
      lateMs: ints['late-ms'] ?? 10,
      overflow,
      quiet: values.quiet,
    },
  };
}
