import { beforeAll, describe, expect, it } from 'vitest';
import { rms } from '@parley/protocol';
import { EspeakCancelledError, EspeakEngine, EspeakVoiceError, eventsToTimings, getEspeak, prepareText, synthesize, type EspeakResult } from './espeak.js';

const SENTENCE = 'Welcome to my castle, traveller, the night is young and full of secrets.';

function expectConsistent(r: EspeakResult): void {
  expect(r.sampleRate).toBe(22050);
  expect(r.durationMs).toBeCloseTo((r.pcm.length / r.sampleRate) * 1000, 6);
  expect(r.phonemes.length).toBeGreaterThan(0);
  let prevEnd = r.phonemes[0]!.startMs;
  for (const ph of r.phonemes) {
    expect(ph.startMs).toBeGreaterThanOrEqual(0);
    expect(ph.endMs).toBeGreaterThanOrEqual(ph.startMs);
    expect(ph.endMs).toBeLessThanOrEqual(r.durationMs);
    expect(ph.startMs).toBe(prevEnd); // ordered and contiguous
    prevEnd = ph.endMs;
  }
  expect(Math.abs(r.phonemes.at(-1)!.endMs - r.durationMs)).toBeLessThan(5);
  for (let i = 0; i < r.words.length; i++) {
    const w = r.words[i]!;
    expect(w.startMs).toBeGreaterThanOrEqual(i > 0 ? r.words[i - 1]!.startMs : 0);
    expect(w.endMs).toBeGreaterThanOrEqual(w.startMs);
    expect(w.endMs).toBeLessThanOrEqual(r.durationMs);
  }
}

describe('eSpeak synthesis (real WASM)', () => {
  let engine: EspeakEngine;
  beforeAll(async () => {
    engine = await EspeakEngine.create();
  });

  it('produces audible PCM with consistent phoneme and word timings', () => {
    const r = engine.synthesize(SENTENCE, { voice: 'en-us' });
    expectConsistent(r);
    expect(rms(r.pcm)).toBeGreaterThan(0.02);
    // ~13 words at 175 wpm: a few seconds of audio.
    expect(r.durationMs).toBeGreaterThan(2500);
    expect(r.durationMs).toBeLessThan(8000);
    expect(r.words.map((w) => w.text)).toEqual(['Welcome', 'to', 'my', 'castle', 'traveller', 'the', 'night', 'is', 'young', 'and', 'full', 'of', 'secrets']);
    // Phoneme ids are IPA with stress marks, pauses are ''.
    expect(r.phonemes.some((p) => p.p.includes('ˈ'))).toBe(true);
    expect(r.phonemes.some((p) => p.p === '')).toBe(true);
    // Speech actually sits where the phonemes say: the loudest phoneme span is not a pause.
    const level = (a: number, b: number): number => rms(r.pcm.subarray(Math.floor((a / 1000) * r.sampleRate), Math.ceil((b / 1000) * r.sampleRate)));
    const vowel = r.phonemes.find((p) => p.p === 'ˈɛ' || p.p.startsWith('ˈ'))!;
    expect(level(vowel.startMs, vowel.endMs)).toBeGreaterThan(0.02);
  });

  it('honours rate and pitch, and maps en-gb to eSpeak\'s "en"', () => {
    const normal = engine.synthesize('The gates are closed tonight.', { voice: 'en-gb' });
    const slow = engine.synthesize('The gates are closed tonight.', { voice: 'en-gb', rate: 90 });
    expectConsistent(slow);
    expect(slow.durationMs).toBeGreaterThan(normal.durationMs * 1.5);
    const low = engine.synthesize('The gates are closed tonight.', { voice: 'en-gb', pitch: 5 });
    expect(Math.abs(low.durationMs - normal.durationMs)).toBeLessThan(normal.durationMs * 0.1);
    expect(low.pcm).not.toEqual(normal.pcm);
    // British "closed" differs from American in eSpeak's phoneme set (əʊ vs oʊ).
    const us = engine.synthesize('closed', { voice: 'en-us' });
    const gb = engine.synthesize('closed', { voice: 'en-gb' });
    expect(us.phonemes.map((p) => p.p)).toContain('ˈoʊ');
    expect(gb.phonemes.map((p) => p.p)).not.toContain('ˈoʊ');
  });

  it('rejects an unknown voice and keeps working', () => {
    expect(() => engine.synthesize('hello', { voice: 'no-such-voice' })).toThrow(EspeakVoiceError);
    expectConsistent(engine.synthesize('hello', { voice: 'en-us' }));
  });

  it('speaks markup as text instead of obeying it', () => {
    const r = engine.synthesize('Wait <break time="5s"/> here & [[h@loU]] there.', { voice: 'en-us' });
    expectConsistent(r);
    expect(r.durationMs).toBeLessThan(5000 + 500);
    const words = r.words.map((w) => w.text);
    expect(words).toContain('break');
    expect(words).toContain('&');
    expect(words).toContain('there');
  });

  it('handles empty and whitespace-only text', () => {
    for (const text of ['', '   ']) {
      const r = engine.synthesize(text, { voice: 'en-us' });
      expect(r.words).toEqual([]);
      expect(r.durationMs).toBeLessThan(50);
      expect(r.phonemes.every((p) => p.p === '')).toBe(true);
    }
  });

  it('stops when cancelled, and the next call still works', () => {
    let polls = 0;
    expect(() => engine.synthesize(SENTENCE, { voice: 'en-us' }, { isCancelled: () => ++polls >= 2 })).toThrow(EspeakCancelledError);
    expect(polls).toBe(2);
    expectConsistent(engine.synthesize('Still here.', { voice: 'en-us' }));
  });
});

describe('shared engine', () => {
  it('initialises once and synthesizes through the async helper', async () => {
    const [a, b] = await Promise.all([getEspeak(), getEspeak()]);
    expect(a).toBe(b);
    const r = await synthesize('Hello there.', { voice: 'en-us' });
    expectConsistent(r);
  });
});

describe('eventsToTimings', () => {
  const ev = (type: string, audio_position: number, id?: string | number, text_position = 1, word_length = 0) => ({ type, audio_position, id, text_position, word_length });

  it('ends each phoneme at the next phoneme event and the last at the audio end', () => {
    const { phonemes, words } = eventsToTimings(
      [
        ev('sentence', 0, 1),
        ev('word', 0, 1, 1, 5),
        ev('phoneme', 11, 'h'),
        ev('phoneme', 62, 'ə'),
        ev('phoneme', 184, 'ˈoʊ'),
        ev('word', 305, 2, 7, 5),
        ev('phoneme', 317, 'ð'),
        ev('phoneme', 404, 'ˈɛɹ'),
        ev('phoneme', 706, ''),
        ev('end', 856),
        ev('phoneme', 856, ''),
      ],
      860.5,
      (e) => (e.text_position === 1 ? 'Hello' : 'there'),
    );
    expect(phonemes).toEqual([
      { p: 'h', startMs: 11, endMs: 62 },
      { p: 'ə', startMs: 62, endMs: 184 },
      { p: 'ˈoʊ', startMs: 184, endMs: 317 },
      { p: 'ð', startMs: 317, endMs: 404 },
      { p: 'ˈɛɹ', startMs: 404, endMs: 706 },
      { p: '', startMs: 706, endMs: 856 },
      { p: '', startMs: 856, endMs: 860.5 },
    ]);
    expect(words).toEqual([
      { text: 'Hello', startMs: 0, endMs: 305 },
      { text: 'there', startMs: 305, endMs: 706 },
    ]);
  });

  it('clamps positions past the audio end and keeps order', () => {
    const { phonemes } = eventsToTimings([ev('phoneme', 50, 'a'), ev('phoneme', 40, 'b'), ev('phoneme', 120, 'c')], 100);
    expect(phonemes).toEqual([
      { p: 'a', startMs: 50, endMs: 50 },
      { p: 'b', startMs: 50, endMs: 100 },
      { p: 'c', startMs: 100, endMs: 100 },
    ]);
  });
});

describe('prepareText', () => {
  it('escapes SSML and phoneme-input syntax and maps positions back to the source', () => {
    const { escaped, sourceIndex } = prepareText('a&b<c>[[d\u0000é');
    expect(escaped).toBe('a&amp;b&lt;c&gt;[ [d é');
    expect(sourceIndex).toHaveLength([...escaped].length);
    expect(sourceIndex.slice(0, 7)).toEqual([0, 1, 1, 1, 1, 1, 2]);
    expect(sourceIndex.at(-1)).toBe(10);
  });
});
