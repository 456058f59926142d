/**
 * Parley voice ids → eSpeak NG settings. NPC definitions name a Parley voice id; only this
 * table knows eSpeak's voice names, variants (the "+m3" part, files in espeak-ng-data/voices/!v)
 * and rate/pitch numbers.
 */
import type { EspeakSettings } from './espeak.js';

export interface VoiceSpec extends Readonly<Required<EspeakSettings>> {
  readonly id: string;
  readonly description: string;
}

const voice = (id: string, description: string, s: Required<EspeakSettings>): VoiceSpec => Object.freeze({ id, description, ...s });

/** The catalog. Rates are words per minute (eSpeak's floor is 80), pitch and range 0..100. */
export const VOICES = Object.freeze({
  'male-deep': voice('male-deep', 'Slow, low, measured British male: a vampire lord.', { voice: 'en-gb-x-rp+m3', rate: 135, pitch: 18, range: 40 }),
  'male-gruff': voice('male-gruff', 'Rough, clipped male: a guard or mercenary.', { voice: 'en-us+m7', rate: 165, pitch: 30, range: 35 }),
  'female-warm': voice('female-warm', 'Calm, mid-pitch female: an innkeeper or healer.', { voice: 'en-gb+f2', rate: 160, pitch: 50, range: 55 }),
  'female-bright': voice('female-bright', 'Quick, high, lively female: a merchant or young scout.', { voice: 'en-us+f4', rate: 185, pitch: 68, range: 70 }),
  elder: voice('elder', 'Slow, thin, wavering old voice: a village elder.', { voice: 'en-gb+grandpa', rate: 120, pitch: 40, range: 65 }),
  growl: voice('growl', 'Very low, very slow, flat croak: a zombie.', { voice: 'en-us+croak', rate: 85, pitch: 2, range: 10 }),
  narrator: voice('narrator', 'Neutral American male at eSpeak defaults.', { voice: 'en-us', rate: 175, pitch: 50, range: 50 }),
} satisfies Record<string, VoiceSpec>);

export type VoiceId = keyof typeof VOICES;

export const DEFAULT_VOICE_ID: VoiceId = 'narrator';

export class UnknownVoiceError extends Error {
  readonly code = 'unknown_voice' as const;
  readonly voiceId: string;
  constructor(voiceId: string) {
    super(`unknown voice "${voiceId}"; known voices: ${Object.keys(VOICES).join(', ')}`);
    this.name = 'UnknownVoiceError';
    this.voiceId = voiceId;
  }
}

export const isVoiceId = (id: string): id is VoiceId => Object.hasOwn(VOICES, id);

/** The settings for a Parley voice id; the default voice for undefined; UnknownVoiceError otherwise. */
export function resolveVoice(id?: string): VoiceSpec {
  if (id === undefined) return VOICES[DEFAULT_VOICE_ID];
  if (!isVoiceId(id)) throw new UnknownVoiceError(id);
  return VOICES[id];
}

/** All voices, in catalog order. */
export function listVoices(): VoiceSpec[] {
  return Object.values(VOICES);
}
