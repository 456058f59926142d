import { describe, expect, it } from 'vitest';
import type { DialogueEvent } from './backend.js';
import { EmotionTagFilter, normalizeEmotion } from './emotion-tags.js';

function run(parts: string[]): DialogueEvent[] {
  const f = new EmotionTagFilter();
  const out = parts.flatMap((p) => f.push(p));
  out.push(...f.flush());
  // Merge neighbouring text events: how the text was cut is not the point here.
  return out.reduce<DialogueEvent[]>((acc, e) => {
    const last = acc[acc.length - 1];
    if (e.type === 'text' && last?.type === 'text') last.delta += e.delta;
    else acc.push({ ...e });
    return acc;
  }, []);
}

describe('emotion tags', () => {
  it('turns a leading tag into the first event and strips it, however the stream is cut', () => {
    const expected = [{ type: 'emotion', label: 'anger', intensity: 0.9 }, { type: 'text', delta: 'Get out of my tavern!' }];
    expect(run(['[emotion:anger 0.9] Get out of my tavern!'])).toEqual(expected);
    expect(run(['[', 'emo', 'tion:an', 'ger 0.', '9]', ' Get out', ' of my tavern!'])).toEqual(expected);
    expect(run(['  \n[Emotion: ANGER, 0.9]\nGet out of my tavern!'])).toEqual(expected);
  });

  it('gives neutral first when the reply has no tag, and lets a later tag change the emotion', () => {
    expect(run(['Hello there. [emotion:fear 0.6] Did you hear that?'])).toEqual([
      { type: 'emotion', label: 'neutral', intensity: 0.3 },
      { type: 'text', delta: 'Hello there. ' },
      { type: 'emotion', label: 'fear', intensity: 0.6 },
      { type: 'text', delta: 'Did you hear that?' },
    ]);
  });

  it('keeps brackets that are not tags', () => {
    expect(run(['[emotion:joy] The price is [5 gold', '] and [emo] is a bird.'])).toEqual([
      { type: 'emotion', label: 'joy', intensity: 0.5 },
      { type: 'text', delta: 'The price is [5 gold] and [emo] is a bird.' },
    ]);
    expect(run(['A half tag at the end [emoti'])).toEqual([
      { type: 'emotion', label: 'neutral', intensity: 0.3 },
      { type: 'text', delta: 'A half tag at the end [emoti' },
    ]);
  });

  it('maps synonyms and clamps intensity; unknown labels become neutral', () => {
    expect(normalizeEmotion('Happy', '1.7')).toEqual({ label: 'joy', intensity: 1 });
    expect(normalizeEmotion('curious', undefined)).toEqual({ label: 'interest', intensity: 0.5 });
    expect(normalizeEmotion('flabbergasted', '0.33')).toEqual({ label: 'neutral', intensity: 0.33 });
  });

  it('an empty reply still yields an emotion', () => {
    expect(run([''])).toEqual([{ type: 'emotion', label: 'neutral', intensity: 0.3 }]);
  });
});
