/**
 * The plugin's runtime inside the game's Puerts JS environment: one shared connection to the
 * gateway, and a binding per Parley component that has begun play.
 */
import type * as UE from 'ue';
import type * as Puerts from 'puerts';
import { ParleyConnection } from '../core/connection/parley-connection.js';
import { socketFactory, type WebSocketLike } from '../core/connection/websocket-like.js';
import { localError, type ParleyError } from '../core/errors.js';
import { globalHost, type Host } from '../core/host.js';
import { DialogueBinding } from './dialogue-manager-binding.js';
import { ExpressionBinding } from './expression-binding.js';
import { FaceRegistry } from './face-registry.js';
import { LipSyncBinding } from './lipsync-binding.js';
import { deactivateMixins, installMixins, uninstallMixins } from './mixins.js';
import { readSettings, type PluginSettings } from './plugin-settings.js';
import { connectionStateEnum, type RuntimeContext } from './runtime-context.js';

export const PLUGIN_VERSION = '0.1.0';

export interface ParleyDeps {
  /** The `ue` module. */
  ue: typeof UE;
  /** The `puerts` module. */
  puerts: typeof Puerts;
  /** Puerts' global WebSocket (needs Puerts built with WithWebsocket = true), a browser's, or `ws`. */
  WebSocket: (new (url: string) => WebSocketLike) | undefined;
  host?: Host;
}

export class ParleyRuntime implements RuntimeContext {
  readonly ue: typeof UE;
  readonly host: Host;
  readonly settings: PluginSettings;
  readonly connection: ParleyConnection;
  readonly faces: FaceRegistry;
  readonly subsystem: UE.ParleySubsystem | null;
  readonly dialogues = new Map<UE.ParleyDialogueManagerComponent, DialogueBinding>();
  readonly lipSyncs = new Map<UE.ParleyLipSyncComponent, LipSyncBinding>();
  readonly expressions = new Map<UE.ParleyExpressionComponent, ExpressionBinding>();
  private running = true;

  constructor(private readonly deps: ParleyDeps) {
    const { ue, puerts } = deps;
    this.ue = ue;
    this.host = deps.host ?? globalHost();
    this.settings = readSettings(ue, (puerts.argv.getByName('Settings') as UE.ParleySettings | null) ?? null);
    this.subsystem = (puerts.argv.getByName('Subsystem') as UE.ParleySubsystem | null) ?? null;
    this.faces = new FaceRegistry(this.host.log);
    const Ctor = deps.WebSocket;
    this.connection = new ParleyConnection({
      url: this.settings.url,
      token: this.settings.token,
      client: { name: 'parley-ue5', version: PLUGIN_VERSION },
      connectTimeoutMs: this.settings.connectTimeoutMs,
      reconnect: this.settings.reconnect,
      createSocket: Ctor
        ? socketFactory(Ctor)
        : () => {
            throw new Error('this Puerts build has no WebSocket; rebuild Puerts with WithWebsocket = true (see the Parley README)');
          },
      host: this.host,
    });
    this.connection.onState((state, detail) => {
      const line = `connection ${state}${detail ? ` (${detail})` : ''}`;
      if (state === 'failed') this.host.log.error(line);
      else this.host.log.info(line);
      this.subsystem?.HandleConnectionState(connectionStateEnum(ue, state), detail);
    });
    this.connection.onError((e) => this.broadcastError(e));
    installMixins(ue, puerts, this);
    if (!Ctor) this.broadcastError(localError('connect_failed', 'this Puerts build has no WebSocket; rebuild Puerts with WithWebsocket = true', true));
    if (this.settings.connectOnStart) this.connection.start();
    this.host.log.info(`started (gateway ${this.settings.url})`);
  }

  dialogueOn(actor: UE.Actor | null): DialogueBinding | undefined {
    if (!actor) return undefined;
    const c = actor.GetComponentByClass(this.ue.ParleyDialogueManagerComponent.StaticClass()) as UE.ParleyDialogueManagerComponent | null;
    return c ? this.dialogues.get(c) : undefined;
  }

  beginDialogue(c: UE.ParleyDialogueManagerComponent): void {
    this.dialogues.get(c)?.dispose();
    this.dialogues.set(c, new DialogueBinding(c, this));
  }
  endDialogue(c: UE.ParleyDialogueManagerComponent): void {
    this.dialogues.get(c)?.dispose();
    this.dialogues.delete(c);
  }
  say(c: UE.ParleyDialogueManagerComponent, text: string): void {
    const binding = this.dialogues.get(c);
    if (!binding) {
      this.host.log.warn(`Say() on ${c.GetName()} before it began play; the line was dropped`);
      return;
    }
    if (this.connection.state === 'disconnected') this.connection.start();
    binding.say(text);
  }

  beginLipSync(c: UE.ParleyLipSyncComponent): void {
    this.lipSyncs.get(c)?.dispose();
    this.lipSyncs.set(c, new LipSyncBinding(c, this));
  }
  endLipSync(c: UE.ParleyLipSyncComponent): void {
    this.lipSyncs.get(c)?.dispose();
    this.lipSyncs.delete(c);
  }

  beginExpression(c: UE.ParleyExpressionComponent): void {
    this.expressions.get(c)?.dispose();
    this.expressions.set(c, new ExpressionBinding(c, this));
  }
  endExpression(c: UE.ParleyExpressionComponent): void {
    this.expressions.get(c)?.dispose();
    this.expressions.delete(c);
  }

  /** Runs a mixin body; an exception is logged with its stack instead of unwinding into the engine. */
  guard(fn: (rt: ParleyRuntime) => void): void {
    if (!this.running) return;
    try {
      fn(this);
    } catch (err) {
      this.host.log.error(`script error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  /** The game instance is going away: close the connection, release every face. */
  shutdown(): void {
    if (!this.running) return;
    for (const b of this.lipSyncs.values()) b.dispose();
    for (const b of this.expressions.values()) b.dispose();
    for (const b of this.dialogues.values()) b.dispose();
    this.lipSyncs.clear();
    this.expressions.clear();
    this.dialogues.clear();
    this.connection.stop('the game is shutting down');
    this.running = false;
    deactivateMixins(this);
  }

  /** Shuts down and removes the mixins (tests, hot reload). */
  uninstall(): void {
    this.shutdown();
    uninstallMixins(this.deps.ue, this.deps.puerts, this);
  }

  private broadcastError(e: ParleyError): void {
    this.host.log.warn(`${e.code}: ${e.message}`);
    for (const b of this.dialogues.values()) b.onError(e);
  }
}

/** Entry point: reads Project Settings, installs the component behaviour, connects. */
export function startParley(deps: ParleyDeps): ParleyRuntime {
  return new ParleyRuntime(deps);
}
