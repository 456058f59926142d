/** Reads FParleyFacePose maps (designer-edited in the details panel) into core face poses. */
import type * as UE from 'ue';
import type { FacePose } from '../core/face/face-pose.js';
import { VISEME_COUNT } from '../core/lipsync/ovr-visemes.js';
import type { VisemeMapping } from '../core/lipsync/viseme-mapping.js';
import { mapEntries } from './ue-containers.js';

export function readPose(pose: UE.ParleyFacePose | undefined): FacePose {
  const out: Record<string, number> = {};
  for (const [name, weight] of mapEntries(pose?.Curves)) if (name && Number.isFinite(weight)) out[name] = Math.max(0, Math.min(1, weight));
  return out;
}

/** A UParleyVisemeMapping asset → mapping; null when it maps nothing. */
export function readVisemeMapping(asset: UE.ParleyVisemeMapping | null | undefined): VisemeMapping | null {
  if (!asset) return null;
  const poses: FacePose[] = Array.from({ length: VISEME_COUNT }, () => ({}));
  let any = false;
  for (const [viseme, pose] of mapEntries(asset.Visemes)) {
    if (!(viseme >= 0 && viseme < VISEME_COUNT)) continue;
    const p = readPose(pose);
    poses[viseme] = p;
    if (Object.keys(p).length > 0) any = true;
  }
  return any ? poses : null;
}

/** Emotion presets edited on the Expression component; null when the map is empty. */
export function readEmotionPresets(map: UE.TMap<string, UE.ParleyFacePose> | null | undefined): Map<string, FacePose> | null {
  const entries = mapEntries(map);
  if (entries.length === 0) return null;
  const out = new Map<string, FacePose>([['neutral', {}]]);
  for (const [label, pose] of entries) out.set(label.trim().toLowerCase(), readPose(pose));
  return out;
}
