/**
 * eSpeak NG (`@echogarden/espeak-ng-emscripten`) → PCM16 plus phoneme and word timings.
 *
 * What the package really offers (it ships no README API and no typings):
 * - despite the "WASM" reputation this build is wasm2js output: plain (asm.js-style) JavaScript
 *   with a WebAssembly polyfill, so it runs at V8 JIT speed and needs warming (see warmUp).
 * - default export: an Emscripten factory, `await factory()` → Module; `new Module.eSpeakNGWorker()`
 *   runs espeak_Initialize (synchronous output, IPA phoneme events) and loads ~24 MB of data.
 * - `worker.synthesize(text, cb)` is synchronous; `cb(samples: Int16Array, events)` is called per
 *   audio chunk (~100 ms) and returning true aborts synthesis. Events are
 *   `{type: 'word'|'sentence'|'phoneme'|'end'|'samplerate'|…, audio_position (ms from the start
 *   of this call), text_position (1-based, in code points), word_length, id}`; a phoneme id is IPA
 *   with stress marks, '' for a pause; a word/sentence id is only an ordinal.
 * - The text goes to espeak_Synth with espeakSSML | espeakPHONEMES: `<…>` is markup and `[[…]]`
 *   is raw phoneme input, so reply text is escaped first (see prepareText).
 * - `set_voice(name)` returns 0, or 2 (not found) and keeps the previous voice; "en-gb" is not a
 *   voice name (British is "en"), and an unknown "+variant" is silently accepted.
 * - rate / pitch / range are fields of the worker object applied at each synthesize call.
 * - Sample output is not bit-identical between calls in one instance (synthesis state carries
 *   over), but a fresh instance given the same calls produces the same samples.
 */
import type { PhonemeTiming } from './visemes.js';

export type { PhonemeTiming } from './visemes.js';

export interface EspeakSettings {
  /** eSpeak voice name, optionally with a variant: 'en-us', 'en-gb', 'en-us+m3'. */
  voice: string;
  /** Words per minute, 80..450 (eSpeak default 175). */
  rate?: number;
  /** Base pitch 0..100 (default 50). */
  pitch?: number;
  /** Pitch range 0..100 (default 50; 0 is monotone). */
  range?: number;
}

export interface WordTiming {
  /**
   * The word as written in the input text, from eSpeak's word event; best effort: eSpeak merges
   * some short words into one event ("not have") and reports contractions cut ("don"). Absent if
   * the event could not be located in the text.
   */
  text?: string;
  startMs: number;
  endMs: number;
}

export interface EspeakResult {
  pcm: Int16Array;
  sampleRate: number;
  phonemes: PhonemeTiming[];
  words: WordTiming[];
  durationMs: number;
}

export interface SynthesizeControl {
  /** Polled after each audio chunk (~100 ms of audio); returning true stops synthesis. */
  isCancelled?: () => boolean;
}

export class EspeakVoiceError extends Error {
  readonly voice: string;
  constructor(voice: string) {
    super(`eSpeak voice "${voice}" not found`);
    this.name = 'EspeakVoiceError';
    this.voice = voice;
  }
}

export class EspeakCancelledError extends Error {
  constructor() {
    super('eSpeak synthesis cancelled');
    this.name = 'AbortError';
  }
}

// ---- minimal typings for the Emscripten module (the package ships none) ----
export interface EspeakEvent {
  type: string;
  text_position: number;
  word_length: number;
  audio_position: number;
  id?: string | number;
}
interface RawWorker {
  synthesize(text: string, cb: (samples: Int16Array | null, events: EspeakEvent[]) => boolean): void;
  set_voice(name: string): number;
  set_rate(wpm: number): void;
  set_pitch(pitch: number): void;
  set_range(range: number): void;
  get_samplerate(): number;
}
interface RawModule {
  eSpeakNGWorker: new () => RawWorker;
}
type ModuleFactory = (moduleArg?: object) => Promise<RawModule>;

/** Non-literal specifier: the package has no typings, and it is only loaded on first use. */
const PACKAGE: string = '@echogarden/espeak-ng-emscripten';

/** Voice names people use that eSpeak NG spells differently. */
const VOICE_ALIASES: Readonly<Record<string, string>> = { 'en-gb': 'en', 'en-uk': 'en', 'en-english': 'en' };

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export const ESPEAK_DEFAULTS = { rate: 175, pitch: 50, range: 50 } as const;

/** The sentence warmUp() speaks. */
export const WARMUP_TEXT = 'Hello there, how are you today?';

/** One eSpeak NG instance (own heap and state). Not re-entrant: one synthesize() at a time (it is synchronous). */
export class EspeakEngine {
  readonly sampleRate: number;
  /** Milliseconds spent loading the module and initialising eSpeak. */
  readonly initMs: number;
  private readonly worker: RawWorker;
  private currentVoice: string | undefined;

  private constructor(worker: RawWorker, initMs: number) {
    this.worker = worker;
    this.sampleRate = worker.get_samplerate();
    this.initMs = initMs;
  }

  /** Loads a fresh instance (its own heap and eSpeak state). */
  static async create(): Promise<EspeakEngine> {
    const t0 = performance.now();
    const mod = (await import(PACKAGE)) as { default: ModuleFactory };
    const module = await mod.default();
    const worker = new module.eSpeakNGWorker();
    return new EspeakEngine(worker, performance.now() - t0);
  }

  /**
   * Speaks WARMUP_TEXT once per settings entry and returns the time taken. The synthesizer is
   * JavaScript (wasm2js), so its first calls run unoptimised, and each voice/variant takes new
   * code paths: a cold first request costs 150–600 ms instead of ~10–20 ms. Warming every voice
   * the worker will use moves that cost to startup. Deterministic: two fresh engines warmed
   * with the same list then produce identical samples.
   */
  warmUp(settings: readonly EspeakSettings[]): number {
    const t0 = performance.now();
    for (const s of settings) this.synthesize(WARMUP_TEXT, s);
    return performance.now() - t0;
  }

  private selectVoice(voice: string): void {
    if (voice === this.currentVoice) return;
    const [base = '', ...variant] = voice.split('+');
    const alias = VOICE_ALIASES[base.toLowerCase()];
    const candidates = [voice, ...(alias ? [[alias, ...variant].join('+')] : [])];
    for (const name of candidates) {
      if (this.worker.set_voice(name) === 0) {
        this.currentVoice = voice;
        return;
      }
    }
    throw new EspeakVoiceError(voice);
  }

  /** Synthesizes `text` completely; blocks the calling thread (~3 ms per second of audio once warm). */
  synthesize(text: string, settings: EspeakSettings, control: SynthesizeControl = {}): EspeakResult {
    this.selectVoice(settings.voice);
    this.worker.set_rate(Math.round(clamp(settings.rate ?? ESPEAK_DEFAULTS.rate, 80, 450)));
    this.worker.set_pitch(Math.round(clamp(settings.pitch ?? ESPEAK_DEFAULTS.pitch, 0, 100)));
    this.worker.set_range(Math.round(clamp(settings.range ?? ESPEAK_DEFAULTS.range, 0, 100)));

    const { escaped, sourceIndex } = prepareText(text);
    const chunks: Int16Array[] = [];
    const events: EspeakEvent[] = [];
    let cancelled = false;
    this.worker.synthesize(escaped, (samples, evs) => {
      if (samples && samples.length > 0) chunks.push(samples);
      for (const e of evs) events.push(e);
      if (control.isCancelled?.()) cancelled = true;
      return cancelled;
    });
    if (cancelled) throw new EspeakCancelledError();

    let total = 0;
    for (const c of chunks) total += c.length;
    const pcm = new Int16Array(total);
    let offset = 0;
    for (const c of chunks) {
      pcm.set(c, offset);
      offset += c.length;
    }
    const durationMs = (total / this.sampleRate) * 1000;
    const source = [...text];
    const wordText = (e: EspeakEvent): string | undefined => {
      const from = sourceIndex[e.text_position - 1];
      const to = sourceIndex[e.text_position - 1 + Math.max(1, e.word_length) - 1];
      if (from === undefined || to === undefined || to < from) return undefined;
      return source.slice(from, to + 1).join('').trim() || undefined;
    };
    return { pcm, sampleRate: this.sampleRate, durationMs, ...eventsToTimings(events, durationMs, wordText) };
  }
}

/**
 * Escapes reply text for eSpeak's SSML + phoneme-input mode and records, for each code point
 * of the escaped text, the index of the source code point it came from (for word positions).
 */
export function prepareText(text: string): { escaped: string; sourceIndex: number[] } {
  const out: string[] = [];
  const sourceIndex: number[] = [];
  const cps = [...text];
  const emit = (s: string, from: number): void => {
    for (const ch of s) {
      out.push(ch);
      sourceIndex.push(from);
    }
  };
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    if (ch === '&') emit('&amp;', i);
    else if (ch === '<') emit('&lt;', i);
    else if (ch === '>') emit('&gt;', i);
    else if (ch === '[' && cps[i - 1] === '[') emit(' [', i); // "[[" would switch to phoneme input
    else if (/[\u0000-\u0008\u000b-\u001f\u007f]/u.test(ch)) emit(' ', i); // NUL would end the C string
    else emit(ch, i);
  }
  return { escaped: out.join(''), sourceIndex };
}

/**
 * eSpeak events → intervals. A phoneme starts at its event and ends where the next phoneme
 * event starts (word/sentence/end events are ignored for this, so phonemes tile the speech with
 * no gaps); the last phoneme ends at the end of the audio. A word starts at its word event and
 * ends at the first pause ('' phoneme) after its own phonemes, or at the next word, or at the
 * end of the audio. All times are clamped into [0, durationMs] and made monotonic.
 */
export function eventsToTimings(
  events: readonly EspeakEvent[],
  durationMs: number,
  wordText: (e: EspeakEvent) => string | undefined = () => undefined,
): { phonemes: PhonemeTiming[]; words: WordTiming[] } {
  const clampMs = (ms: number): number => clamp(ms, 0, durationMs);
  const phonemeEvents = events.filter((e) => e.type === 'phoneme');
  const phonemes: PhonemeTiming[] = [];
  let prev = 0;
  for (let i = 0; i < phonemeEvents.length; i++) {
    const startMs = Math.max(prev, clampMs(phonemeEvents[i]!.audio_position));
    const next = phonemeEvents[i + 1];
    const endMs = Math.max(startMs, next ? clampMs(next.audio_position) : durationMs);
    phonemes.push({ p: String(phonemeEvents[i]!.id ?? ''), startMs, endMs });
    prev = startMs;
  }

  const words: WordTiming[] = [];
  const wordEvents = events.filter((e) => e.type === 'word');
  for (let i = 0; i < wordEvents.length; i++) {
    const e = wordEvents[i]!;
    const startMs = Math.max(clampMs(e.audio_position), words.at(-1)?.startMs ?? 0);
    const nextWord = wordEvents[i + 1];
    let endMs = nextWord ? clampMs(nextWord.audio_position) : durationMs;
    let spoke = false;
    for (const ph of phonemes) {
      if (ph.startMs < startMs) continue;
      if (ph.startMs >= endMs) break;
      if (ph.p !== '') spoke = true;
      else if (spoke) {
        endMs = ph.startMs;
        break;
      }
    }
    const text = wordText(e);
    words.push({ ...(text !== undefined ? { text } : {}), startMs, endMs: Math.max(startMs, endMs) });
  }
  return { phonemes, words };
}

let shared: Promise<EspeakEngine> | undefined;

/** The process-wide (per thread) engine, created on first use. A failed init is retried next call. */
export function getEspeak(): Promise<EspeakEngine> {
  if (!shared) {
    shared = EspeakEngine.create();
    shared.catch(() => {
      shared = undefined;
    });
  }
  return shared;
}

/** Convenience: lazily initialises the shared engine, then synthesizes synchronously. */
export async function synthesize(text: string, settings: EspeakSettings, control?: SynthesizeControl): Promise<EspeakResult> {
  return (await getEspeak()).synthesize(text, settings, control);
}
