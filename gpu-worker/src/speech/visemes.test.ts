import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OVR_VISEME_NAMES } from '@parley/protocol';
import { OVR_VISEMES, UNKNOWN_FALLBACK, phonemeToVisemes, phonemesToVisemes, type PhonemeTiming, type VisemeFrame } from './visemes.js';

const name = (v: number): string => OVR_VISEMES[v] ?? `?${v}`;
const seq = (id: string): string => phonemeToVisemes(id).map((u) => name(u.v)).join(' ');

/** visemes.md, "Phoneme → OVR viseme", IPA column, transcribed independently of the implementation. */
const TABLE: Array<[string, string]> = [
  ['sil', 'h'],
  ['PP', 'p b m'],
  ['FF', 'f v'],
  ['TH', 'θ ð'],
  ['DD', 't d ɾ ʔ'],
  ['kk', 'k ɡ ŋ'],
  ['CH', 'tʃ dʒ ʃ ʒ'],
  ['SS', 's z'],
  ['nn', 'n l'],
  ['RR', 'ɹ ɚ ɝ ɜː'],
  ['aa', 'ɑ æ ʌ ə ɐ a'],
  ['E', 'ɛ e'],
  ['ih', 'ɪ i iː ᵻ j'],
  ['oh', 'ɔ o'],
  ['ou', 'ʊ u uː w'],
];

/** Checks the invariants every output must satisfy. */
function expectWellFormed(frames: VisemeFrame[], phonemes: PhonemeTiming[]): void {
  expect(frames.length).toBeGreaterThan(0);
  const start = Math.min(...phonemes.map((p) => p.startMs));
  const end = Math.max(...phonemes.map((p) => p.endMs));
  expect(frames[0]!.startMs).toBe(start);
  expect(frames[frames.length - 1]!.endMs).toBe(end);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    expect(Number.isInteger(f.v) && f.v >= 0 && f.v <= 14).toBe(true);
    expect(f.weight).toBeGreaterThan(0);
    expect(f.weight).toBeLessThanOrEqual(1);
    expect(f.endMs).toBeGreaterThan(f.startMs);
    if (i > 0) {
      expect(f.startMs).toBe(frames[i - 1]!.endMs); // contiguous, hence sorted and non-overlapping
      expect(f.v).not.toBe(frames[i - 1]!.v); // merged
    }
  }
}

describe('OVR_VISEMES', () => {
  it('is the 15 OVR names in index order, same as the protocol table', () => {
    expect(OVR_VISEMES).toHaveLength(15);
    expect([...OVR_VISEMES]).toEqual([...OVR_VISEME_NAMES]);
    expect(OVR_VISEMES[0]).toBe('sil');
    expect(OVR_VISEMES[14]).toBe('ou');
  });
});

describe('phonemeToVisemes: table rows', () => {
  for (const [viseme, symbols] of TABLE) {
    for (const sym of symbols.split(' ')) {
      it(`${sym} → ${viseme}`, () => {
        expect(seq(sym)).toBe(viseme);
        expect(seq(`ˈ${sym}`)).toBe(viseme);
      });
    }
  }

  it('empty id (pause) → sil', () => {
    expect(phonemeToVisemes('')).toEqual([{ v: 0, weight: 1 }]);
  });

  it.each([
    ['aɪ', 'aa ih'],
    ['oʊ', 'oh ou'],
    ['eɪ', 'E ih'],
    ['aʊ', 'aa ou'],
    ['ɔɪ', 'oh ih'],
  ])('diphthong %s → %s', (id, expected) => {
    expect(seq(id)).toBe(expected);
    expect(seq(`ˈ${id}`)).toBe(expected);
    expect(seq(`ˌ${id}`)).toBe(expected);
  });
});

describe('phonemeToVisemes: eSpeak ids', () => {
  it('strips stress marks wherever they are', () => {
    expect(seq('ˈæ')).toBe('aa');
    expect(seq('ˌɪ')).toBe('ih');
    expect(seq('ɪˈ')).toBe('ih');
  });

  it('matches the longest known unit first', () => {
    expect(seq('tʃ')).toBe('CH'); // not DD + CH
    expect(seq('dʒ')).toBe('CH');
    expect(seq('ɜː')).toBe('RR');
    expect(seq('iː')).toBe('ih');
    expect(seq('uː')).toBe('ou');
    expect(seq('aɪ')).toBe('aa ih'); // diphthong, not a + ɪ by accident (same result, one unit)
    expect(seq('ts')).toBe('SS');
  });

  it('drops length marks not part of a unit', () => {
    expect(seq('ɑː')).toBe('aa');
    expect(seq('ˈɔː')).toBe('oh');
    expect(seq('ɛː')).toBe('E');
  });

  it('treats Vɹ as the vowel then RR', () => {
    expect(seq('ˈɛɹ')).toBe('E RR');
    expect(seq('ɔːɹ')).toBe('oh RR');
    expect(seq('ˈɑːɹ')).toBe('aa RR');
    expect(seq('ɪɹ')).toBe('ih RR');
    expect(seq('ʊɹ')).toBe('ou RR');
    expect(seq('aɪɚ')).toBe('aa ih RR');
  });

  it('ignores diacritics (nasal, syllabic) and keeps the base symbol', () => {
    expect(seq('ɑ̃')).toBe('aa');
    expect(seq('n̩')).toBe('nn');
    expect(seq('l̩')).toBe('nn');
    expect(seq('tʰ')).toBe('DD');
  });

  it('maps unknown symbols to the documented fallback', () => {
    expect(phonemeToVisemes('@')).toEqual([{ ...UNKNOWN_FALLBACK }]);
    expect(phonemeToVisemes('ʘ')).toEqual([{ ...UNKNOWN_FALLBACK }]);
    expect(name(UNKNOWN_FALLBACK.v)).toBe('DD');
  });

  it('weights stressed vowels above unstressed and reduced ones; consonants full', () => {
    const w = (id: string): number => phonemeToVisemes(id)[0]!.weight;
    expect(w('ˈæ')).toBe(1);
    expect(w('ˌæ')).toBeLessThan(1);
    expect(w('æ')).toBeLessThan(w('ˌæ'));
    expect(w('ə')).toBeLessThan(w('æ'));
    expect(w('t')).toBe(1);
    expect(w('ˈt')).toBe(1);
  });
});

describe('phonemesToVisemes', () => {
  it('returns [] for no phonemes', () => {
    expect(phonemesToVisemes([])).toEqual([]);
  });

  it('maps a real eSpeak sequence ("hello there")', () => {
    const phonemes: PhonemeTiming[] = [
      { p: 'h', startMs: 11, endMs: 62 },
      { p: 'ə', startMs: 62, endMs: 112 },
      { p: 'l', startMs: 112, endMs: 184 },
      { p: 'ˈoʊ', startMs: 184, endMs: 317 },
      { p: 'ð', startMs: 317, endMs: 404 },
      { p: 'ˈɛɹ', startMs: 404, endMs: 706 },
      { p: '', startMs: 706, endMs: 856 },
      { p: '', startMs: 856, endMs: 860 },
    ];
    const frames = phonemesToVisemes(phonemes);
    expect(frames.map((f) => [name(f.v), f.startMs, f.endMs])).toEqual([
      ['sil', 11, 62],
      ['aa', 62, 112],
      ['nn', 112, 184],
      ['oh', 184, 250.5],
      ['ou', 250.5, 317],
      ['TH', 317, 404],
      ['E', 404, 555],
      ['RR', 555, 706],
      ['sil', 706, 860],
    ]);
    expectWellFormed(frames, phonemes);
  });

  it('splits diphthongs evenly over their duration', () => {
    const frames = phonemesToVisemes([{ p: 'ˈaɪ', startMs: 100, endMs: 200 }]);
    expect(frames).toEqual([
      { v: 10, startMs: 100, endMs: 150, weight: 1 },
      { v: 12, startMs: 150, endMs: 200, weight: 1 },
    ]);
  });

  it('merges adjacent identical visemes, keeping the larger weight', () => {
    const frames = phonemesToVisemes([
      { p: 'p', startMs: 0, endMs: 10 },
      { p: 'b', startMs: 10, endMs: 20 },
      { p: 'm', startMs: 20, endMs: 30 },
      { p: 'ə', startMs: 30, endMs: 40 },
      { p: 'ˈæ', startMs: 40, endMs: 50 },
    ]);
    expect(frames).toEqual([
      { v: 1, startMs: 0, endMs: 30, weight: 1 },
      { v: 10, startMs: 30, endMs: 50, weight: 1 },
    ]);
  });

  it('fills gaps with sil, clips overlaps, sorts, and skips zero-length phonemes', () => {
    const phonemes: PhonemeTiming[] = [
      { p: 's', startMs: 50, endMs: 80 },
      { p: 't', startMs: 0, endMs: 20 },
      { p: 'k', startMs: 70, endMs: 100 }, // overlaps s
      { p: 'f', startMs: 100, endMs: 100 }, // zero length
      { p: 'm', startMs: 100, endMs: 120 },
    ];
    const frames = phonemesToVisemes(phonemes);
    expect(frames.map((f) => [name(f.v), f.startMs, f.endMs])).toEqual([
      ['DD', 0, 20],
      ['sil', 20, 50],
      ['SS', 50, 80],
      ['kk', 80, 100],
      ['PP', 100, 120],
    ]);
    expectWellFormed(frames, phonemes);
  });

  it('keeps the invariants for arbitrary input', () => {
    const ids = ['', 'h', 'p', 'ˈaɪ', 'ɔːɹ', 'tʃ', 'ə', 'ˈɛɹ', 'oʊ', '@', 's', 'ɜː', 'ˌeɪ', 'ŋ'];
    const phoneme = fc.record({
      p: fc.constantFrom(...ids),
      startMs: fc.integer({ min: 0, max: 2000 }),
      len: fc.integer({ min: 0, max: 300 }),
    });
    fc.assert(
      fc.property(fc.array(phoneme, { minLength: 1, maxLength: 40 }), (raw) => {
        const phonemes = raw.map((r) => ({ p: r.p, startMs: r.startMs, endMs: r.startMs + r.len }));
        const frames = phonemesToVisemes(phonemes);
        const start = Math.min(...phonemes.map((p) => p.startMs));
        const end = Math.max(...phonemes.map((p) => p.endMs));
        if (end === start) {
          expect(frames).toEqual([]);
          return;
        }
        expectWellFormed(frames, phonemes);
      }),
    );
  });

  it('covers contiguous phonemes exactly, like eSpeak output', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('ˈoʊ', 'l', 'ɚ', '', 'dʒ', 'aʊ'), fc.integer({ min: 1, max: 200 })), { minLength: 1, maxLength: 30 }), (parts) => {
        let t = 7;
        const phonemes = parts.map(([p, d]) => ({ p, startMs: t, endMs: (t += d) }));
        const frames = phonemesToVisemes(phonemes);
        expectWellFormed(frames, phonemes);
        expect(frames.some((f) => f.v === 0 && frames.length > 1 && parts.every(([p]) => p !== ''))).toBe(false);
      }),
    );
  });
});
