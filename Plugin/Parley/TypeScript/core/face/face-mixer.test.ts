import { describe, expect, it } from 'vitest';
import { FaceMixer, type FaceOutput } from './face-mixer.js';

function output(names: string[] | null) {
  const values = new Map<string, number>();
  const calls: [string, number][] = [];
  const out: FaceOutput = {
    available: () => (names ? new Set(names) : null),
    set: (n, v) => {
      calls.push([n, v]);
      values.set(n, v);
    },
    describe: () => 'skeletal mesh "Face" on BP_Test',
  };
  return { out, values, calls };
}
const logger = (lines: string[]) => ({ info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) });

describe('FaceMixer', () => {
  it('layers lips over expression on mouth shapes; eyes and brows are untouched by speech', () => {
    const { out, values } = output(null);
    const mixer = new FaceMixer(out, logger([]));
    mixer.mouthSuppression = 0.5;
    mixer.setLayer('expression', new Map([['mouthSmileLeft', 0.6], ['browInnerUp', 0.4]]));
    mixer.setLayer('blink', new Map([['eyeBlinkLeft', 1]]));
    mixer.flush();
    expect(values.get('mouthSmileLeft')).toBeCloseTo(0.6);
    mixer.setLayer('lips', new Map([['jawOpen', 0.8], ['mouthSmileLeft', 0.1]]));
    mixer.flush();
    expect(values.get('jawOpen')).toBeCloseTo(0.8);
    expect(values.get('mouthSmileLeft')).toBeCloseTo(0.1 + 0.6 * (1 - 0.8 * 0.5));
    expect(values.get('browInnerUp')).toBeCloseTo(0.4);
    expect(values.get('eyeBlinkLeft')).toBe(1);
  });

  it('writes only changes, and writes 0 once when a shape goes away', () => {
    const { out, calls } = output(null);
    const mixer = new FaceMixer(out, logger([]));
    mixer.setLayer('lips', new Map([['viseme_aa', 0.5]]));
    mixer.flush();
    mixer.flush();
    expect(calls).toEqual([['viseme_aa', 0.5]]);
    mixer.setLayer('lips', new Map([['viseme_aa', 0.0004]])); // below the write threshold: snaps to 0
    mixer.flush();
    mixer.flush();
    expect(calls).toEqual([['viseme_aa', 0.5], ['viseme_aa', 0]]);
  });

  it('reports targets the mesh lacks once, by name, and never writes them', () => {
    const lines: string[] = [];
    const { out, calls } = output(['viseme_aa', 'viseme_PP']);
    const mixer = new FaceMixer(out, logger(lines));
    mixer.declareTargets(['viseme_aa', 'viseme_PP', 'viseme_TH', 'viseme_kk'], 'LipSync on BP_Test');
    mixer.setLayer('lips', new Map([['viseme_TH', 1], ['viseme_aa', 1], ['mouthSmileLeft', 0.3]]));
    for (let i = 0; i < 5; i++) mixer.flush();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('skeletal mesh "Face" on BP_Test has no morph target named "viseme_TH", "viseme_kk" (wanted by LipSync on BP_Test); those shapes will not show. Pick the mapping preset that matches the rig or use a custom mapping asset.');
    expect(lines[1]).toMatch(/no morph target named "mouthSmileLeft" \(wanted by Parley\)/);
    expect(calls.map((c) => c[0])).toEqual(['viseme_aa']);
    expect(mixer.missingTargets).toEqual(['viseme_TH', 'viseme_kk', 'mouthSmileLeft']);
  });

  it('clear() zeroes everything it wrote', () => {
    const { out, values } = output(null);
    const mixer = new FaceMixer(out, logger([]));
    mixer.setLayer('expression', new Map([['browDownLeft', 0.7]]));
    mixer.flush();
    mixer.clear();
    expect(values.get('browDownLeft')).toBe(0);
  });
});
