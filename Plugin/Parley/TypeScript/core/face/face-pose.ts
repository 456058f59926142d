/** A face pose: morph target (or animation curve) name → weight 0..1. */
export type FacePose = Readonly<Record<string, number>>;

/** Adds `pose × scale` into `out` (clamped to 0..1 later by the mixer). */
export function addPose(out: Map<string, number>, pose: FacePose, scale: number): void {
  if (scale <= 0) return;
  for (const name in pose) out.set(name, (out.get(name) ?? 0) + pose[name]! * scale);
}
