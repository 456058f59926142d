import { describe, expect, it } from 'vitest';
import { Blinker } from './blinker.js';
import { defaultEmotionPresets, EMOTION_PRESETS } from './emotion-presets.js';
import { ExpressionBlender } from './expression-blender.js';

const ARKIT_52 = new Set(
  'browDownLeft browDownRight browInnerUp browOuterUpLeft browOuterUpRight cheekPuff cheekSquintLeft cheekSquintRight eyeBlinkLeft eyeBlinkRight eyeLookDownLeft eyeLookDownRight eyeLookInLeft eyeLookInRight eyeLookOutLeft eyeLookOutRight eyeLookUpLeft eyeLookUpRight eyeSquintLeft eyeSquintRight eyeWideLeft eyeWideRight jawForward jawLeft jawOpen jawRight mouthClose mouthDimpleLeft mouthDimpleRight mouthFrownLeft mouthFrownRight mouthFunnel mouthLeft mouthLowerDownLeft mouthLowerDownRight mouthPressLeft mouthPressRight mouthPucker mouthRight mouthRollLower mouthRollUpper mouthShrugLower mouthShrugUpper mouthSmileLeft mouthSmileRight mouthStretchLeft mouthStretchRight mouthUpperUpLeft mouthUpperUpRight noseSneerLeft noseSneerRight tongueOut'.split(' '),
);

const step = (b: ExpressionBlender, seconds: number, dt = 1 / 60) => {
  let out = b.update(0);
  for (let i = Math.round(seconds / dt); i > 0; i--) out = b.update(dt);
  return out;
};

describe('emotion presets', () => {
  it('cover the protocol labels with ARKit-52 names only', () => {
    for (const label of ['neutral', 'joy', 'anger', 'fear', 'sadness', 'surprise', 'disgust', 'trust', 'anticipation', 'contempt', 'interest', 'amusement']) expect(EMOTION_PRESETS).toHaveProperty(label);
    ARKIT_52.size === 52 || expect.fail('ARKit list');
    for (const pose of Object.values(EMOTION_PRESETS)) for (const name of Object.keys(pose)) expect(ARKIT_52.has(name), name).toBe(true);
  });
});

describe('ExpressionBlender', () => {
  const settings = { presets: defaultEmotionPresets(), strength: 1, blendSeconds: 0.5, holdSeconds: 1, decaySeconds: 2 };

  it('fades an emotion in linearly over the blend time, scaled by intensity', () => {
    const b = new ExpressionBlender(settings);
    b.setEmotion('Joy', 0.5);
    const quarter = step(b, 0.125, 1 / 120);
    expect(b.weightOf('joy')).toBeCloseTo(0.25, 2);
    expect(quarter.get('mouthSmileLeft')).toBeCloseTo(0.25 * 0.7, 2);
    step(b, 1);
    expect(b.weightOf('joy')).toBeCloseTo(0.5, 6); // capped at the intensity
  });

  it('cross-fades to a new emotion', () => {
    const b = new ExpressionBlender(settings);
    b.setEmotion('joy', 1);
    step(b, 1);
    b.setEmotion('anger', 1);
    step(b, 0.25);
    expect(b.weightOf('joy')).toBeCloseTo(0.5, 2);
    expect(b.weightOf('anger')).toBeCloseTo(0.5, 2);
    const out = step(b, 0.5);
    expect(b.weightOf('joy')).toBe(0);
    expect(out.has('mouthSmileLeft')).toBe(false);
    expect(out.get('browDownLeft')).toBeCloseTo(0.8, 6);
  });

  it('holds after speech, then decays to neutral over the decay time', () => {
    const b = new ExpressionBlender(settings);
    b.setEmotion('sadness', 1);
    step(b, 1);
    b.relax();
    step(b, 0.9);
    expect(b.weightOf('sadness')).toBeCloseTo(1, 6); // still holding
    step(b, 0.1 + 1); // hold over, half of the 2 s decay done
    expect(b.weightOf('sadness')).toBeCloseTo(0.5, 1);
    expect(b.emotion).toBe('neutral');
    const out = step(b, 1.1);
    expect(out.size).toBe(0);
  });

  it('shows unknown labels as neutral', () => {
    const b = new ExpressionBlender(settings);
    expect(b.setEmotion('smug_satisfaction', 1)).toBe('neutral');
    expect(step(b, 1).size).toBe(0);
  });
});

describe('Blinker', () => {
  it('blinks at random intervals inside the range, closing fully', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const blinker = new Blinker({ enabled: true, minIntervalSeconds: 2, maxIntervalSeconds: 6, durationSeconds: 0.2 }, random);
    let peak = 0;
    const dt = 1 / 120;
    for (let t = 0; t < 120; t += dt) peak = Math.max(peak, blinker.update(dt));
    expect(blinker.blinks).toBeGreaterThanOrEqual(Math.floor(120 / 6.2));
    expect(blinker.blinks).toBeLessThanOrEqual(Math.ceil(120 / 2));
    expect(peak).toBeGreaterThan(0.95);
  });

  it('does nothing when disabled', () => {
    const blinker = new Blinker({ enabled: false, minIntervalSeconds: 0.1, maxIntervalSeconds: 0.1, durationSeconds: 0.1 }, () => 0);
    for (let i = 0; i < 100; i++) expect(blinker.update(0.05)).toBe(0);
  });
});
