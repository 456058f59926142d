/**
 * The gateway ↔ worker link ("worker protocol"): msgpack maps over a WebSocket that the
 * worker dials at `/v1/worker` on every gateway it serves. Turn output reuses the client
 * frame shapes with `job` (a gateway-assigned id) in place of the client's `turn`.
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { boundedString, Bytes, EmotionLabel, Ms, NonNegInt, NpcId, PlayerId, SampleRate, ServedTierSchema, TierSchema, Unit, VisemeFrames } from './schema-parts.js';

export const WORKER_PROTOCOL_VERSION = 1 as const;
const JobId = boundedString(64);
const ReqId = boundedString(64);

// ── worker → gateway ────────────────────────────────────────────────────────────────
export const RegisterFrame = v.object({
  t: v.literal('register'),
  v: v.pipe(v.number(), v.safeInteger()),
  key: v.pipe(v.string(), v.maxLength(LIMITS.tokenMaxChars)),
  worker: v.object({
    id: boundedString(128),
    tiers: v.pipe(v.array(TierSchema), v.minLength(1)),
    slots: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(100_000)),
    voices: v.array(boundedString(64)),
    backend: boundedString(64),
    version: v.optional(boundedString(64)),
  }),
});
export const HeartbeatFrame = v.object({ t: v.literal('hb'), inFlight: NonNegInt, ts: Ms });
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

export const WorkerToGatewayFrame = v.variant('t', [
  RegisterFrame, HeartbeatFrame, DrainingFrame, JobTextFrame, JobEmotionFrame, JobAudioFrame, JobVisemesFrame, JobDoneFrame, JobFailFrame, TtsResultFrame, TtsFailFrame,
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
export const JobFrame = v.object({
  t: v.literal('job'),
  job: JobId,
  npc: NpcSpec,
  player: PlayerId,
  text: boundedString(LIMITS.sayTextMaxChars),
  tier: TierSchema,
  seed: v.pipe(v.number(), v.safeInteger()),
  history: v.optional(v.array(v.object({ role: v.picklist(['player', 'npc']), text: v.string() }))),
});
export const AbortFrame = v.object({ t: v.literal('abort'), job: JobId });
export const TtsRequestFrame = v.object({ t: v.literal('tts'), req: ReqId, text: boundedString(LIMITS.sayTextMaxChars), voice: v.optional(boundedString(64)) });
export const RefuseFrame = v.object({ t: v.literal('refused'), code: boundedString(32), message: v.string() });

export const GatewayToWorkerFrame = v.variant('t', [RegisteredFrame, JobFrame, AbortFrame, TtsRequestFrame, RefuseFrame]);

export type RegisterFrame = v.InferOutput<typeof RegisterFrame>;
export type JobFrame = v.InferOutput<typeof JobFrame>;
export type NpcSpec = v.InferOutput<typeof NpcSpec>;
export type PhonemeTiming = v.InferOutput<typeof PhonemeTiming>;
export type VisemeTiming = v.InferOutput<typeof VisemeTiming>;
export type WorkerToGatewayFrame = v.InferOutput<typeof WorkerToGatewayFrame>;
export type GatewayToWorkerFrame = v.InferOutput<typeof GatewayToWorkerFrame>;
export type JobOutputFrame = Extract<WorkerToGatewayFrame, { job: string }>;
