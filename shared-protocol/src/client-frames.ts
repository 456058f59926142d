/** Frames a game client sends to the gateway (protocol v1), as valibot schemas and types. */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import { boundedString, Ms, NpcId, PlayerId, TierSchema, TurnId } from './schema-parts.js';

export const HelloFrame = v.object({
  t: v.literal('hello'),
  v: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  token: v.pipe(v.string(), v.maxLength(LIMITS.tokenMaxChars)),
  client: v.optional(
    v.object({
      name: boundedString(LIMITS.clientNameMaxChars),
      version: boundedString(LIMITS.clientVersionMaxChars),
    }),
  ),
});

export const SayFrame = v.object({
  t: v.literal('say'),
  turn: TurnId,
  npc: NpcId,
  player: PlayerId,
  text: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.sayTextMaxChars, `must have at most ${LIMITS.sayTextMaxChars} characters`)),
  tier: v.optional(TierSchema),
  /** Optional voice override (a voice id such as `male-deep`); defaults to the NPC's catalog voice. */
  voice: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a voice id such as male-deep'))),
});

export const CancelFrame = v.object({
  t: v.literal('cancel'),
  turn: TurnId,
  /** Optional: how much of the turn's audio the player heard (ms from its start). */
  heardMs: v.optional(Ms),
});

export const PingFrame = v.object({ t: v.literal('ping'), ts: v.pipe(v.number(), v.finite()) });

export const ClientFrame = v.variant('t', [HelloFrame, SayFrame, CancelFrame, PingFrame], 'key t must be one of hello|say|cancel|ping');

export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type SayFrame = v.InferOutput<typeof SayFrame>;
export type CancelFrame = v.InferOutput<typeof CancelFrame>;
export type PingFrame = v.InferOutput<typeof PingFrame>;
export type ClientFrame = v.InferOutput<typeof ClientFrame>;
