/**
 * Sampling settings per tier, with per-archetype overrides, for model backends. Operators set
 * them with PARLEY_SAMPLING (JSON, see docs/configuration.md); the seed comes from the job, so
 * a turn is reproducible on the same model.
 */
import * as v from 'valibot';
import type { ServedTier } from '@parley/protocol';
import type { SamplingParams } from '../models/sampler.js';

export interface ReplySampling {
  /** Longest reply, in tokens. */
  maxTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  repetitionPenalty: number;
}

export interface SamplingTable {
  tiers: Record<ServedTier, ReplySampling>;
  /** Overrides by archetype ("zombie", or a prefix such as "vampire" for "vampire-lord"). */
  archetypes: Record<string, Partial<ReplySampling>>;
}

export const DEFAULT_SAMPLING: SamplingTable = {
  tiers: {
    gold: { maxTokens: 200, temperature: 0.8, topK: 50, topP: 0.95, repetitionPenalty: 1.1 },
    silver: { maxTokens: 120, temperature: 0.8, topK: 40, topP: 0.95, repetitionPenalty: 1.1 },
    bronze: { maxTokens: 60, temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.1 },
    scripted: { maxTokens: 60, temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.1 },
  },
  archetypes: {},
};

const Overrides = v.strictObject({
  maxTokens: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(8192))),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2))),
  topK: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000))),
  topP: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(1))),
  repetitionPenalty: v.optional(v.pipe(v.number(), v.minValue(0.5), v.maxValue(2))),
});
const TableSchema = v.strictObject({
  gold: v.optional(Overrides),
  silver: v.optional(Overrides),
  bronze: v.optional(Overrides),
  archetypes: v.optional(v.record(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'archetype keys are lowercase ids')), Overrides)),
});

/** Parses PARLEY_SAMPLING; throws an Error whose message names the bad field. */
export function parseSamplingTable(json: string): SamplingTable {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('must be JSON, e.g. {"gold":{"temperature":0.9},"archetypes":{"zombie":{"maxTokens":24}}}');
  }
  const r = v.safeParse(TableSchema, raw);
  if (!r.success) {
    const issue = r.issues[0]!;
    const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
    throw new Error(`${path ? `${path}: ` : ''}${issue.message}`);
  }
  const t = r.output;
  const tiers = { ...DEFAULT_SAMPLING.tiers };
  for (const tier of ['gold', 'silver', 'bronze'] as const) tiers[tier] = { ...tiers[tier], ...t[tier] };
  return { tiers, archetypes: t.archetypes ?? {} };
}

/** The settings for one turn: the tier's, then the archetype's overrides (exact id first, else the longest matching prefix). */
export function samplingFor(table: SamplingTable, tier: ServedTier, archetype: string, seed: number): SamplingParams & { maxTokens: number } {
  const a = archetype.toLowerCase();
  const key = table.archetypes[a] ? a : Object.keys(table.archetypes).filter((k) => a.startsWith(`${k}-`) || a.startsWith(`${k}_`)).sort((x, y) => y.length - x.length)[0];
  const s = { ...table.tiers[tier], ...(key ? table.archetypes[key] : {}) };
  return { temperature: s.temperature, topK: s.topK, topP: s.topP, repetitionPenalty: s.repetitionPenalty, seed, maxTokens: s.maxTokens };
}
