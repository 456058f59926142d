import { beforeAll, describe, expect, it } from 'vitest';
import { rms } from '@parley/protocol';
import { EspeakEngine } from './espeak.js';
import { DEFAULT_VOICE_ID, UnknownVoiceError, VOICES, listVoices, resolveVoice } from './voices.js';

describe('voice catalog', () => {
  it('has the required voices with sane settings', () => {
    const ids = listVoices().map((v) => v.id);
    for (const id of ['male-deep', 'male-gruff', 'female-warm', 'female-bright', 'elder', 'growl']) expect(ids).toContain(id);
    for (const v of listVoices()) {
      expect(v.rate).toBeGreaterThanOrEqual(80);
      expect(v.rate).toBeLessThanOrEqual(450);
      expect(v.pitch).toBeGreaterThanOrEqual(0);
      expect(v.pitch).toBeLessThanOrEqual(100);
      expect(v.range).toBeGreaterThanOrEqual(0);
      expect(v.range).toBeLessThanOrEqual(100);
      expect(v.voice).toMatch(/^[a-z]{2,3}(-[a-zA-Z0-9-]+)?(\+[A-Za-z0-9]+)?$/);
      expect(v.description.length).toBeGreaterThan(0);
    }
  });

  it('makes the vampire lord slow and low, the zombie slower and lower', () => {
    const deep = resolveVoice('male-deep');
    const growl = resolveVoice('growl');
    const neutral = resolveVoice();
    expect(deep.rate).toBeLessThan(neutral.rate);
    expect(deep.pitch).toBeLessThan(neutral.pitch);
    expect(growl.rate).toBeLessThan(deep.rate);
    expect(growl.pitch).toBeLessThan(deep.pitch);
  });

  it('resolves undefined to the default and rejects unknown ids with a typed error', () => {
    expect(resolveVoice()).toBe(VOICES[DEFAULT_VOICE_ID]);
    expect(resolveVoice('elder').id).toBe('elder');
    expect(() => resolveVoice('dragon')).toThrow(UnknownVoiceError);
    expect(() => resolveVoice('toString')).toThrow(UnknownVoiceError);
    try {
      resolveVoice('dragon');
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownVoiceError);
      expect((e as UnknownVoiceError).voiceId).toBe('dragon');
      expect((e as UnknownVoiceError).code).toBe('unknown_voice');
    }
  });

  it('is immutable', () => {
    expect(Object.isFrozen(VOICES)).toBe(true);
    expect(Object.isFrozen(resolveVoice('growl'))).toBe(true);
  });
});

describe('every catalog voice synthesizes with eSpeak', () => {
  let engine: EspeakEngine;
  beforeAll(async () => {
    engine = await EspeakEngine.create();
  });

  it.each(listVoices().map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const r = engine.synthesize('You should not have come here.', v);
    expect(rms(r.pcm)).toBeGreaterThan(0.01);
    expect(r.words.length).toBeGreaterThanOrEqual(4); // eSpeak may merge short words ("not have")
  });

  it('orders durations by rate', () => {
    const dur = (id: string): number => engine.synthesize('You should not have come here after dark.', resolveVoice(id)).durationMs;
    expect(dur('growl')).toBeGreaterThan(dur('male-deep'));
    expect(dur('male-deep')).toBeGreaterThan(dur('female-bright'));
  });
});
