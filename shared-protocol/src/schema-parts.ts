/** Reusable field schemas shared by the client, server and worker-link frame schemas. */
import * as v from 'valibot';
import { LIMITS, TIERS } from './limits.js';

export const boundedString = (max: number, min = 1) => v.pipe(v.string(), v.minLength(min, `must have at least ${min} character(s)`), v.maxLength(max, `must have at most ${max} characters`));

/** A client-chosen turn id: a string of 1..64 characters or a non-negative safe integer. */
export const TurnId = v.union(
  [boundedString(LIMITS.turnIdMaxChars), v.pipe(v.number(), v.safeInteger(), v.minValue(0))],
  `must be a string of 1..${LIMITS.turnIdMaxChars} characters or a non-negative integer`,
);
export type TurnId = v.InferOutput<typeof TurnId>;

export const NpcId = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a lowercase id of 1..64 characters [a-z0-9_-]'));
export const PlayerId = boundedString(LIMITS.playerIdMaxChars);
export const TierSchema = v.picklist(TIERS, `must be one of ${TIERS.join('|')}`);
export const ServedTierSchema = v.picklist([...TIERS, 'scripted'] as const);
export const Ms = v.pipe(v.number(), v.finite(), v.minValue(0));
export const NonNegInt = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
export const Unit = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));
export const Bytes = v.custom<Uint8Array>((x) => x instanceof Uint8Array, 'must be binary (msgpack bin)');
export const SampleRate = v.pipe(v.number(), v.safeInteger(), v.minValue(8000), v.maxValue(96000));
export const EmotionLabel = v.pipe(v.string(), v.regex(/^[a-z_]{1,32}$/, 'must be a lowercase label of 1..32 characters'));

/** One viseme frame on the wire: [ovrIndex 0..14, startMs, endMs, weight 0..1]. */
export type VisemeTuple = [viseme: number, startMs: number, endMs: number, weight: number];

const isMs = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
/** Why a viseme list is invalid, or null. A plain loop: visemes are the most numerous frames, and
 *  a per-element schema pipeline costs more than the msgpack decode itself. */
function visemeListProblem(x: unknown): string | null {
  if (!Array.isArray(x)) return 'must be a list of [viseme, startMs, endMs, weight]';
  if (x.length > LIMITS.visemeFramesMax) return `must have at most ${LIMITS.visemeFramesMax} frames`;
  for (let i = 0; i < x.length; i++) {
    const f: unknown = x[i];
    if (!Array.isArray(f) || f.length !== 4) return `frame ${i} must be [viseme, startMs, endMs, weight]`;
    const [vis, start, end, weight] = f as unknown[];
    if (typeof vis !== 'number' || !Number.isInteger(vis) || vis < 0 || vis > 14) return `frame ${i}: viseme must be an integer 0..14`;
    if (!isMs(start) || !isMs(end) || end < start) return `frame ${i}: startMs/endMs must be finite, ≥ 0, endMs ≥ startMs`;
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) return `frame ${i}: weight must be 0..1`;
  }
  return null;
}
export const VisemeFrames = v.pipe(
  v.custom<VisemeTuple[]>((x) => visemeListProblem(x) === null, (issue) => visemeListProblem(issue.input) ?? 'invalid viseme frames'),
);

/** Nullable milliseconds: null when the stage was never reached (e.g. cancelled before audio). */
export const MsOrNull = v.nullable(Ms);
export const Timings = v.object({ queueMs: MsOrNull, firstTextMs: MsOrNull, firstAudioMs: MsOrNull, totalMs: Ms });
export type Timings = v.InferOutput<typeof Timings>;
