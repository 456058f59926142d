/**
 * One FaceMixer per face (mesh + output kind), shared by the LipSync and Expression components
 * that drive it, so their layers are composed instead of overwriting each other.
 */
import { FaceMixer, type FaceOutput } from '../core/face/face-mixer.js';
import type { Logger } from '../core/host.js';

export type FaceKind = 'morphs' | 'curves';

interface Entry {
  mixer: FaceMixer;
  users: Set<object>;
}

export class FaceRegistry {
  private readonly faces = new Map<object, Map<FaceKind, Entry>>();

  constructor(private readonly log: Logger) {}

  acquire(face: object, kind: FaceKind, user: object, makeOutput: () => FaceOutput): FaceMixer {
    let byKind = this.faces.get(face);
    if (!byKind) this.faces.set(face, (byKind = new Map()));
    let entry = byKind.get(kind);
    if (!entry) byKind.set(kind, (entry = { mixer: new FaceMixer(makeOutput(), this.log), users: new Set() }));
    entry.users.add(user);
    return entry.mixer;
  }

  release(face: object, kind: FaceKind, user: object): void {
    const byKind = this.faces.get(face);
    const entry = byKind?.get(kind);
    if (!byKind || !entry) return;
    entry.users.delete(user);
    if (entry.users.size > 0) return;
    entry.mixer.clear();
    byKind.delete(kind);
    if (byKind.size === 0) this.faces.delete(face);
  }
}
