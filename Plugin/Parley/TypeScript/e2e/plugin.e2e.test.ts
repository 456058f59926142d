/**
 * End to end: the shipped plugin bundle (core + adapters) runs in a Puerts-like V8 context on
 * the fake engine, talking to a real gateway and worker (child processes) through a
 * Puerts-style WebSocket. Frames on the wire are tapped and decoded with the gateway's own
 * validating decoder, so expectations do not come from the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeServerFrame, OVR_VISEME_NAMES, type AudioFrame, type EndFrame, type ServerFrame, type VisemesFrame } from '@parley/protocol';
import { startStack, type Stack } from '../../../../tools/src/start/stack.js';
import { FakeParleyDialogueManagerComponent, FakeParleyExpressionComponent, FakeParleyLipSyncComponent, FakeParleyProceduralSound, FakeSkeletalMeshComponent } from '../fakes/fake-ue.js';
import { puertsWebSocketClass } from '../fakes/fake-puerts-websocket.js';
import { runFrames, startHarness, type Harness } from '../fakes/plugin-harness.js';

/** Ready Player Me style face: one morph target per OVR viseme (viseme_I/O/U for ih/oh/ou). */
const OVR_MORPHS = ['viseme_sil', 'viseme_PP', 'viseme_FF', 'viseme_TH', 'viseme_DD', 'viseme_kk', 'viseme_CH', 'viseme_SS', 'viseme_nn', 'viseme_RR', 'viseme_aa', 'viseme_E', 'viseme_I', 'viseme_O', 'viseme_U'];
const ARKIT_SOME = ['eyeBlinkLeft', 'eyeBlinkRight', 'mouthSmileLeft', 'mouthSmileRight', 'browInnerUp', 'browDownLeft', 'browDownRight'];

let stack: Stack;
let h: Harness;
const wire: ServerFrame[] = [];
let dm: FakeParleyDialogueManagerComponent;
let face: FakeSkeletalMeshComponent;

const ofTurn = <T extends ServerFrame['t']>(turn: string, t: T) => wire.filter((f): f is Extract<ServerFrame, { t: T }> => f.t === t && 'turn' in f && String(f.turn) === turn);
const voice = () => dm.voiceAudio!;
const sound = () => voice().Sound as unknown as FakeParleyProceduralSound | null;
const ended = (n: number) => () => dm.OnTurnEnded.calls.length >= n;
const lastResult = () => dm.OnTurnEnded.calls.at(-1)![1];

beforeAll(async () => {
  // A pause before each sentence makes replies long enough to cancel, or cut, mid-way.
  stack = await startStack({ workers: 1, workerEnv: { PARLEY_FAULT_SENTENCE_DELAY_MS: '200' } });
  h = await startHarness({
    mode: 'bundle',
    WebSocket: puertsWebSocketClass({
      tap: (data) => {
        const r = decodeServerFrame(new Uint8Array(data));
        if (!r.ok) throw new Error(`the gateway sent an invalid frame: ${r.error.message}`);
        wire.push(r.frame);
      },
    }),
    settings: { GatewayUrl: stack.wsUrl, AccessToken: stack.token, DefaultPlayerId: 'e2e-player', ReconnectInitialDelaySeconds: 0.1, ReconnectMaxDelaySeconds: 0.5, AudioPrebufferMs: 100 },
  });
  const actor = h.engine.spawnActor('BP_Innkeeper_C_1');
  dm = actor.add(new FakeParleyDialogueManagerComponent(undefined, 'Dialogue'));
  dm.NpcId = 'innkeeper';
  face = actor.add(FakeSkeletalMeshComponent.withMorphTargets('Face', [...OVR_MORPHS, ...ARKIT_SOME]));
  const lips = actor.add(new FakeParleyLipSyncComponent(undefined, 'LipSync'));
  // No smoothing or coarticulation: every frame the mouth must show exactly the viseme under the audio position.
  lips.AttackMs = 0;
  lips.ReleaseMs = 0;
  lips.CoarticulationMs = 0;
  actor.add(new FakeParleyExpressionComponent(undefined, 'Expression'));
  h.engine.beginPlay();
  await runFrames(h.engine, () => dm.ConnectionState === h.engine.ue.EParleyConnectionState.Connected, { timeoutMs: 10_000 });
}, 60_000);

afterAll(async () => {
  h?.stop();
  await stack?.stop();
});

describe('the Parley plugin against a real gateway and worker', () => {
  it('after Say, the audio component receives all the PCM, and at every frame the mouth shows the viseme at the audio position', async () => {
    const bytesBefore = sound()?.totalBytesQueued ?? 0;
    dm.Say('Good evening! Any rooms free tonight?');
    const turn = dm.CurrentTurnId;
    expect(turn).not.toBe('');
    let checked = 0;
    const shown = new Set<number>();
    await runFrames(h.engine, ended(1), {
      onFrame: () => {
        if (!dm.bSpeaking) return;
        const s = sound()!;
        const positionMs = (s.GetSamplesPlayed() / s.sampleRate) * 1000;
        const frames = ofTurn(turn, 'visemes').flatMap((f: VisemesFrame) => f.frames);
        // Wire times are rounded to 0.01 ms: within that of an edge either side is right (and at a
        // sentence edge the next sentence's visemes may not have reached the plugin yet).
        if (frames.some(([, start, end]) => Math.abs(start - positionMs) < 0.011 || Math.abs(end - positionMs) < 0.011)) return;
        const under = frames.find(([, start, end]) => start <= positionMs && positionMs < end);
        for (let v = 0; v < 15; v++) {
          const expected = under && under[0] === v ? under[3] : 0;
          const actual = face.GetMorphTarget(OVR_MORPHS[v]!);
          if (Math.abs(actual - expected) > 0.0011) {
            const near = frames.filter(([, a, b]) => b > positionMs - 100 && a < positionMs + 100);
            throw new Error(`at ${positionMs.toFixed(1)} ms ${OVR_MORPHS[v]} is ${actual}, expected ${expected} (viseme ${under ? OVR_VISEME_NAMES[under[0]] : 'none'}); frames near: ${JSON.stringify(near)}; morphs: ${JSON.stringify(Object.fromEntries(face.morphs))}`);
          }
        }
        checked++;
        if (under && under[3] > 0) shown.add(under[0]);
      },
    });
    const end = ofTurn(turn, 'end')[0] as EndFrame;
    expect(end.reason).toBe('completed');
    const audio = ofTurn(turn, 'audio') as AudioFrame[];
    const wireBytes = audio.reduce((n, a) => n + a.pcm.byteLength, 0);
    expect(wireBytes).toBeGreaterThan(0);
    expect(sound()!.totalBytesQueued - bytesBefore).toBe(wireBytes); // every sample, nothing added
    expect(checked).toBeGreaterThan(30);
    expect(shown.size).toBeGreaterThanOrEqual(4); // real mouth movement, not one shape
    for (const m of OVR_MORPHS) expect(face.GetMorphTarget(m)).toBe(0); // closed after the reply

    const result = lastResult();
    expect(result).toMatchObject({ TurnId: turn, Reason: h.engine.ue.EParleyTurnEndReason.Completed, Text: end.text, Tier: 'silver', ErrorCode: '' });
    expect(result.Latency.QueueMs).toBeGreaterThanOrEqual(0);
    expect(result.Latency.ClientFirstAudioMs).toBeGreaterThan(0);
    expect(result.Latency.PlaybackStartMs).toBeGreaterThanOrEqual(result.Latency.ClientFirstAudioMs);
    expect(dm.OnSubtitle.calls.at(-1)![1]).toBe(end.text);
    expect(dm.OnEmotion.calls.length).toBeGreaterThan(0);
  });

  it('Cancel() stops the audio at once and closes the mouth', async () => {
    const n = dm.OnTurnEnded.calls.length;
    dm.Say('Tell me everything about the town, the roads, and the old castle!');
    const turn = dm.CurrentTurnId;
    const mouthMoving = () => OVR_MORPHS.slice(1).some((m) => face.GetMorphTarget(m) > 0);
    await runFrames(h.engine, () => dm.bSpeaking && mouthMoving());
    dm.Cancel();
    expect(voice().IsPlaying()).toBe(false);
    expect(sound()!.GetSamplesQueued()).toBe(0);
    expect(dm.bSpeaking).toBe(false);
    h.engine.tick(1 / 60);
    for (const m of OVR_MORPHS) expect(face.GetMorphTarget(m)).toBe(0);
    await runFrames(h.engine, ended(n + 1));
    expect(lastResult()).toMatchObject({ TurnId: turn, Reason: h.engine.ue.EParleyTurnEndReason.Cancelled });
    expect(ofTurn(turn, 'end')[0]).toMatchObject({ cancelled: true });
    expect(voice().IsPlaying()).toBe(false);
  });

  it('a gateway restart mid-reply: the reply ends with an error the game can show, the plugin reconnects, the next Say is answered', async () => {
    const { ue } = h.engine;
    const n = dm.OnTurnEnded.calls.length;
    const errorsBefore = dm.OnError.calls.length;
    dm.Say('Tell me a long story about the castle, the roads and the village!');
    const turn = dm.CurrentTurnId;
    await runFrames(h.engine, () => dm.bSpeaking);

    let restarted = false;
    const restart = stack.restartGateway({ signal: 'SIGKILL', downMs: 300 }).then(() => (restarted = true));
    await runFrames(h.engine, () => dm.ConnectionState === ue.EParleyConnectionState.Reconnecting);
    await runFrames(h.engine, () => restarted && dm.ConnectionState === ue.EParleyConnectionState.Connected, { timeoutMs: 25_000 });
    await restart;

    expect(dm.OnError.calls.slice(errorsBefore).map((c) => c[1])).toContain('connection_lost');
    const states = dm.OnConnectionStateChanged.calls.map((c) => c[1]);
    expect(states.slice(-2)).toEqual([ue.EParleyConnectionState.Reconnecting, ue.EParleyConnectionState.Connected]);
    await runFrames(h.engine, ended(n + 1)); // what had arrived plays out, then the turn ends
    expect(lastResult()).toMatchObject({ TurnId: turn, Reason: ue.EParleyTurnEndReason.Failed, ErrorCode: 'connection_lost' });
    expect(lastResult().ErrorMessage).toMatch(/lost mid-reply/);

    await stack.waitReady(1, 20_000); // the worker redials the new gateway on its own
    const bytesBefore = sound()!.totalBytesQueued;
    dm.Say('Are you still there?');
    const next = dm.CurrentTurnId;
    await runFrames(h.engine, ended(n + 2), { timeoutMs: 20_000 });
    expect(lastResult()).toMatchObject({ TurnId: next, Reason: ue.EParleyTurnEndReason.Completed });
    expect(sound()!.totalBytesQueued - bytesBefore).toBe((ofTurn(next, 'audio') as AudioFrame[]).reduce((s, a) => s + a.pcm.byteLength, 0));
  });
});
