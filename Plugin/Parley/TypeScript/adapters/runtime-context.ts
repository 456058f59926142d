/** What the component bindings share: the engine module, the connection, faces and settings. */
import type * as UE from 'ue';
import type { ParleyConnection } from '../core/connection/parley-connection.js';
import type { Host } from '../core/host.js';
import type { FaceRegistry } from './face-registry.js';
import type { PluginSettings } from './plugin-settings.js';
import type { DialogueBinding } from './dialogue-manager-binding.js';

export interface RuntimeContext {
  ue: typeof UE;
  host: Host;
  settings: PluginSettings;
  connection: ParleyConnection;
  faces: FaceRegistry;
  /** The DialogueManager binding on an actor, if it has one that has begun play. */
  dialogueOn(actor: UE.Actor | null): DialogueBinding | undefined;
}

/** Engine enum ↔ core state. */
export function connectionStateEnum(ue: typeof UE, state: string): UE.EParleyConnectionState {
  const S = ue.EParleyConnectionState;
  switch (state) {
    case 'connecting':
      return S.Connecting;
    case 'connected':
      return S.Connected;
    case 'reconnecting':
      return S.Reconnecting;
    case 'failed':
      return S.Failed;
    default:
      return S.Disconnected;
  }
}

/** "BP_Vampire_C_1" style name of a component's owner, for log lines. */
export function ownerName(c: UE.ActorComponent): string {
  const owner = c.GetOwner();
  return owner ? owner.GetName() : c.GetName();
}
