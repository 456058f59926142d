/**
 * eSpeak NG IPA phoneme timings → OVR (Meta) viseme frames.
 *
 * Follows shared/reference/visemes.md ("Phoneme → OVR viseme", IPA column):
 * - stress marks (ˈ ˌ) are stripped; a primary/secondary stress only raises the vowel's weight;
 * - each phoneme id is read left to right taking the longest known unit (tʃ before t, aɪ before a,
 *   ɜː before ɜ); a length mark (ː ˑ) that is not part of a known unit (ɑː, ɔː) is dropped;
 * - so "Vɹ" ids (ɛɹ, ɔːɹ, ɑːɹ) become the vowel's viseme then RR, and diphthongs
 *   (aɪ aʊ eɪ oʊ ɔɪ) become their two visemes; a phoneme that yields several visemes has its
 *   duration split evenly between them;
 * - an empty id (eSpeak's pause) and h are sil.
 *
 * Symbols outside the table: a few common IPA symbols eSpeak emits for other accents/languages
 * are mapped by articulation (EXTRA_UNITS). Anything still unknown falls back to DD at weight
 * 0.5: a half-open, teeth-near-closed mouth (Rhubarb's "most consonants" shape) that looks
 * plausible for any sound and never pops the jaw wide open.
 */

/** OVR / Meta viseme names, index order 0..14 (same list as the protocol's OVR_VISEME_NAMES). */
export const OVR_VISEMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'ih', 'oh', 'ou'] as const;
export type OvrViseme = (typeof OVR_VISEMES)[number];

export interface PhonemeTiming {
  /** eSpeak IPA phoneme id, possibly with stress marks; '' is a pause. */
  p: string;
  startMs: number;
  endMs: number;
}

export interface VisemeFrame {
  /** OVR viseme index 0..14. */
  v: number;
  startMs: number;
  endMs: number;
  /** Articulation strength 0..1. */
  weight: number;
}

const V = Object.fromEntries(OVR_VISEMES.map((name, i) => [name, i])) as Record<OvrViseme, number>;

/** The visemes.md IPA column, exactly. Multi-symbol values are diphthongs (split in time). */
export const IPA_TO_VISEMES: Readonly<Record<string, readonly OvrViseme[]>> = {
  h: ['sil'],
  p: ['PP'], b: ['PP'], m: ['PP'],
  f: ['FF'], v: ['FF'],
  θ: ['TH'], ð: ['TH'],
  t: ['DD'], d: ['DD'], ɾ: ['DD'], ʔ: ['DD'],
  k: ['kk'], ɡ: ['kk'], ŋ: ['kk'],
  tʃ: ['CH'], dʒ: ['CH'], ʃ: ['CH'], ʒ: ['CH'],
  s: ['SS'], z: ['SS'],
  n: ['nn'], l: ['nn'],
  ɹ: ['RR'], ɚ: ['RR'], ɝ: ['RR'], 'ɜː': ['RR'],
  ɑ: ['aa'], æ: ['aa'], ʌ: ['aa'], ə: ['aa'], ɐ: ['aa'], a: ['aa'], aɪ: ['aa', 'ih'], aʊ: ['aa', 'ou'],
  ɛ: ['E'], e: ['E'], eɪ: ['E', 'ih'],
  ɪ: ['ih'], i: ['ih'], iː: ['ih'], ᵻ: ['ih'], j: ['ih'],
  ɔ: ['oh'], o: ['oh'], oʊ: ['oh', 'ou'], ɔɪ: ['oh', 'ih'],
  ʊ: ['ou'], u: ['ou'], uː: ['ou'], w: ['ou'],
};

/** Symbols not in visemes.md, mapped by place/manner of articulation (the documented fallback). */
export const EXTRA_UNITS: Readonly<Record<string, readonly OvrViseme[]>> = {
  g: ['kk'], x: ['kk'], ɣ: ['kk'], χ: ['kk'], ʁ: ['kk'], ʀ: ['kk'], q: ['kk'], c: ['kk'], ɟ: ['kk'],
  r: ['RR'], ɻ: ['RR'], ɽ: ['DD'], ɜ: ['RR'],
  ɫ: ['nn'], ɲ: ['nn'], ɳ: ['nn'], ʎ: ['nn'], ɭ: ['nn'],
  ɱ: ['PP'], β: ['FF'], ɸ: ['FF'], ʋ: ['FF'],
  ç: ['SS'], ts: ['SS'], dz: ['SS'], ɕ: ['CH'], ʑ: ['CH'], ʂ: ['CH'], ʐ: ['CH'], tɕ: ['CH'], dʑ: ['CH'],
  ʍ: ['ou'], ɥ: ['ih'], ɦ: ['sil'],
  ɒ: ['oh'], ɤ: ['oh'], ɵ: ['oh'], ø: ['oh'], œ: ['E'], ɶ: ['aa'], ɘ: ['aa'], ɞ: ['aa'],
  y: ['ih'], ʏ: ['ih'], ɨ: ['ih'], ʉ: ['ou'], ɯ: ['ou'],
};

const UNITS: ReadonlyMap<string, readonly OvrViseme[]> = new Map([...Object.entries(EXTRA_UNITS), ...Object.entries(IPA_TO_VISEMES)]);
const MAX_UNIT_CHARS = Math.max(...[...UNITS.keys()].map((k) => [...k].length));

/** Stress marks: stripped, but remembered for the weight. */
const PRIMARY = 'ˈ';
const SECONDARY = 'ˌ';
/** Marks and diacritics that carry no mouth shape of their own: length, syllabic, nasal, tie, aspiration, tones… */
const IGNORED = /[ːˑ\u0300-\u036f\u035c\u0361ʰʲʷˠˤ‿\-_'0-9|]/u;

const VOWEL_VISEMES = new Set<number>([V.aa, V.E, V.ih, V.oh, V.ou]);
const REDUCED_VOWELS = new Set(['ə', 'ɐ', 'ᵻ', 'ɚ']);

export const UNKNOWN_FALLBACK: Readonly<{ v: number; weight: number }> = { v: V.DD, weight: 0.5 };

interface Unit {
  v: number;
  weight: number;
}

/**
 * The viseme sequence for one eSpeak phoneme id (stress stripped, longest-prefix units).
 * Returns [sil] for an empty id or an id made only of marks.
 */
export function phonemeToVisemes(id: string): Unit[] {
  const stress = id.includes(PRIMARY) ? 'primary' : id.includes(SECONDARY) ? 'secondary' : 'none';
  const chars = [...id.normalize('NFC').replaceAll(PRIMARY, '').replaceAll(SECONDARY, '')];
  const out: Unit[] = [];
  let i = 0;
  while (i < chars.length) {
    let matched = 0;
    let visemes: readonly OvrViseme[] | undefined;
    for (let n = Math.min(MAX_UNIT_CHARS, chars.length - i); n >= 1; n--) {
      const hit = UNITS.get(chars.slice(i, i + n).join(''));
      if (hit) {
        matched = n;
        visemes = hit;
        break;
      }
    }
    if (visemes) {
      const unit = chars.slice(i, i + matched).join('');
      for (const name of visemes) {
        const v = V[name];
        out.push({ v, weight: VOWEL_VISEMES.has(v) ? vowelWeight(stress, unit) : 1 });
      }
      i += matched;
    } else if (IGNORED.test(chars[i]!) || /\s/u.test(chars[i]!)) {
      i += 1;
    } else {
      out.push({ ...UNKNOWN_FALLBACK });
      i += 1;
    }
  }
  return out.length > 0 ? out : [{ v: V.sil, weight: 1 }];
}

function vowelWeight(stress: 'primary' | 'secondary' | 'none', unit: string): number {
  if (stress === 'primary') return 1;
  if (stress === 'secondary') return 0.85;
  return REDUCED_VOWELS.has(unit) ? 0.6 : 0.75;
}

/**
 * Maps phoneme timings to OVR viseme frames. The result is sorted, non-overlapping and
 * contiguous, covers [first phoneme start, last phoneme end] (gaps between phonemes become
 * sil, overlaps are clipped to the earlier phoneme's end), and adjacent frames with the same
 * viseme are merged (keeping the larger weight). Zero-length phonemes produce nothing.
 */
export function phonemesToVisemes(phonemes: readonly PhonemeTiming[]): VisemeFrame[] {
  const sorted = phonemes
    .filter((ph) => Number.isFinite(ph.startMs) && Number.isFinite(ph.endMs))
    .map((ph, order) => ({ ph, order }))
    .sort((a, b) => a.ph.startMs - b.ph.startMs || a.order - b.order)
    .map((x) => x.ph);
  const first = sorted[0];
  if (!first) return [];
  const out: VisemeFrame[] = [];
  const push = (v: number, startMs: number, endMs: number, weight: number): void => {
    if (!(endMs > startMs)) return;
    const last = out[out.length - 1];
    if (last && last.v === v) {
      last.endMs = endMs;
      last.weight = Math.max(last.weight, weight);
    } else {
      out.push({ v, startMs, endMs, weight });
    }
  };
  let cursor = first.startMs;
  for (const ph of sorted) {
    const start = Math.max(ph.startMs, cursor);
    if (start > cursor) push(V.sil, cursor, start, 1); // gap between phonemes
    const end = Math.max(ph.endMs, start);
    if (end <= start) continue;
    const units = phonemeToVisemes(ph.p);
    const dur = end - start;
    for (let k = 0; k < units.length; k++) {
      const u = units[k]!;
      const a = k === 0 ? start : start + (dur * k) / units.length;
      const b = k === units.length - 1 ? end : start + (dur * (k + 1)) / units.length;
      push(u.v, a, b, u.weight);
    }
    cursor = end;
  }
  return out;
}
