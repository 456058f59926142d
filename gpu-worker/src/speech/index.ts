/** Speech: eSpeak NG synthesis in worker threads, phoneme → OVR viseme mapping, voices, chunking. */
export { SpeechPool, defaultThreadCount, type SpeechPoolOptions, type SpeechPoolStats, type SpeechResult } from './synth-pool.js';
export { DEFAULT_VOICE_ID, UnknownVoiceError, VOICES, isVoiceId, listVoices, resolveVoice, type VoiceId, type VoiceSpec } from './voices.js';
export { OVR_VISEMES, phonemeToVisemes, phonemesToVisemes, type OvrViseme, type PhonemeTiming, type VisemeFrame } from './visemes.js';
export { SpeechChunker, splitForSpeech, type SplitOptions } from './sentences.js';
export {
  EspeakCancelledError,
  EspeakEngine,
  EspeakVoiceError,
  getEspeak,
  synthesize,
  type EspeakResult,
  type EspeakSettings,
  type SynthesizeControl,
  type WordTiming,
} from './espeak.js';
export { SpeechCache, type Speaker, type SpeechCacheStats } from './speech-cache.js';
