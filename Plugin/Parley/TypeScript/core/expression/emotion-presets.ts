/**
 * Emotion → ARKit-52 blendshape presets for the protocol's emotion labels (docs/protocol.md).
 * An unknown label shows as neutral. Compiled into the C++ module too (ParleyFaceDefaults.inl)
 * so designers can edit them per NPC on the Expression component.
 */
import type { FacePose } from '../face/face-pose.js';

const both = (side: string, w: number): Record<string, number> => ({ [`${side}Left`]: w, [`${side}Right`]: w });

export const EMOTION_PRESETS: Readonly<Record<string, FacePose>> = {
  neutral: {},
  joy: { ...both('mouthSmile', 0.7), ...both('cheekSquint', 0.5), ...both('eyeSquint', 0.3) },
  amusement: { ...both('mouthSmile', 0.55), ...both('cheekSquint', 0.35), ...both('eyeSquint', 0.25), browInnerUp: 0.1 },
  trust: { ...both('mouthSmile', 0.3), browInnerUp: 0.15 },
  interest: { ...both('browOuterUp', 0.35), browInnerUp: 0.2, ...both('eyeWide', 0.15) },
  anticipation: { ...both('browOuterUp', 0.3), ...both('eyeWide', 0.25), ...both('mouthPress', 0.2) },
  surprise: { browInnerUp: 0.7, ...both('browOuterUp', 0.8), ...both('eyeWide', 0.8), jawOpen: 0.2 },
  fear: { browInnerUp: 0.8, ...both('browOuterUp', 0.4), ...both('eyeWide', 0.7), ...both('mouthStretch', 0.4) },
  sadness: { browInnerUp: 0.6, ...both('mouthFrown', 0.6), mouthShrugLower: 0.2, ...both('eyeLookDown', 0.2) },
  anger: { ...both('browDown', 0.8), ...both('noseSneer', 0.4), ...both('mouthPress', 0.4), ...both('eyeSquint', 0.3), jawForward: 0.1 },
  disgust: { ...both('noseSneer', 0.7), ...both('mouthUpperUp', 0.5), ...both('browDown', 0.3), ...both('cheekSquint', 0.3) },
  contempt: { mouthSmileLeft: 0.35, mouthDimpleLeft: 0.3, noseSneerLeft: 0.2, browDownRight: 0.1 },
};

/** Lower-cases and trims a label; labels without a preset map to `neutral`. */
export function normalizeEmotion(label: string, presets: ReadonlyMap<string, FacePose>): string {
  const key = label.trim().toLowerCase();
  return presets.has(key) ? key : 'neutral';
}

export function defaultEmotionPresets(): Map<string, FacePose> {
  return new Map(Object.entries(EMOTION_PRESETS));
}
