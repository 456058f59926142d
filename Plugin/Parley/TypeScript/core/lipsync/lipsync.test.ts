import { describe, expect, it } from 'vitest';
import { OVR_VISEME_NAMES } from '@parley/protocol';
import type { VisemeTuple } from '@parley/protocol';
import { OVR_VISEMES, VISEME_COUNT } from './ovr-visemes.js';
import { VisemeTrack } from './viseme-track.js';
import { WeightSmoother } from './weight-smoother.js';
import { LipSyncDriver } from './lip-sync-driver.js';
import { mappingTargets, mapVisemes, VISEME_PRESETS } from './viseme-mapping.js';

const AA = 10;
const PP = 1;
const OU = 14;
const frames: VisemeTuple[] = [
  [0, 0, 100, 1],
  [PP, 100, 180, 1],
  [AA, 180, 400, 0.8],
  [OU, 400, 430, 1], // short: 30 ms
  [0, 430, 600, 1],
];

describe('viseme scheduling by audio position', () => {
  it('matches the protocol list of OVR visemes', () => {
    expect([...OVR_VISEMES]).toEqual([...OVR_VISEME_NAMES]);
  });

  it('without coarticulation, the weight is exactly the frame under the position', () => {
    const track = new VisemeTrack();
    track.add(frames.slice(0, 3));
    track.add(frames.slice(3)); // arrives in a later message
    const at = (ms: number) => [...track.sample(ms, 0)];
    expect(at(50)[0]).toBe(1);
    expect(at(100)[PP]).toBe(1);
    expect(at(179.9)[PP]).toBe(1);
    expect(at(180)[PP]).toBe(0);
    expect(at(180)[AA]).toBeCloseTo(0.8);
    expect(at(415)[OU]).toBe(1);
    expect(at(600).every((w) => w === 0)).toBe(true); // past the end: silence
    expect(at(50).filter((w) => w > 0)).toHaveLength(1);
  });

  it('with coarticulation, neighbours cross-fade around each boundary', () => {
    const track = new VisemeTrack();
    track.add(frames);
    const w = track.sample(180, 60); // the PP→aa boundary
    expect(w[PP]).toBeCloseTo(0.5, 6);
    expect(w[AA]).toBeCloseTo(0.4, 6); // 0.5 × weight 0.8
    const before = track.sample(160, 60); // 20 ms before: aa fading in from 150
    expect(before[AA]).toBeCloseTo((10 / 60) * 0.8, 6);
    expect(before[PP]).toBeCloseTo(50 / 60, 6); // and PP already fading out
    expect(track.sample(140, 60)[PP]).toBeCloseTo(1, 6); // outside the blend window: full weight
    // A 30 ms viseme under a 60 ms blend peaks below full weight, like a fast consonant.
    const peak = Math.max(...[405, 410, 415, 420, 425].map((ms) => track.sample(ms, 60)[OU]!));
    expect(peak).toBeGreaterThan(0.5);
    expect(peak).toBeLessThan(1);
  });

  it('is a function of position only: sampling order and repetition do not matter', () => {
    const track = new VisemeTrack();
    track.add(frames);
    const forward = [0, 90, 181, 300, 420].map((ms) => [...track.sample(ms, 40)]);
    const backward = [420, 300, 181, 90, 0].map((ms) => [...track.sample(ms, 40)]).reverse();
    expect(backward).toEqual(forward);
  });
});

describe('smoothing and mapping', () => {
  it('smooths with exact exponential steps, independent of frame rate', () => {
    const target = new Float32Array(VISEME_COUNT);
    target[AA] = 1;
    const a = new WeightSmoother(VISEME_COUNT);
    const b = new WeightSmoother(VISEME_COUNT);
    for (let i = 0; i < 2; i++) a.step(target, 1 / 30, 40, 80);
    for (let i = 0; i < 4; i++) b.step(target, 1 / 60, 40, 80);
    expect(a.value[AA]).toBeCloseTo(1 - Math.exp(-66.6667 / 40), 4);
    expect(b.value[AA]).toBeCloseTo(a.value[AA]!, 5);
    target[AA] = 0;
    a.step(target, 0.08, 40, 80); // release uses its own (slower) constant
    expect(a.value[AA]).toBeCloseTo((1 - Math.exp(-66.6667 / 40)) * Math.exp(-1), 4);
  });

  it('maps visemes to OVR morph names (Ready Player Me spelling) and ARKit shapes', () => {
    expect(VISEME_PRESETS.ovr[12]).toEqual({ viseme_I: 1 });
    expect(mappingTargets(VISEME_PRESETS.ovr)).toHaveLength(15);
    const w = new Float32Array(VISEME_COUNT);
    w[AA] = 0.5;
    w[OU] = 0.5;
    const face = mapVisemes(w, VISEME_PRESETS.arkit, 1);
    expect(face.get('jawOpen')).toBeCloseTo(0.5 * 0.6 + 0.5 * 0.15, 6);
    expect(face.get('mouthPucker')).toBeCloseTo(0.4, 6);
    for (const name of mappingTargets(VISEME_PRESETS.arkit)) expect(name).toMatch(/^(jaw|mouth|tongue)[A-Z]/);
  });

  it('the driver closes the mouth when speech stops', () => {
    const track = new VisemeTrack();
    track.add(frames);
    const driver = new LipSyncDriver({ mapping: VISEME_PRESETS.ovr, intensity: 1, attackMs: 0, releaseMs: 50, coarticulationMs: 0, latencyMs: 0 });
    let pos = 250;
    const source = (blend: number, latency: number, out: Float32Array) => (track.sample(pos - latency, blend, out), true);
    expect(driver.update(1 / 60, source).get('viseme_aa')).toBeCloseTo(0.8, 6);
    pos = 260;
    let face = driver.update(1 / 60, null); // cancelled: no source
    expect(face.get('viseme_aa')!).toBeLessThan(0.8);
    for (let i = 0; i < 30; i++) face = driver.update(1 / 60, null);
    expect(face.get('viseme_aa')!).toBeLessThan(0.001);
  });

  it('latency compensation delays the lips against the audio clock', () => {
    const track = new VisemeTrack();
    track.add(frames);
    const driver = new LipSyncDriver({ mapping: VISEME_PRESETS.ovr, intensity: 1, attackMs: 0, releaseMs: 0, coarticulationMs: 0, latencyMs: 30 });
    const face = driver.update(1 / 60, (blend, latency, out) => (track.sample(200 - latency, blend, out), true));
    expect(face.get('viseme_PP')).toBe(1); // 200 − 30 = 170 ms: still PP
  });
});
