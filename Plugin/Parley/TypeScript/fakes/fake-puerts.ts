/**
 * A fake of the `puerts` module surface the plugin uses: `argv` (the arguments the C++ side
 * passed to FJsEnv::Start) and `blueprint.mixin` / `unmixin`.
 *
 * mixin follows puerts/uelazyload.js: it takes the mixin class's prototype methods (not its
 * fields, not the constructor) and attaches them to the native class. A method that replaces a
 * native function which is not a BlueprintNativeEvent/ImplementableEvent would never run when
 * the engine calls it; Puerts cannot override such functions, so the fake refuses it loudly.
 */
import type * as UE from 'ue';
import type * as Puerts from 'puerts';
import { FakeObject } from './fake-ue.js';

type AnyClass = { prototype: Record<string, unknown>; blueprintEvents?: readonly string[]; name: string };

function eventsOf(cls: AnyClass): Set<string> {
  const events = new Set<string>();
  for (let c: AnyClass | null = cls; c && c !== (Function.prototype as unknown); c = Object.getPrototypeOf(c) as AnyClass | null) {
    for (const e of c.blueprintEvents ?? []) events.add(e);
  }
  return events;
}

export interface FakePuerts {
  module: typeof Puerts;
  /** Names of classes with a mixin applied. */
  readonly mixed: Set<string>;
}

export function createFakePuerts(args: Record<string, UE.Object | null | undefined>): FakePuerts {
  const originals = new Map<AnyClass, Map<string, PropertyDescriptor | undefined>>();
  const mixed = new Set<string>();

  const mixin = (to: AnyClass, mixinClass: { prototype: object }, _config?: Puerts.blueprint.MixinConfig) => {
    if (originals.has(to)) throw new Error(`${to.name} is already mixed in; call blueprint.unmixin first`);
    const events = eventsOf(to);
    const saved = new Map<string, PropertyDescriptor | undefined>();
    for (const name of Object.getOwnPropertyNames(mixinClass.prototype)) {
      const d = Object.getOwnPropertyDescriptor(mixinClass.prototype, name)!;
      if (name === 'constructor' || typeof d.value !== 'function') continue;
      if (name in to.prototype && !events.has(name)) {
        throw new Error(`blueprint.mixin: ${to.name}.${name} is a native function, not a BlueprintNativeEvent/BlueprintImplementableEvent; engine calls would never reach the script`);
      }
      saved.set(name, Object.getOwnPropertyDescriptor(to.prototype, name));
      Object.defineProperty(to.prototype, name, { value: d.value, writable: true, configurable: true, enumerable: false });
    }
    originals.set(to, saved);
    mixed.add(to.name.replace(/^Fake/, ''));
    return to;
  };

  const unmixin = (to: AnyClass) => {
    const saved = originals.get(to);
    if (!saved) return;
    for (const [name, d] of saved) {
      if (d) Object.defineProperty(to.prototype, name, d);
      else delete to.prototype[name];
    }
    originals.delete(to);
    mixed.delete(to.name.replace(/^Fake/, ''));
  };

  const module = {
    argv: {
      getByName: (name: string) => (args[name] ?? undefined) as UE.Object,
      getByIndex: (i: number) => Object.values(args)[i] as UE.Object,
    },
    blueprint: { mixin, unmixin },
  } as unknown as typeof Puerts;
  return { module, mixed };
}

/** Arguments as UParleySubsystem passes them. */
export function subsystemArgs(settings: UE.ParleySettings, subsystem: UE.ParleySubsystem): Record<string, UE.Object> {
  return { Settings: settings, Subsystem: subsystem, GameInstance: new FakeObject(undefined, 'GameInstance') };
}
