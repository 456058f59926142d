/**
 * Scenario files (tools/scenarios/*.json): who talks, how often, for how long. Validated with
 * valibot; every problem is reported as `file: field: message`.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { TIERS, type Tier } from '@parley/protocol';
import { MAX_DRAIN_S, MAX_DURATION_S } from './safety.js';

export const SCENARIO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

/** Target tier mix per 1,000 NPCs (inclusive ranges). */
export const TIER_TARGETS: Record<Tier, readonly [number, number]> = { gold: [80, 200], silver: [200, 400], bronze: [300, 600] };

/** The development catalog (gateway/config/npcs.json) by tier; a scenario may override it. */
export const DEV_CATALOG: Record<Tier, string[]> = {
  gold: ['vampire-lord'],
  silver: ['innkeeper', 'oracle'],
  bronze: ['zombie', 'guard', 'blacksmith'],
};

const int = (min: number, max: number) => v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));
const num = (min: number, max: number) => v.pipe(v.number(), v.finite(), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));
const NpcIds = v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a catalog id like "vampire-lord"'))), v.minLength(1, 'must list at least one NPC id'));

const Arrival = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('poisson'), meanThinkMs: num(10, 3_600_000) }),
    v.strictObject({ kind: v.literal('fixed'), intervalMs: num(10, 3_600_000) }),
  ],
  'arrival.kind must be "poisson" (with meanThinkMs) or "fixed" (with intervalMs)',
);

export const ScenarioSchema = v.pipe(
  v.strictObject({
    $schema: v.optional(v.string()),
    name: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1..64 characters [A-Za-z0-9._-]')),
    description: v.optional(v.string()),
    /** Simulated NPC conversations (each = one NPC id + one unique player id). */
    npcs: int(1, 100_000),
    /** Tier mix per 1,000 NPCs; must sum to 1000. */
    tierMix: v.pipe(
      v.strictObject({ gold: int(0, 1000), silver: int(0, 1000), bronze: int(0, 1000) }),
      v.check((m) => m.gold + m.silver + m.bronze === 1000, 'gold + silver + bronze must sum to 1000 (it is a mix per 1,000 NPCs)'),
    ),
    rampUpS: num(0, MAX_DURATION_S),
    steadyS: num(0, MAX_DURATION_S),
    /** After the last send, how long to wait for turns still in flight. */
    drainS: v.optional(num(0, MAX_DRAIN_S), 15),
    /** Per conversation: when the player speaks, independent of replies (open loop). */
    arrival: Arrival,
    bargeIn: v.optional(
      v.strictObject({
        /** Fraction of turns the player interrupts (0..1). */
        rate: num(0, 1),
        /** The cancel is sent this long after the turn's first audio arrives: [min, max] ms, uniform. */
        afterFirstAudioMs: v.pipe(v.tuple([num(0, 600_000), num(0, 600_000)]), v.check(([a, b]) => a <= b, 'must be [min, max] with min ≤ max')),
      }),
      { rate: 0, afterFirstAudioMs: [0, 0] },
    ),
    npcsPerConnection: v.optional(int(1, 100_000), 8),
    processes: v.optional(int(1, 64), 1),
    /** Player lines: inline, or a text file (one line each, # comments) relative to the scenario file. */
    corpus: v.union([v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(2000))), v.minLength(1, 'must have at least one line')), v.pipe(v.string(), v.minLength(1))], 'must be an array of player lines or a path to a text file'),
    catalog: v.optional(v.strictObject({ gold: NpcIds, silver: NpcIds, bronze: NpcIds })),
  }),
  v.check((s) => s.rampUpS + s.steadyS > 0, 'rampUpS + steadyS must be more than 0'),
  v.check((s) => s.rampUpS + s.steadyS <= MAX_DURATION_S, `rampUpS + steadyS must be at most ${MAX_DURATION_S} s (bounded by design; use --duration for shorter runs)`),
);

export type ScenarioInput = v.InferOutput<typeof ScenarioSchema>;

/** A validated scenario with its corpus loaded and CLI overrides applied. */
export interface Scenario extends Omit<ScenarioInput, 'corpus' | 'catalog' | '$schema'> {
  corpus: string[];
  catalog: Record<Tier, string[]>;
  /** Where it came from. */
  source: string;
  /** Non-fatal findings (e.g. a tier mix outside the targets). */
  warnings: string[];
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Formats every valibot issue as `field: message`. */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((i) => {
    const path = i.path?.map((p) => String(p.key)).join('.') ?? '';
    return path ? `${path}: ${i.message}` : i.message;
  });
}

/** Warnings for a tier mix outside the per-1,000 targets. */
export function mixWarnings(mix: Record<Tier, number>): string[] {
  const out: string[] = [];
  for (const t of TIERS) {
    const [lo, hi] = TIER_TARGETS[t];
    if (mix[t] < lo || mix[t] > hi) out.push(`tierMix.${t} = ${mix[t]} per 1,000 is outside the target ${lo}–${hi}`);
  }
  return out;
}

/** Parses and validates scenario JSON text. `baseDir` resolves a corpus file path. */
export function parseScenario(text: string, source: string, baseDir: string, readCorpus: (path: string) => string = (p) => readFileSync(p, 'utf8')): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const r = v.safeParse(ScenarioSchema, raw);
  if (!r.success) throw new ScenarioError(`${source}: invalid scenario\n  ${formatIssues(r.issues).join('\n  ')}`);
  const s = r.output;
  let corpus: string[];
  if (typeof s.corpus === 'string') {
    const path = isAbsolute(s.corpus) ? s.corpus : join(baseDir, s.corpus);
    let body: string;
    try {
      body = readCorpus(path);
    } catch {
      throw new ScenarioError(`${source}: corpus: cannot read ${path}`);
    }
    corpus = body
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !l.startsWith('#'))
      .map((l) => l.slice(0, 2000));
    if (corpus.length === 0) throw new ScenarioError(`${source}: corpus: ${path} has no lines`);
  } else corpus = s.corpus;
  const { $schema: _schema, corpus: _corpus, catalog, ...rest } = s;
  return { ...rest, corpus, catalog: catalog ?? DEV_CATALOG, source, warnings: mixWarnings(s.tierMix) };
}

/** Names of the scenario files shipped in tools/scenarios. */
export function listScenarios(dir = SCENARIO_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

/** Resolves `smoke`, `1000` (→ npcs-1000), `npcs-1000` or a file path to a scenario file path. */
export function resolveScenarioPath(nameOrFile: string, dir = SCENARIO_DIR): string {
  if (nameOrFile.includes('/') || nameOrFile.includes('\\') || nameOrFile.endsWith('.json')) return resolve(nameOrFile);
  const candidates = [/^\d+$/.test(nameOrFile) ? `npcs-${nameOrFile}` : null, nameOrFile].filter((x): x is string => x !== null);
  for (const c of candidates) {
    const p = join(dir, `${c}.json`);
    if (existsSync(p)) return p;
  }
  throw new ScenarioError(`unknown scenario "${nameOrFile}"; shipped scenarios: ${listScenarios(dir).join(', ') || '(none)'}; or pass a path to a .json file`);
}

export function loadScenario(nameOrFile: string, dir = SCENARIO_DIR): Scenario {
  const path = resolveScenarioPath(nameOrFile, dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ScenarioError(`cannot read scenario file ${path}`);
  }
  return parseScenario(text, path, dirname(path));
}

export interface ScenarioOverrides {
  npcs?: number;
  durationS?: number;
  processes?: number;
  npcsPerConnection?: number;
}

/** Applies CLI overrides. `durationS` is the send window (ramp-up + steady); the ramp shrinks if it does not fit. */
export function applyOverrides(s: Scenario, o: ScenarioOverrides): Scenario {
  const out: Scenario = { ...s, warnings: [...s.warnings] };
  if (o.npcs !== undefined) out.npcs = o.npcs;
  if (o.processes !== undefined) out.processes = o.processes;
  if (o.npcsPerConnection !== undefined) out.npcsPerConnection = o.npcsPerConnection;
  if (o.durationS !== undefined) {
    if (!(o.durationS > 0 && o.durationS <= MAX_DURATION_S)) throw new ScenarioError(`--duration ${o.durationS}: must be more than 0 and at most ${MAX_DURATION_S} seconds`);
    out.rampUpS = Math.min(s.rampUpS, o.durationS / 2);
    out.steadyS = o.durationS - out.rampUpS;
  }
  return out;
}
