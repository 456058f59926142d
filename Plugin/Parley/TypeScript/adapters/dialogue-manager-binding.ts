/**
 * Binds one UParleyDialogueManagerComponent to an NpcDialogue: its properties configure the
 * turn, its Handle* functions receive what happens (the C++ side stores state and broadcasts
 * the Blueprint events, component first), its audio component plays the reply.
 */
import type * as UE from 'ue';
import type { RelationshipFrame } from '@parley/protocol';
import { NpcDialogue, type TurnResult } from '../core/dialogue/npc-dialogue.js';
import type { ParleyError } from '../core/errors.js';
import { connectionStateEnum, ownerName, type RuntimeContext } from './runtime-context.js';
import { tierOf } from './plugin-settings.js';
import { UeAudioSink } from './ue-audio-sink.js';

export class DialogueBinding {
  readonly dialogue: NpcDialogue;
  private readonly unsubscribe: () => void;

  constructor(
    readonly component: UE.ParleyDialogueManagerComponent,
    private readonly ctx: RuntimeContext,
  ) {
    const c = component;
    const s = ctx.settings;
    const npc = (c.NpcId ?? '').trim();
    if (!npc) ctx.host.log.warn(`DialogueManager on ${ownerName(c)} has no NPC Id; Say() will be refused by the gateway (set NPC Id to a catalog id such as "innkeeper")`);
    const voice = (c.VoiceOverride ?? '').trim();
    const tier = tierOf(ctx.ue, c.TierOverride) ?? s.defaultTier;
    this.dialogue = new NpcDialogue(
      ctx.connection,
      new UeAudioSink(ctx.ue, c),
      {
        npc,
        player: (c.PlayerId ?? '').trim() || s.defaultPlayerId,
        ...(tier ? { tier } : {}),
        ...(voice ? { voice } : {}),
        followAudioSubtitles: c.bSyncSubtitlesToAudio ?? true,
        prebufferMs: s.prebufferMs,
      },
      ctx.host,
    );
    this.dialogue.addListener({
      turnStarted: (turnId) => c.HandleTurnStarted(turnId),
      subtitle: (text, delta) => c.HandleSubtitle(text, delta),
      emotion: (label, intensity) => c.HandleEmotion(label, intensity),
      relationship: (f) => this.onRelationship(f),
      error: (e) => this.onError(e),
      speaking: (on) => c.HandleSpeaking(on),
      turnEnded: (r) => {
        if (s.verbose) ctx.host.log.info(`turn ${r.turnId} on ${ownerName(c)}: ${r.reason}${r.error ? ` (${r.error.code})` : ''}; queue ${r.latency.queueMs ?? '-'} ms, first audio ${r.latency.clientFirstAudioMs ?? '-'} ms, playback ${r.latency.playbackStartMs ?? '-'} ms, total ${r.latency.totalMs} ms`);
        c.HandleTurnEnded(this.toResult(r));
      },
    });
    this.unsubscribe = ctx.connection.onState((state) => c.HandleConnectionState(connectionStateEnum(ctx.ue, state)));
    c.HandleConnectionState(connectionStateEnum(ctx.ue, ctx.connection.state));
  }

  say(text: string): void {
    this.dialogue.say(text);
  }

  cancel(): void {
    this.dialogue.cancel();
  }

  tick(): void {
    this.dialogue.tick();
  }

  /** Connection-level errors (bad token, gateway gone for good) are shown on every NPC. */
  onError(e: ParleyError): void {
    this.component.HandleError(e.code, e.message, e.fatal);
  }

  /** Set once the component ended play; bindings that cached this one look again. */
  disposed = false;

  dispose(): void {
    this.disposed = true;
    this.dialogue.dispose();
    this.unsubscribe();
  }

  private onRelationship(f: RelationshipFrame): void {
    const R = this.ctx.ue.ParleyRelationship;
    const card = new R(f.card.trust, f.card.respect, f.card.familiarity, f.card.affinity);
    const change = new R(f.delta.trust, f.delta.respect, f.delta.familiarity, f.delta.affinity);
    this.component.HandleRelationship(card, change, f.conversations);
  }

  private toResult(r: TurnResult): UE.ParleyTurnResult {
    const { ue } = this.ctx;
    const ms = (x: number | null) => (x === null ? -1 : Math.round(x * 10) / 10); // -1: stage never reached
    const l = r.latency;
    const latency = new ue.ParleyTurnLatency(ms(l.queueMs), ms(l.firstTextMs), ms(l.firstAudioMs), ms(l.serverTotalMs), ms(l.clientFirstAudioMs), ms(l.playbackStartMs), ms(l.totalMs));
    const reasons = { completed: ue.EParleyTurnEndReason.Completed, cancelled: ue.EParleyTurnEndReason.Cancelled, failed: ue.EParleyTurnEndReason.Failed, rejected: ue.EParleyTurnEndReason.Rejected };
    return new ue.ParleyTurnResult(r.turnId, r.text, reasons[r.reason], r.tier ?? '', r.degraded, r.audioMs, r.error?.code ?? '', r.error?.message ?? '', latency);
  }
}
