/** Face outputs: morph targets on a skeletal mesh, or animation curves read by a face AnimBP. */
import type * as UE from 'ue';
import type { FaceOutput } from '../core/face/face-mixer.js';
import { arrayItems } from './ue-containers.js';

export class MorphTargetOutput implements FaceOutput {
  private names: Set<string> | null = null;

  constructor(private readonly mesh: UE.SkeletalMeshComponent) {}

  available(): ReadonlySet<string> | null {
    if (!this.names) {
      const asset = this.mesh.GetSkeletalMeshAsset();
      this.names = new Set(asset ? arrayItems(asset.K2_GetAllMorphTargetNames()) : []);
    }
    return this.names;
  }

  set(name: string, value: number): void {
    this.mesh.SetMorphTarget(name, value, true);
  }

  describe(): string {
    const owner = this.mesh.GetOwner();
    return `skeletal mesh "${this.mesh.GetName()}"${owner ? ` on ${owner.GetName()}` : ''}`;
  }
}

/** Components that hold a FaceCurves map for the face Animation Blueprint. */
export type CurveHolder = UE.ParleyFaceComponent;

/**
 * Animation curves (MetaHuman): written into one Parley component's FaceCurves map, which the
 * face AnimBP reads with "Get Parley Face Curves". Curve names cannot be listed from here, so
 * missing ones are not reported (the AnimBP's pose asset ignores unknown curves).
 */
export class AnimCurveOutput implements FaceOutput {
  constructor(private readonly holder: CurveHolder) {}

  available(): ReadonlySet<string> | null {
    return null;
  }

  set(name: string, value: number): void {
    this.holder.SetFaceCurve(name, value);
  }

  describe(): string {
    const owner = this.holder.GetOwner();
    return `face curves of "${this.holder.GetName()}"${owner ? ` on ${owner.GetName()}` : ''}`;
  }
}
