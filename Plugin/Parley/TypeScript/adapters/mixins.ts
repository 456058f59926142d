/**
 * TypeScript behaviour for the native Parley classes, attached with `blueprint.mixin`. Only
 * BlueprintNativeEvent functions are overridden (the C++ classes declare them for exactly this:
 * ParleyBeginPlay/EndPlay/Tick, Say, Cancel, SetEmotion, SetAccessToken, Reconnect,
 * ParleyShutdown); everything else is called on the engine objects. Works in packaged builds:
 * mixins need no editor and no generated Blueprint.
 *
 * Mixin classes hold no fields (Puerts copies only their methods); per-component state lives
 * in the runtime's maps, keyed by component.
 */
import type * as UE from 'ue';
import type * as Puerts from 'puerts';
import type { ParleyRuntime } from './parley-runtime.js';

let active: ParleyRuntime | null = null;

/** Runs `fn` against the running runtime; a mixin call after shutdown is a no-op. */
function withRuntime(fn: (rt: ParleyRuntime) => void): void {
  if (active) active.guard(fn);
}

interface DialogueManagerMixin extends UE.ParleyDialogueManagerComponent {}
class DialogueManagerMixin {
  ParleyBeginPlay(): void {
    withRuntime((rt) => rt.beginDialogue(this));
  }
  ParleyEndPlay(): void {
    withRuntime((rt) => rt.endDialogue(this));
  }
  ParleyTick(_deltaSeconds: number): void {
    withRuntime((rt) => rt.dialogues.get(this)?.tick());
  }
  Say(text: string): void {
    withRuntime((rt) => rt.say(this, text));
  }
  Cancel(): void {
    withRuntime((rt) => rt.dialogues.get(this)?.cancel());
  }
}

interface LipSyncMixin extends UE.ParleyLipSyncComponent {}
class LipSyncMixin {
  ParleyBeginPlay(): void {
    withRuntime((rt) => rt.beginLipSync(this));
  }
  ParleyEndPlay(): void {
    withRuntime((rt) => rt.endLipSync(this));
  }
  ParleyTick(deltaSeconds: number): void {
    withRuntime((rt) => rt.lipSyncs.get(this)?.tick(deltaSeconds));
  }
}

interface ExpressionMixin extends UE.ParleyExpressionComponent {}
class ExpressionMixin {
  ParleyBeginPlay(): void {
    withRuntime((rt) => rt.beginExpression(this));
  }
  ParleyEndPlay(): void {
    withRuntime((rt) => rt.endExpression(this));
  }
  ParleyTick(deltaSeconds: number): void {
    withRuntime((rt) => rt.expressions.get(this)?.tick(deltaSeconds));
  }
  SetEmotion(emotion: string, intensity: number): void {
    withRuntime((rt) => rt.expressions.get(this)?.setEmotion(emotion, intensity));
  }
}

interface SubsystemMixin extends UE.ParleySubsystem {}
class SubsystemMixin {
  SetAccessToken(token: string): void {
    withRuntime((rt) => rt.connection.setToken(token.trim()));
  }
  Reconnect(): void {
    withRuntime((rt) => rt.connection.reconnectNow());
  }
  ParleyShutdown(): void {
    withRuntime((rt) => rt.shutdown());
  }
}

export function installMixins(ue: typeof UE, puerts: typeof Puerts, runtime: ParleyRuntime): void {
  active = runtime;
  const config = { objectTakeByNative: true };
  puerts.blueprint.mixin(ue.ParleyDialogueManagerComponent, DialogueManagerMixin, config);
  puerts.blueprint.mixin(ue.ParleyLipSyncComponent, LipSyncMixin, config);
  puerts.blueprint.mixin(ue.ParleyExpressionComponent, ExpressionMixin, config);
  puerts.blueprint.mixin(ue.ParleySubsystem, SubsystemMixin, config);
}

/** Mixin calls after this do nothing (the runtime shut down; the JS environment is going away). */
export function deactivateMixins(runtime: ParleyRuntime): void {
  if (active === runtime) active = null;
}

/** Removes the mixins (tests, hot reload); never from inside a mixin call. */
export function uninstallMixins(ue: typeof UE, puerts: typeof Puerts, runtime: ParleyRuntime): void {
  deactivateMixins(runtime);
  for (const cls of [ue.ParleyDialogueManagerComponent, ue.ParleyLipSyncComponent, ue.ParleyExpressionComponent, ue.ParleySubsystem]) puerts.blueprint.unmixin(cls);
}
