/**
 * The gateway ↔ worker link ("worker protocol"): msgpack maps over a WebSocket that the
 * worker dials at `/v1/worker` on every gateway it serves. Turn output reuses the client
 * frame shapes with `job` (a gateway-assigned id) in place of the client's `turn`.
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { boundedString, Bytes, EmotionLabel, Ms, NonNegInt, NpcId, PlayerId, SampleRate, ServedTierSchema, Unit, VisemeFrames } from './schema-parts.js';
import { RelationshipMeters } from './server-frames.js';

export const WORKER_PROTOCOL_VERSION = 1 as const;
const CardDelta = v.pipe(v.number(), v.finite(), v.minValue(-0.2), v.maxValue(0.2));
const JobId = boundedString(64);
const ReqId = boundedString(64);

// ── worker → gateway ────────────────────────────────────────────────────────────────
export const RegisterFrame = v.object({
  t: v.literal('register'),
  v: v.pipe(v.number(), v.safeInteger()),
  key: v.pipe(v.string(), v.maxLength(LIMITS.tokenMaxChars)),
  worker: v.object({
    id: boundedString(128),
    /** Tiers served; `scripted` marks a worker that takes last-resort scripted turns. */
    tiers: v.pipe(v.array(ServedTierSchema), v.minLength(1)),
    slots: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(100_000)),
    voices: v.array(boundedString(64)),
    backend: boundedString(64),
    version: v.optional(boundedString(64)),
    /** Models loaded (names for operators; optional so older workers still register). */
    models: v.optional(v.pipe(v.array(boundedString(128)), v.maxLength(64))),
  }),
});
/**
 * A model worker's engine at heartbeat time: conversations decoding and queued, and token counts
 * since the worker started (generated, prompt tokens computed, prompt tokens from the prefix cache).
 */
export const ModelLoadSchema = v.object({ running: NonNegInt, waiting: NonNegInt, generated: NonNegInt, prefilled: NonNegInt, prefixCached: NonNegInt });
/** `inFlight`: jobs the worker runs for every gateway it serves (so each gateway sees shared load). `model`: workers with an in-process model only. */
export const HeartbeatFrame = v.object({ t: v.literal('hb'), inFlight: NonNegInt, ts: Ms, model: v.optional(ModelLoadSchema) });
export const DrainingFrame = v.object({ t: v.literal('draining'), deadlineMs: v.optional(NonNegInt) });
export const JobTextFrame = v.object({ t: v.literal('text'), job: JobId, delta: v.string() });
export const JobEmotionFrame = v.object({ t: v.literal('emotion'), job: JobId, label: EmotionLabel, intensity: Unit });
export const JobAudioFrame = v.object({ t: v.literal('audio'), job: JobId, seq: NonNegInt, rate: SampleRate, pcm: Bytes, startMs: Ms, durationMs: Ms });
export const JobVisemesFrame = v.object({ t: v.literal('visemes'), job: JobId, seq: NonNegInt, frames: VisemeFrames });
export const JobDoneFrame = v.object({
  t: v.literal('done'),
  job: JobId,
  text: v.string(),
  tier: ServedTierSchema,
  audioMs: Ms,
  cancelled: v.boolean(),
  /** Optional: a model backend's proposed relationship change for this turn, each meter −0.2..0.2 (added to the gateway's rules). */
  cardDelta: v.optional(
    v.object({
      trust: v.optional(CardDelta),
      respect: v.optional(CardDelta),
      familiarity: v.optional(CardDelta),
      affinity: v.optional(CardDelta),
    }),
  ),
});
export const JobFailFrame = v.object({ t: v.literal('fail'), job: JobId, code: boundedString(32), message: v.pipe(v.string(), v.maxLength(LIMITS.messageMaxChars)) });
export const PhonemeTiming = v.object({ p: v.string(), startMs: Ms, endMs: Ms });
export const VisemeTiming = v.object({ v: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(14)), startMs: Ms, endMs: Ms });
export const TtsResultFrame = v.object({
  t: v.literal('tts_ok'),
  req: ReqId,
  sampleRate: SampleRate,
  pcm: Bytes,
  durationMs: Ms,
  phonemes: v.array(PhonemeTiming),
  visemes: v.array(VisemeTiming),
});
export const TtsFailFrame = v.object({ t: v.literal('tts_fail'), req: ReqId, code: boundedString(32), message: v.pipe(v.string(), v.maxLength(LIMITS.messageMaxChars)) });
/** The worker's dialogue backend summarized turns for the memory store. */
export const SummaryResultFrame = v.object({ t: v.literal('summary_ok'), req: ReqId, text: v.pipe(v.string(), v.maxLength(4000)) });
export const SummaryFailFrame = v.object({ t: v.literal('summary_fail'), req: ReqId, code: boundedString(32), message: v.pipe(v.string(), v.maxLength(LIMITS.messageMaxChars)) });

export const WorkerToGatewayFrame = v.variant('t', [
  RegisterFrame, HeartbeatFrame, DrainingFrame, JobTextFrame, JobEmotionFrame, JobAudioFrame, JobVisemesFrame, JobDoneFrame, JobFailFrame, TtsResultFrame, TtsFailFrame, SummaryResultFrame, SummaryFailFrame,
]);

// ── gateway → worker ────────────────────────────────────────────────────────────────
export const RegisteredFrame = v.object({ t: v.literal('registered'), gateway: boundedString(128), heartbeatMs: NonNegInt });
export const NpcSpec = v.object({
  id: NpcId,
  name: boundedString(128),
  archetype: boundedString(64),
  persona: v.string(),
  voice: boundedString(64),
  traits: v.optional(v.array(v.string())),
});
/**
 * Memory assembled by the gateway for a turn (optional on `job`): the relationship card, the
 * recent turns (oldest first) and the best-ranked summaries/facts of the last 30 days, already
 * fitted to a token budget. A model backend puts it into its prompt; `card` is null for a
 * player the NPC has never met.
 */
export const MemoryContext = v.object({
  card: v.nullable(
    v.object({
      ...RelationshipMeters.entries,
      conversations: NonNegInt,
      turns: NonNegInt,
      firstMetAt: Ms,
      lastMetAt: Ms,
      pinned: v.pipe(v.array(boundedString(500)), v.maxLength(16)),
    }),
  ),
  turns: v.pipe(v.array(v.object({ role: v.picklist(['player', 'npc']), text: v.pipe(v.string(), v.maxLength(8000)), at: Ms })), v.maxLength(200)),
  memories: v.pipe(
    v.array(v.object({ kind: v.picklist(['summary', 'fact']), text: boundedString(2000), importance: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(10)), at: Ms })),
    v.maxLength(64),
  ),
});
export const JobFrame = v.object({
  t: v.literal('job'),
  job: JobId,
  npc: NpcSpec,
  player: PlayerId,
  text: boundedString(LIMITS.sayTextMaxChars),
  /** The tier to serve it as; `scripted` = compose the reply without a model (last resort). */
  tier: ServedTierSchema,
  seed: v.pipe(v.number(), v.safeInteger()),
  history: v.optional(v.array(v.object({ role: v.picklist(['player', 'npc']), text: v.string() }))),
  context: v.optional(MemoryContext),
});
export const AbortFrame = v.object({ t: v.literal('abort'), job: JobId });
export const TtsRequestFrame = v.object({ t: v.literal('tts'), req: ReqId, text: boundedString(LIMITS.sayTextMaxChars), voice: v.optional(boundedString(64)) });
export const RefuseFrame = v.object({ t: v.literal('refused'), code: boundedString(32), message: v.string() });

/** Memory asks a worker's dialogue backend for a summary of turns leaving the hot window. */
export const SummarizeRequestFrame = v.object({
  t: v.literal('summarize'),
  req: ReqId,
  npc: v.object({ name: boundedString(128), persona: v.pipe(v.string(), v.maxLength(4000)), archetype: boundedString(64) }),
  turns: v.pipe(v.array(v.object({ role: v.picklist(['player', 'npc']), text: v.pipe(v.string(), v.maxLength(LIMITS.sayTextMaxChars * 2)) })), v.minLength(1), v.maxLength(200)),
  maxTokens: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(8), v.maxValue(1024))),
});

export const GatewayToWorkerFrame = v.variant('t', [RegisteredFrame, JobFrame, AbortFrame, TtsRequestFrame, SummarizeRequestFrame, RefuseFrame]);

export type RegisterFrame = v.InferOutput<typeof RegisterFrame>;
export type ModelLoad = v.InferOutput<typeof ModelLoadSchema>;
export type JobFrame = v.InferOutput<typeof JobFrame>;
export type NpcSpec = v.InferOutput<typeof NpcSpec>;
export type MemoryContext = v.InferOutput<typeof MemoryContext>;
export type PhonemeTiming = v.InferOutput<typeof PhonemeTiming>;
export type VisemeTiming = v.InferOutput<typeof VisemeTiming>;
export type WorkerToGatewayFrame = v.InferOutput<typeof WorkerToGatewayFrame>;
export type GatewayToWorkerFrame = v.InferOutput<typeof GatewayToWorkerFrame>;
export type JobOutputFrame = Extract<WorkerToGatewayFrame, { job: string }>;
