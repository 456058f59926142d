/**
 * Binds a UParleyExpressionComponent: emotions from the actor's DialogueManager (or
 * SetEmotion from Blueprint) blend into ARKit presets, with automatic blinks, as the
 * expression layer of the target mesh's face (under the lips).
 */
import type * as UE from 'ue';
import { Blinker, BLINK_TARGETS, DEFAULT_BLINK } from '../core/expression/blinker.js';
import { defaultEmotionPresets } from '../core/expression/emotion-presets.js';
import { DEFAULT_EXPRESSION, ExpressionBlender } from '../core/expression/expression-blender.js';
import type { FaceMixer } from '../core/face/face-mixer.js';
import type { DialogueBinding } from './dialogue-manager-binding.js';
import type { FaceKind } from './face-registry.js';
import { readEmotionPresets } from './face-pose-reader.js';
import { ownerName, type RuntimeContext } from './runtime-context.js';
import { AnimCurveOutput, MorphTargetOutput } from './ue-face-output.js';

const EMPTY = new Map<string, number>();
const num = (x: unknown, lo: number, hi: number, fallback: number) => (typeof x === 'number' && Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback);

export class ExpressionBinding {
  readonly blender: ExpressionBlender;
  readonly blinker: Blinker;
  private readonly mesh: UE.SkeletalMeshComponent | null;
  private readonly kind: FaceKind;
  private readonly mixer: FaceMixer | null = null;
  private readonly blink = new Map<string, number>();
  private followed: DialogueBinding | null = null;
  private unfollow: (() => void) | null = null;

  constructor(
    readonly component: UE.ParleyExpressionComponent,
    private readonly ctx: RuntimeContext,
  ) {
    const c = component;
    const presets = readEmotionPresets(c.EmotionPresets) ?? defaultEmotionPresets();
    this.blender = new ExpressionBlender({
      presets,
      strength: num(c.Strength, 0, 2, DEFAULT_EXPRESSION.strength),
      blendSeconds: num(c.BlendTime, 0, 10, DEFAULT_EXPRESSION.blendSeconds),
      holdSeconds: num(c.HoldTime, 0, 60, DEFAULT_EXPRESSION.holdSeconds),
      decaySeconds: num(c.DecayTime, 0, 30, DEFAULT_EXPRESSION.decaySeconds),
    });
    const lo = num(c.BlinkIntervalMin, 0.2, 30, DEFAULT_BLINK.minIntervalSeconds);
    this.blinker = new Blinker(
      { enabled: c.bAutoBlink ?? true, minIntervalSeconds: lo, maxIntervalSeconds: Math.max(lo, num(c.BlinkIntervalMax, 0.2, 60, DEFAULT_BLINK.maxIntervalSeconds)), durationSeconds: num(c.BlinkDuration, 0.05, 1, DEFAULT_BLINK.durationSeconds) },
      ctx.host.random,
    );
    this.kind = c.Output === ctx.ue.EParleyFaceOutput.AnimCurves ? 'curves' : 'morphs';
    this.mesh = c.GetTargetMesh() ?? null;
    if (!this.mesh) {
      ctx.host.log.warn(`Expression on ${ownerName(c)} found no skeletal mesh to drive; set Target Mesh`);
      return;
    }
    const mesh = this.mesh;
    this.mixer = ctx.faces.acquire(mesh, this.kind, c, () => (this.kind === 'curves' ? new AnimCurveOutput(c) : new MorphTargetOutput(mesh)));
    this.mixer.mouthSuppression = num(c.MouthSuppression, 0, 1, 0.7);
    const names = new Set<string>(this.blinker.settings.enabled ? BLINK_TARGETS : []);
    for (const pose of presets.values()) for (const n in pose) names.add(n);
    this.mixer.declareTargets(names, `Expression on ${ownerName(c)}`);
    this.follow();
  }

  /** Blueprint SetEmotion: shows until the next emotion (SetEmotion("neutral", 0) clears it). */
  setEmotion(label: string, intensity: number): void {
    const used = this.blender.setEmotion(label, intensity);
    this.component.HandleEmotionChanged(used, this.blender.intensity);
  }

  tick(dtSeconds: number): void {
    this.follow();
    if (!this.mixer) return;
    const before = this.blender.emotion;
    this.mixer.setLayer('expression', this.blender.update(dtSeconds));
    if (this.blender.emotion !== before) this.component.HandleEmotionChanged(this.blender.emotion, this.blender.intensity);
    const closed = this.blinker.update(dtSeconds);
    for (const n of BLINK_TARGETS) this.blink.set(n, closed);
    this.mixer.setLayer('blink', this.blink);
    this.mixer.flush();
  }

  dispose(): void {
    this.unfollow?.();
    if (!this.mixer || !this.mesh) return;
    this.mixer.setLayer('expression', EMPTY);
    this.mixer.setLayer('blink', EMPTY);
    this.mixer.flush();
    this.ctx.faces.release(this.mesh, this.kind, this.component);
  }

  /** Listens to the actor's DialogueManager once it has begun play (components start in any order). */
  private follow(): void {
    if (this.followed && !this.followed.disposed) return;
    const d = this.ctx.dialogueOn(this.component.GetOwner());
    if (d === this.followed || !d) return;
    this.unfollow?.();
    this.followed = d;
    // Began play after the reply's emotion arrived: pick it up from the component's state.
    if (d.dialogue.busy && d.component.Emotion) this.setEmotion(d.component.Emotion, d.component.EmotionIntensity);
    this.unfollow = d.dialogue.addListener({
      emotion: (label, intensity) => this.setEmotion(label, intensity),
      speaking: (on) => {
        if (!on) this.blender.relax();
      },
    });
  }
}
