/**
 * Composes the face layers of one mesh and writes them once per frame.
 *
 * Layers: expression (emotion presets) at the bottom, blinks over the eyes, lips on top. While
 * the NPC speaks, expression weights on mouth shapes are scaled down by lip activity ×
 * `mouthSuppression`, so a smile stays visible but never fights the visemes. Only values that
 * changed are written (SetMorphTarget is a reflected call per name).
 *
 * Names the mapping uses but the mesh lacks are reported once, by name, and skipped: a rig
 * without `viseme_aa` otherwise fails silently and the mouth "just doesn't move".
 */
import type { Logger } from '../host.js';

export interface FaceOutput {
  /** Names the face has (morph targets), or null when they cannot be listed (animation curves). */
  available(): ReadonlySet<string> | null;
  set(name: string, value: number): void;
  /** Human-readable target for log lines, e.g. `mesh "Face" on BP_Vampire_C_1`. */
  describe(): string;
}

export type FaceLayer = 'expression' | 'blink' | 'lips';

const MOUTH = /^(mouth|jaw|viseme_|tongue|cheekPuff)/i;
const EPSILON = 0.001;

export class FaceMixer {
  private readonly layers: Record<FaceLayer, ReadonlyMap<string, number>> = { expression: new Map(), blink: new Map(), lips: new Map() };
  private readonly written = new Map<string, number>();
  private readonly missing = new Set<string>();
  private readonly owners = new Map<string, string>();
  mouthSuppression = 0.7;

  constructor(
    readonly output: FaceOutput,
    private readonly log: Logger,
  ) {}

  /** Names a component will drive; missing ones are reported now, once, naming who wanted them. */
  declareTargets(names: Iterable<string>, who: string): void {
    for (const n of names) if (!this.owners.has(n)) this.owners.set(n, who);
    this.reportMissing([...names]);
  }

  setLayer(layer: FaceLayer, values: ReadonlyMap<string, number>): void {
    this.layers[layer] = values;
  }

  /** Writes the composed face; call after the layers were updated this frame. */
  flush(): void {
    const { expression, blink, lips } = this.layers;
    let lipActivity = 0;
    for (const v of lips.values()) if (v > lipActivity) lipActivity = v;
    const exprScale = 1 - Math.min(1, lipActivity) * this.mouthSuppression;

    const names = new Set<string>([...this.written.keys(), ...expression.keys(), ...blink.keys(), ...lips.keys()]);
    const have = this.output.available();
    const lacking: string[] = [];
    for (const name of names) {
      if (this.missing.has(name)) continue;
      const e = expression.get(name) ?? 0;
      const mouth = lips.has(name) || MOUTH.test(name);
      let value = mouth ? (lips.get(name) ?? 0) + e * exprScale : e + (blink.get(name) ?? 0);
      value = value < EPSILON ? 0 : value > 1 ? 1 : value; // snap: smoothing only approaches 0
      const before = this.written.get(name);
      if (before === undefined ? value === 0 : value !== 0 && Math.abs(before - value) < EPSILON) continue;
      if (before === undefined && have && !have.has(name)) {
        lacking.push(name);
        continue;
      }
      this.output.set(name, value);
      if (value === 0) this.written.delete(name);
      else this.written.set(name, value);
    }
    if (lacking.length) this.reportMissing(lacking);
  }

  /** Sets everything this mixer wrote back to 0 (e.g. when the component ends). */
  clear(): void {
    for (const name of this.written.keys()) this.output.set(name, 0);
    this.written.clear();
    for (const k of Object.keys(this.layers) as FaceLayer[]) this.layers[k] = new Map();
  }

  /** Names reported missing so far (for tests and the details panel). */
  get missingTargets(): readonly string[] {
    return [...this.missing];
  }

  private reportMissing(names: readonly string[]): void {
    const have = this.output.available();
    if (!have) return;
    const lacking = names.filter((n) => !have.has(n) && !this.missing.has(n));
    if (lacking.length === 0) return;
    for (const n of lacking) {
      this.missing.add(n);
      this.written.delete(n);
    }
    const byOwner = new Map<string, string[]>();
    for (const n of lacking) {
      const who = this.owners.get(n) ?? 'Parley';
      byOwner.set(who, [...(byOwner.get(who) ?? []), n]);
    }
    for (const [who, list] of byOwner) {
      this.log.warn(`${this.output.describe()} has no morph target named ${list.map((n) => `"${n}"`).join(', ')} (wanted by ${who}); those shapes will not show. Pick the mapping preset that matches the rig or use a custom mapping asset.`);
    }
  }
}
