/**
 * Binds a UParleyLipSyncComponent: every frame, the visemes of the reply its actor's
 * DialogueManager is playing, at that reply's audio position, become the lip layer of the
 * target mesh's face.
 */
import type * as UE from 'ue';
import type { FaceMixer } from '../core/face/face-mixer.js';
import { DEFAULT_LIP_SYNC, LipSyncDriver } from '../core/lipsync/lip-sync-driver.js';
import { mappingTargets, VISEME_PRESETS, type VisemeMapping } from '../core/lipsync/viseme-mapping.js';
import type { DialogueBinding } from './dialogue-manager-binding.js';
import type { FaceKind } from './face-registry.js';
import { readVisemeMapping } from './face-pose-reader.js';
import { ownerName, type RuntimeContext } from './runtime-context.js';
import { AnimCurveOutput, MorphTargetOutput } from './ue-face-output.js';

const EMPTY = new Map<string, number>();
const num = (x: unknown, lo: number, hi: number, fallback: number) => (typeof x === 'number' && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback);

export class LipSyncBinding {
  readonly driver: LipSyncDriver;
  private readonly mesh: UE.SkeletalMeshComponent | null;
  private readonly kind: FaceKind;
  private readonly mixer: FaceMixer | null = null;
  private dialogue: DialogueBinding | null = null;

  constructor(
    readonly component: UE.ParleyLipSyncComponent,
    private readonly ctx: RuntimeContext,
  ) {
    const c = component;
    const { ue, host } = ctx;
    const mapping = this.resolveMapping();
    this.driver = new LipSyncDriver({
      mapping,
      intensity: num(c.Intensity, 0, 2, DEFAULT_LIP_SYNC.intensity),
      attackMs: num(c.AttackMs, 0, 500, DEFAULT_LIP_SYNC.attackMs),
      releaseMs: num(c.ReleaseMs, 0, 1000, DEFAULT_LIP_SYNC.releaseMs),
      coarticulationMs: num(c.CoarticulationMs, 0, 300, DEFAULT_LIP_SYNC.coarticulationMs),
      latencyMs: num(c.LatencyCompensationMs, -500, 500, DEFAULT_LIP_SYNC.latencyMs),
    });
    this.kind = c.MappingPreset === ue.EParleyVisemePreset.MetaHumanArkit || c.Output === ue.EParleyFaceOutput.AnimCurves ? 'curves' : 'morphs';
    this.mesh = c.GetTargetMesh() ?? null;
    if (!this.mesh) {
      host.log.warn(`LipSync on ${ownerName(c)} found no skeletal mesh to drive; set Target Mesh (MetaHuman: the "Face" component)`);
      return;
    }
    const mesh = this.mesh;
    this.mixer = ctx.faces.acquire(mesh, this.kind, c, () => (this.kind === 'curves' ? new AnimCurveOutput(c) : new MorphTargetOutput(mesh)));
    this.mixer.declareTargets(mappingTargets(mapping), `LipSync on ${ownerName(c)}`);
  }

  tick(dtSeconds: number): void {
    if (!this.mixer) return;
    // Looked up once (a reflected call), again only if that DialogueManager ended play.
    if (!this.dialogue || this.dialogue.disposed) this.dialogue = this.ctx.dialogueOn(this.component.GetOwner()) ?? null;
    this.mixer.setLayer('lips', this.driver.update(dtSeconds, this.dialogue?.dialogue.visemeSource ?? null));
    this.mixer.flush();
  }

  dispose(): void {
    if (!this.mixer || !this.mesh) return;
    this.mixer.setLayer('lips', EMPTY);
    this.mixer.flush();
    this.ctx.faces.release(this.mesh, this.kind, this.component);
  }

  private resolveMapping(): VisemeMapping {
    const { ue, host } = this.ctx;
    const c = this.component;
    switch (c.MappingPreset) {
      case ue.EParleyVisemePreset.ArkitMouth:
        return VISEME_PRESETS.arkit;
      case ue.EParleyVisemePreset.MetaHumanArkit:
        return VISEME_PRESETS.metahuman;
      case ue.EParleyVisemePreset.Custom: {
        const custom = readVisemeMapping(c.CustomMapping);
        if (custom) return custom;
        host.log.warn(`LipSync on ${ownerName(c)} uses a custom mapping but ${c.CustomMapping ? `"${c.CustomMapping.GetName()}" maps no viseme` : 'no mapping asset is set'}; using the OVR viseme_* preset`);
        return VISEME_PRESETS.ovr;
      }
      default:
        return VISEME_PRESETS.ovr;
    }
  }
}
