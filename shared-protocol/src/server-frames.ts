/** Frames the gateway sends to a game client (protocol v1), as valibot schemas and types. */
import * as v from 'valibot';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { LIMITS } from './limits.js';
import { boundedString, Bytes, EmotionLabel, Ms, NonNegInt, NpcId, PlayerId, SampleRate, ServedTierSchema, Timings, TurnId, Unit, VisemeFrames } from './schema-parts.js';

export const WelcomeFrame = v.object({
  t: v.literal('welcome'),
  v: v.literal(1),
  session: boundedString(128),
  heartbeatMs: NonNegInt,
  maxFrameBytes: NonNegInt,
  maxTurnsInFlight: v.optional(NonNegInt),
  idleTimeoutMs: v.optional(NonNegInt),
});

export const TextFrame = v.object({ t: v.literal('text'), turn: TurnId, delta: v.string() });

export const EmotionFrame = v.object({ t: v.literal('emotion'), turn: TurnId, label: EmotionLabel, intensity: Unit });

export const AudioFrame = v.object({
  t: v.literal('audio'),
  turn: TurnId,
  seq: NonNegInt,
  rate: SampleRate,
  /** PCM16 signed little-endian mono. */
  pcm: Bytes,
  startMs: Ms,
  durationMs: v.optional(Ms),
});

export const VisemesFrame = v.object({ t: v.literal('visemes'), turn: TurnId, seq: NonNegInt, frames: VisemeFrames });

export const END_REASONS = ['completed', 'cancelled', 'failed', 'rejected'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const EndFrame = v.object({
  t: v.literal('end'),
  turn: TurnId,
  text: v.string(),
  tier: v.nullable(ServedTierSchema),
  degraded: v.boolean(),
  cancelled: v.boolean(),
  reason: v.optional(v.picklist(END_REASONS)),
  audioMs: v.optional(Ms),
  timings: Timings,
});

/** Relationship meters: trust, respect and affinity −1..1 (0 neutral), familiarity 0..1 (0 stranger). */
const Signed = v.pipe(v.number(), v.finite(), v.minValue(-1), v.maxValue(1));
const Change = v.pipe(v.number(), v.finite(), v.minValue(-2), v.maxValue(2));
export const RelationshipMeters = v.object({ trust: Signed, respect: Signed, familiarity: Unit, affinity: Signed });

/** After a completed or cancelled turn (before its `end`): how the NPC now feels about the player. */
export const RelationshipFrame = v.object({
  t: v.literal('relationship'),
  turn: TurnId,
  npc: NpcId,
  player: PlayerId,
  card: RelationshipMeters,
  /** New value minus the value before this turn, per meter. */
  delta: v.object({ trust: Change, respect: Change, familiarity: Change, affinity: Change }),
  conversations: NonNegInt,
});

const ErrorCodeSchema = v.custom<ErrorCode>((x) => typeof x === 'string' && Object.hasOwn(ERROR_CODES, x), 'unknown error code');

export const ErrorFrame = v.object({
  t: v.literal('error'),
  turn: v.optional(TurnId),
  code: ErrorCodeSchema,
  message: v.pipe(v.string(), v.maxLength(LIMITS.messageMaxChars)),
  retryAfterMs: v.optional(NonNegInt),
  fatal: v.boolean(),
});

export const PongFrame = v.object({ t: v.literal('pong'), ts: v.pipe(v.number(), v.finite()) });

export const ServerFrame = v.variant('t', [WelcomeFrame, TextFrame, EmotionFrame, AudioFrame, VisemesFrame, RelationshipFrame, EndFrame, ErrorFrame, PongFrame]);

export type WelcomeFrame = v.InferOutput<typeof WelcomeFrame>;
export type TextFrame = v.InferOutput<typeof TextFrame>;
export type EmotionFrame = v.InferOutput<typeof EmotionFrame>;
export type AudioFrame = v.InferOutput<typeof AudioFrame>;
export type VisemesFrame = v.InferOutput<typeof VisemesFrame>;
export type EndFrame = v.InferOutput<typeof EndFrame>;
export type RelationshipFrame = v.InferOutput<typeof RelationshipFrame>;
export type RelationshipMeters = v.InferOutput<typeof RelationshipMeters>;
export type ErrorFrame = v.InferOutput<typeof ErrorFrame>;
export type PongFrame = v.InferOutput<typeof PongFrame>;
export type ServerFrame = v.InferOutput<typeof ServerFrame>;
