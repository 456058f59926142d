/**
 * The adapters on the fakes, with the gateway played frame by frame: what designers see on the
 * components (events, state, morph targets, curves, logs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as UE from 'ue';
import type { ServerFrame } from '@parley/protocol';
import { ScriptedSocket } from '../core/testing/scripted-socket.js';
import { rampPcm } from '../core/testing/recording-sink.js';
import { FakeTMap } from '../fakes/fake-containers.js';
import {
  FakeParleyDialogueManagerComponent,
  FakeParleyExpressionComponent,
  FakeParleyFacePose,
  FakeParleyLipSyncComponent,
  FakeParleyProceduralSound,
  FakeParleyVisemeMapping,
  FakeSkeletalMeshComponent,
} from '../fakes/fake-ue.js';
import { startHarness, type Harness, type HarnessOptions } from '../fakes/plugin-harness.js';

const RATE = 22050;
const OVR = ['viseme_sil', 'viseme_PP', 'viseme_FF', 'viseme_TH', 'viseme_DD', 'viseme_kk', 'viseme_CH', 'viseme_SS', 'viseme_nn', 'viseme_RR', 'viseme_aa', 'viseme_E', 'viseme_I', 'viseme_O', 'viseme_U'];
const RPM_FACE = [...OVR, 'eyeBlinkLeft', 'eyeBlinkRight', 'mouthSmileLeft', 'mouthSmileRight', 'browDownLeft', 'browDownRight', 'browInnerUp', 'cheekSquintLeft', 'cheekSquintRight', 'eyeSquintLeft', 'eyeSquintRight'];
const timings = { queueMs: 3, firstTextMs: 12, firstAudioMs: 30, totalMs: 80 };

let harness: Harness | null = null;
afterEach(() => {
  harness?.stop();
  harness = null;
});

async function npcWorld(opts: { morphs?: string[]; settings?: HarnessOptions['settings']; setup?: (c: { dm: FakeParleyDialogueManagerComponent; lips: FakeParleyLipSyncComponent; expr: FakeParleyExpressionComponent }) => void; connect?: boolean } = {}) {
  const sockets: ScriptedSocket[] = [];
  const WS = class extends ScriptedSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  };
  const h = await startHarness({ mode: 'source', WebSocket: WS, settings: { GatewayUrl: 'ws://gateway.test/v1/ws', AccessToken: 'key-12345678', ...opts.settings } });
  harness = h;
  const actor = h.engine.spawnActor('BP_Innkeeper_C_1');
  const dm = actor.add(new FakeParleyDialogueManagerComponent(undefined, 'Dialogue'));
  dm.NpcId = 'innkeeper';
  const face = actor.add(FakeSkeletalMeshComponent.withMorphTargets('Face', opts.morphs ?? RPM_FACE));
  const lips = actor.add(new FakeParleyLipSyncComponent(undefined, 'LipSync'));
  lips.AttackMs = 0;
  lips.ReleaseMs = 0;
  lips.CoarticulationMs = 0;
  const expr = actor.add(new FakeParleyExpressionComponent(undefined, 'Expression'));
  opts.setup?.({ dm, lips, expr });
  h.engine.beginPlay();
  const ws = () => sockets[sockets.length - 1]!;
  if (opts.connect !== false && sockets.length > 0) {
    ws().open();
    ws().welcome();
  }
  const gateway = (f: ServerFrame) => ws().receive(f);
  const tick = (n = 1, dt = 1 / 60) => {
    for (let i = 0; i < n; i++) h.engine.tick(dt);
  };
  return { h, dm, face, lips, expr, ws, gateway, tick, sockets };
}

/** Plays one scripted reply for the last say. */
function reply(w: Awaited<ReturnType<typeof npcWorld>>, opts: { frames?: [number, number, number, number][]; ms?: number; end?: boolean } = {}) {
  const turn = w.ws().lastSent('say')!.turn;
  const ms = opts.ms ?? 500;
  w.gateway({ t: 'emotion', turn, label: 'joy', intensity: 0.8 });
  w.gateway({ t: 'text', turn, delta: 'Welcome, love!' });
  w.gateway({ t: 'visemes', turn, seq: 0, frames: opts.frames ?? [[10, 0, ms, 1]] });
  w.gateway({ t: 'audio', turn, seq: 0, rate: RATE, pcm: rampPcm(ms, RATE), startMs: 0 });
  w.gateway({ t: 'relationship', turn, npc: 'innkeeper', player: 'player', card: { trust: 0.3, respect: 0.1, familiarity: 0.2, affinity: 0.25 }, delta: { trust: 0.05, respect: 0, familiarity: 0.1, affinity: 0.05 }, conversations: 2 });
  if (opts.end !== false) w.gateway({ t: 'end', turn, text: 'Welcome, love!', tier: 'silver', degraded: false, cancelled: false, reason: 'completed', audioMs: ms, timings });
  return turn;
}

describe('DialogueManager on the fakes', () => {
  it('Say from Blueprint streams into the component: events pass the component first, audio plays, lips and face move', async () => {
    const w = await npcWorld({ settings: { DefaultPlayerId: 'hero' } });
    const { dm, face, h } = w;
    expect(dm.ConnectionState).toBe(h.engine.ue.EParleyConnectionState.Connected);
    expect(h.engine.subsystem.ConnectionState).toBe(h.engine.ue.EParleyConnectionState.Connected);
    dm.Say('Good evening!');
    expect(w.ws().lastSent('say')).toMatchObject({ npc: 'innkeeper', player: 'hero', text: 'Good evening!' });
    expect(dm.CurrentTurnId).not.toBe('');
    reply(w);
    w.tick(1);
    const sound = dm.voiceAudio!.Sound as unknown as FakeParleyProceduralSound;
    expect(sound).toBeInstanceOf(FakeParleyProceduralSound);
    expect(sound.sampleRate).toBe(RATE);
    expect(dm.voiceAudio!.IsPlaying()).toBe(true);
    expect(dm.bSpeaking).toBe(true);
    w.tick(6); // 100 ms: aa
    expect(face.GetMorphTarget('viseme_aa')).toBe(1);
    expect(face.GetMorphTarget('mouthSmileLeft')).toBeGreaterThan(0); // joy, under the lips
    w.tick(40);
    expect(dm.OnTurnEnded.calls).toHaveLength(1);
    const [component, result] = dm.OnTurnEnded.calls[0]!;
    expect(component).toBe(dm);
    expect(result).toMatchObject({ Text: 'Welcome, love!', Reason: h.engine.ue.EParleyTurnEndReason.Completed, Tier: 'silver', bDegraded: false, ErrorCode: '' });
    expect(result.Latency).toMatchObject({ QueueMs: 3, FirstTextMs: 12, FirstAudioMs: 30, ServerTotalMs: 80 });
    expect(result.Latency.ClientFirstAudioMs).toBeGreaterThanOrEqual(0);
    expect(sound.totalBytesQueued).toBe(rampPcm(500, RATE).byteLength);
    expect(dm.OnSubtitle.calls).toEqual([[dm, 'Welcome, love!', 'Welcome, love!']]);
    expect(dm.OnEmotion.calls).toEqual([[dm, 'joy', 0.8]]);
    const [, rel, change, conversations] = dm.OnRelationshipChanged.calls[0]!;
    expect(rel).toMatchObject({ Trust: 0.3, Respect: 0.1, Familiarity: 0.2, Affinity: 0.25 });
    expect(change).toMatchObject({ Trust: 0.05, Familiarity: 0.1 });
    expect(conversations).toBe(2);
    expect(dm.OnSpeakingChanged.calls.map((c) => c[1])).toEqual([true, false]);
    expect(face.GetMorphTarget('viseme_aa')).toBe(0); // mouth closed after the reply
    expect(w.expr.CurrentEmotion).toBe('joy');
  });

  it('Cancel from Blueprint stops the voice and closes the mouth on the next frame', async () => {
    const w = await npcWorld();
    w.dm.Say('Tell me everything');
    reply(w, { ms: 2000, end: false });
    w.tick(10);
    expect(w.face.GetMorphTarget('viseme_aa')).toBe(1);
    w.dm.Cancel();
    expect(w.dm.voiceAudio!.IsPlaying()).toBe(false);
    expect((w.dm.voiceAudio!.Sound as unknown as FakeParleyProceduralSound).GetSamplesQueued()).toBe(0);
    expect(w.ws().lastSent('cancel')).toMatchObject({ heardMs: expect.closeTo(150, 0) }); // 9 frames played: playback starts on the first
    w.tick(1);
    expect(w.face.GetMorphTarget('viseme_aa')).toBe(0);
  });

  it('tier override and voice override go into the say', async () => {
    const w = await npcWorld({
      setup: ({ dm }) => {
        dm.TierOverride = 2 as UE.EParleyTier; // Silver
        dm.VoiceOverride = 'female-warm';
        dm.PlayerId = 'p-42';
      },
    });
    w.dm.Say('hi');
    expect(w.ws().lastSent('say')).toMatchObject({ tier: 'silver', player: 'p-42' }); // valid for the gateway
    expect(w.ws().rawSent.at(-1)).toMatchObject({ t: 'say', voice: 'female-warm' }); // an extra key v1 gateways ignore
  });

  it('connection problems are shown on every NPC and on the subsystem', async () => {
    const w = await npcWorld({ settings: { GatewayUrl: 'http://localhost:8787' } });
    const { ue } = w.h.engine;
    expect(w.h.engine.subsystem.ConnectionState).toBe(ue.EParleyConnectionState.Failed);
    expect(w.h.engine.subsystem.ConnectionDetail).toMatch(/not a ws:\/\/ or wss:\/\/ URL/);
    expect(w.dm.ConnectionState).toBe(ue.EParleyConnectionState.Failed);
    w.dm.Say('anyone?');
    await new Promise((r) => setTimeout(r, 5));
    w.tick(1);
    expect(w.dm.OnError.calls.map((c) => c[1])).toEqual(['not_connected']);
    expect(w.dm.OnTurnEnded.calls[0]![1]).toMatchObject({ Reason: ue.EParleyTurnEndReason.Failed, ErrorCode: 'not_connected' });
  });
});

describe('LipSync and Expression on the fakes', () => {
  it('reports morph targets the mesh lacks once, by name, and never sets them', async () => {
    const morphs = RPM_FACE.filter((n) => n !== 'viseme_TH' && n !== 'viseme_kk' && n !== 'eyeBlinkRight');
    const w = await npcWorld({ morphs });
    const warnings = () => w.h.logs.filter((l) => l.includes('has no morph target'));
    expect(warnings()).toHaveLength(2); // one line per component, at BeginPlay, naming every missing target
    expect(warnings()[0]).toMatch(/skeletal mesh "Face" on BP_Innkeeper_C_1 has no morph target named "viseme_TH", "viseme_kk" \(wanted by LipSync on BP_Innkeeper_C_1\)/);
    expect(warnings()[1]).toMatch(/"eyeBlinkRight".*"noseSneerLeft".*wanted by Expression on BP_Innkeeper_C_1/);
    w.dm.Say('hi');
    reply(w, { frames: [[3, 0, 200, 1], [5, 200, 400, 1], [10, 400, 500, 1]], ms: 500 });
    w.tick(120);
    w.expr.SetEmotion('anger', 1);
    w.tick(600); // 10 s: blinks
    expect(warnings()).toHaveLength(2); // nothing reported twice
    for (const name of w.face.morphs.keys()) expect(morphs).toContain(name);
  });

  it('MetaHuman: ARKit animation curves for the face AnimBP, not morph targets', async () => {
    const w = await npcWorld({
      morphs: [],
      setup: ({ lips, expr }) => {
        lips.MappingPreset = 2 as UE.EParleyVisemePreset; // MetaHumanArkit
        expr.Output = 1 as UE.EParleyFaceOutput; // AnimCurves
      },
    });
    w.dm.Say('hi');
    reply(w, { frames: [[13, 0, 500, 1]] }); // oh
    w.tick(6);
    const curves = (w.lips.FaceCurves as FakeTMap<string, number>).toObject();
    expect(curves.mouthFunnel).toBeCloseTo(0.6, 5);
    expect(curves.jawOpen).toBeCloseTo(0.4, 5);
    expect(curves.mouthSmileLeft).toBeGreaterThan(0); // expression composed into the same curve set
    expect(w.face.morphs.size).toBe(0);
    expect(w.h.logs.filter((l) => l.includes('has no morph target'))).toEqual([]);
  });

  it('a custom mapping asset drives the targets it lists', async () => {
    const asset = new FakeParleyVisemeMapping(undefined, 'DA_MyRigVisemes');
    asset.Visemes.Add(10 as UE.EParleyViseme, FakeParleyFacePose.of({ MouthOpen: 0.9, JawDrop: 0.5 }));
    const w = await npcWorld({
      morphs: ['MouthOpen', 'JawDrop'],
      setup: ({ lips }) => {
        lips.MappingPreset = 3 as UE.EParleyVisemePreset; // Custom
        lips.CustomMapping = asset;
      },
    });
    w.dm.Say('hi');
    reply(w);
    w.tick(6);
    expect(w.face.GetMorphTarget('MouthOpen')).toBeCloseTo(0.9, 5);
    expect(w.face.GetMorphTarget('JawDrop')).toBeCloseTo(0.5, 5);
  });

  it('an empty custom mapping falls back to OVR names with a warning', async () => {
    const w = await npcWorld({ setup: ({ lips }) => (lips.MappingPreset = 3 as UE.EParleyVisemePreset) });
    expect(w.h.logs.some((l) => /uses a custom mapping but no mapping asset is set; using the OVR viseme_\* preset/.test(l))).toBe(true);
  });

  it('SetEmotion from Blueprint blends in, and the eyes blink on their own', async () => {
    const w = await npcWorld({ connect: false, settings: { bConnectOnStart: false } });
    w.expr.SetEmotion('Anger', 1);
    expect(w.expr.CurrentEmotion).toBe('anger');
    w.tick(30); // 0.5 s > blend time
    expect(w.face.GetMorphTarget('browDownLeft')).toBeCloseTo(0.8, 5);
    let blink = 0;
    for (let i = 0; i < 600; i++) {
      w.tick(1);
      blink = Math.max(blink, w.face.GetMorphTarget('eyeBlinkLeft'));
    }
    expect(blink).toBeGreaterThan(0.8);
  });

  it('a component whose actor has no skeletal mesh says so', async () => {
    const h = await startHarness({ mode: 'source', settings: { bConnectOnStart: false } });
    harness = h;
    const actor = h.engine.spawnActor('BP_Ghost_C_1');
    actor.add(new FakeParleyLipSyncComponent(undefined, 'LipSync'));
    h.engine.beginPlay();
    h.engine.tick(1 / 60);
    expect(h.logs.some((l) => /LipSync on BP_Ghost_C_1 found no skeletal mesh to drive/.test(l))).toBe(true);
  });
});
