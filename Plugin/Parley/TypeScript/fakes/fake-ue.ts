/**
 * A fake of the `ue` module surface the plugin uses, with a tiny engine loop, for tests under
 * Node. It is type-checked against typings/ue (the declarations the plugin compiles against)
 * and follows the engine and Puerts where tests could otherwise pass for the wrong reason:
 *
 * - the module is a lazy Proxy like Puerts' `ue`: classes appear on first access, and an
 *   unknown name throws "can not find type" as loadUEType does;
 * - components run the same native code as Plugin/Parley/Source (BeginPlay resolves the mesh
 *   and creates the voice audio component, then calls the ParleyBeginPlay event; Handle*
 *   store state and broadcast the component-first events); BlueprintNativeEvents have their
 *   native fallback until a mixin overrides them;
 * - SetMorphTarget accepts any name (the engine silently keeps weights for morph targets the
 *   mesh lacks); the fake records which names really exist on the mesh;
 * - audio plays only while the audio component is playing, consuming queued PCM at the
 *   sample rate of simulated time; the sound counts samples handed to the mixer.
 */
import type * as UE from 'ue';
import { FakeMulticastDelegate, FakeTArray, FakeTMap } from './fake-containers.js';
import { EMOTION_PRESETS } from '../core/expression/emotion-presets.js';

type Cls = abstract new (...args: any[]) => object;

const classObjects = new WeakMap<Function, FakeClass>();

function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

export class FakeObject implements UE.Object {
  /** BlueprintNativeEvent / BlueprintImplementableEvent functions of this class (mixins may override only these). */
  static blueprintEvents: readonly string[] = [];
  protected readonly objectName: string;
  protected readonly outer: UE.Object | undefined;

  constructor(Outer?: UE.Object, Name?: string, _ObjectFlags?: number) {
    this.outer = Outer;
    this.objectName = Name ?? `${this.constructor.name.replace(/^Fake/, '')}_0`;
  }
  GetClass(): UE.Class {
    return staticClassOf(this.constructor);
  }
  GetName(): string {
    return this.objectName;
  }
  GetOuter(): UE.Object {
    return this.outer as UE.Object;
  }
  IsA(p0: UE.Class): boolean {
    return p0 instanceof FakeClass && this instanceof (p0.ctor as Cls);
  }
  static StaticClass(): UE.Class {
    return staticClassOf(this);
  }
  static Find(OrigInName: string, _Outer?: UE.Object): UE.Object {
    throw new Error(`FakeObject.Find(${OrigInName}) is not supported by the fake`);
  }
  static Load(InName: string): UE.Object {
    throw new Error(`FakeObject.Load(${InName}) is not supported by the fake`);
  }
}

export class FakeField extends FakeObject implements UE.Field {}
export class FakeStruct extends FakeField implements UE.Struct {}
export class FakeClass extends FakeStruct implements UE.Class {
  constructor(readonly ctor: Function) {
    super(undefined, ctor.name.replace(/^Fake/, ''));
  }
}
export class FakeScriptStruct extends FakeStruct implements UE.ScriptStruct {}

function staticClassOf(ctor: Function): FakeClass {
  let c = classObjects.get(ctor);
  if (!c) classObjects.set(ctor, (c = new FakeClass(ctor)));
  return c;
}

const structClass = (name: string) => new FakeScriptStruct(undefined, name);

// ── actors and components ────────────────────────────────────────────────────────────

export class FakeActor extends FakeObject implements UE.Actor {
  readonly components: FakeActorComponent[] = [];

  GetComponentByClass(ComponentClass: UE.Class | null): UE.ActorComponent {
    const found = ComponentClass ? this.components.find((c) => c.IsA(ComponentClass)) : undefined;
    return (found ?? null) as unknown as UE.ActorComponent; // Puerts returns null for a null UObject*
  }

  /** Adds a component (as the editor or a construction script would). */
  add<C extends FakeActorComponent>(component: C): C {
    component.owner = this;
    this.components.push(component);
    return component;
  }
}

export class FakeActorComponent extends FakeObject implements UE.ActorComponent {
  owner: FakeActor | null = null;
  hasBegunPlay = false;

  GetOwner(): UE.Actor {
    return this.owner as UE.Actor;
  }
  IsActive(): boolean {
    return this.hasBegunPlay;
  }
  // Native engine entry points, called by FakeWorld.
  BeginPlay(): void {
    this.hasBegunPlay = true;
  }
  EndPlay(): void {
    this.hasBegunPlay = false;
  }
  TickComponent(_dt: number): void {}
}

export class FakeSceneComponent extends FakeActorComponent implements UE.SceneComponent {}

export class FakeSoundBase extends FakeObject implements UE.SoundBase {}
export class FakeSoundWave extends FakeSoundBase implements UE.SoundWave {}
export class FakeSoundWaveProcedural extends FakeSoundWave implements UE.SoundWaveProcedural {}

export class FakeAudioComponent extends FakeSceneComponent implements UE.AudioComponent {
  Sound: UE.SoundBase = null as unknown as UE.SoundBase;
  OnAudioFinished = new FakeMulticastDelegate<() => void>();
  playing = false;
  plays = 0;
  stops = 0;

  IsPlaying(): boolean {
    return this.playing;
  }
  Play(_StartTime?: number): void {
    this.playing = this.Sound !== null;
    if (this.playing) this.plays++;
  }
  SetSound(NewSound: UE.SoundBase | null): void {
    if (this.playing) this.Stop();
    this.Sound = NewSound as UE.SoundBase;
  }
  Stop(): void {
    if (this.playing) this.stops++;
    this.playing = false;
  }
}

/** Mirrors UParleyProceduralSound: PCM16 mono queue; samples played = queued − still available. */
export class FakeParleyProceduralSound extends FakeSoundWaveProcedural implements UE.ParleyProceduralSound {
  sampleRate = 0;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private playedBytes = 0;
  /** Every byte ever queued (not cleared by ResetPlayback), for assertions. */
  totalBytesQueued = 0;
  resets = 0;

  static CreateParleySound(Outer: UE.Object | null, SampleRate: number): UE.ParleyProceduralSound {
    const s = new FakeParleyProceduralSound(Outer ?? undefined, 'ParleyVoice');
    s.sampleRate = SampleRate;
    engineOf(Outer)?.sounds.push(s);
    return s;
  }
  QueuePcm16(Pcm: ArrayBuffer): void {
    // Puerts converts a JS ArrayBuffer to FArrayBuffer; anything else is a script bug.
    if (!isArrayBuffer(Pcm)) throw new TypeError('QueuePcm16 expects an ArrayBuffer (FArrayBuffer)');
    if (Pcm.byteLength % 2 !== 0) throw new Error('QueuePcm16: PCM16 needs an even byte count');
    this.queue.push(new Uint8Array(Pcm.slice(0)));
    this.queuedBytes += Pcm.byteLength;
    this.totalBytesQueued += Pcm.byteLength;
  }
  ResetPlayback(): void {
    this.queue = [];
    this.queuedBytes = 0;
    this.playedBytes = 0;
    this.resets++;
  }
  GetSamplesPlayed(): number {
    return this.playedBytes >> 1;
  }
  GetSamplesQueued(): number {
    return this.queuedBytes >> 1;
  }
  /** The audio mixer pulls `samples`; returns how many real samples it got. */
  render(samples: number): number {
    const want = Math.min(samples * 2, this.queuedBytes - this.playedBytes);
    this.playedBytes += Math.max(0, want);
    return Math.max(0, want) >> 1;
  }
}

export class FakeSkeletalMesh extends FakeObject implements UE.SkeletalMesh {
  constructor(readonly morphTargetNames: readonly string[], Name = 'SK_Face') {
    super(undefined, Name);
  }
  K2_GetAllMorphTargetNames(): UE.TArray<string> {
    return new FakeTArray([...this.morphTargetNames]);
  }
}

export class FakeSkinnedMeshComponent extends FakeSceneComponent implements UE.SkinnedMeshComponent {}

export class FakeSkeletalMeshComponent extends FakeSkinnedMeshComponent implements UE.SkeletalMeshComponent {
  asset = new FakeSkeletalMesh([]);
  /** Weights as the engine keeps them (any name), and the calls made. */
  readonly morphs = new Map<string, number>();
  setCalls = 0;

  /** A mesh component whose skeletal mesh asset has these morph targets. */
  static withMorphTargets(name: string, morphTargetNames: readonly string[]): FakeSkeletalMeshComponent {
    const c = new FakeSkeletalMeshComponent(undefined, name);
    c.asset = new FakeSkeletalMesh(morphTargetNames);
    return c;
  }
  GetMorphTarget(MorphTargetName: string): number {
    return this.morphs.get(MorphTargetName) ?? 0;
  }
  GetSkeletalMeshAsset(): UE.SkeletalMesh {
    return this.asset;
  }
  SetMorphTarget(MorphTargetName: string, Value: number, bRemoveZeroWeight = true): void {
    this.setCalls++;
    if (bRemoveZeroWeight && Value === 0) this.morphs.delete(MorphTargetName);
    else this.morphs.set(MorphTargetName, Value);
  }
  /** Weights of morph targets the mesh really has (what a viewer would see). */
  visibleMorphs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.morphs) if (this.asset.morphTargetNames.includes(k)) out[k] = v;
    return out;
  }
}

export class FakeDataAsset extends FakeObject implements UE.DataAsset {}
export class FakePrimaryDataAsset extends FakeDataAsset implements UE.PrimaryDataAsset {}
export class FakeDeveloperSettings extends FakeObject implements UE.DeveloperSettings {}
export class FakeSubsystem extends FakeObject implements UE.Subsystem {}
export class FakeGameInstanceSubsystem extends FakeSubsystem implements UE.GameInstanceSubsystem {}

// ── Parley enums and structs ─────────────────────────────────────────────────────────

/** UENUMs as Puerts exposes them: name → index, plus the `_MAX` entry UHT adds. */
function uenum<const N extends readonly string[]>(enumName: string, names: N): Record<N[number], number> {
  const e: Record<string, number> = {};
  [...names, `${enumName}_MAX`].forEach((n, i) => {
    e[n] = i;
    e[i] = n as unknown as number; // TypeScript-style reverse mapping, as Puerts generates
  });
  return e as Record<N[number], number>;
}

export const EParleyTier = uenum('EParleyTier', ['NpcDefault', 'Gold', 'Silver', 'Bronze']);
export const EParleyConnectionState = uenum('EParleyConnectionState', ['Disconnected', 'Connecting', 'Connected', 'Reconnecting', 'Failed']);
export const EParleyTurnEndReason = uenum('EParleyTurnEndReason', ['Completed', 'Cancelled', 'Failed', 'Rejected']);
export const EParleyVisemePreset = uenum('EParleyVisemePreset', ['OvrVisemes', 'ArkitMouth', 'MetaHumanArkit', 'Custom']);
export const EParleyFaceOutput = uenum('EParleyFaceOutput', ['MorphTargets', 'AnimCurves']);
export const EParleyViseme = uenum('EParleyViseme', ['Sil', 'PP', 'FF', 'TH', 'DD', 'Kk', 'CH', 'SS', 'Nn', 'RR', 'Aa', 'E', 'Ih', 'Oh', 'Ou']);

export class FakeParleyTurnLatency implements UE.ParleyTurnLatency {
  QueueMs = -1;
  FirstTextMs = -1;
  FirstAudioMs = -1;
  ServerTotalMs = -1;
  ClientFirstAudioMs = -1;
  PlaybackStartMs = -1;
  TotalMs = -1;
  constructor();
  constructor(QueueMs: number, FirstTextMs: number, FirstAudioMs: number, ServerTotalMs: number, ClientFirstAudioMs: number, PlaybackStartMs: number, TotalMs: number);
  constructor(...a: number[]) {
    if (a.length) [this.QueueMs, this.FirstTextMs, this.FirstAudioMs, this.ServerTotalMs, this.ClientFirstAudioMs, this.PlaybackStartMs, this.TotalMs] = a as [number, number, number, number, number, number, number];
  }
  static StaticClass(): UE.ScriptStruct {
    return structClass('ParleyTurnLatency');
  }
  static StaticStruct(): UE.ScriptStruct {
    return structClass('ParleyTurnLatency');
  }
}

export class FakeParleyTurnResult implements UE.ParleyTurnResult {
  TurnId = '';
  Text = '';
  Reason = EParleyTurnEndReason.Completed as UE.EParleyTurnEndReason;
  Tier = '';
  bDegraded = false;
  AudioMs = 0;
  ErrorCode = '';
  ErrorMessage = '';
  Latency: UE.ParleyTurnLatency = new FakeParleyTurnLatency();
  constructor();
  constructor(TurnId: string, Text: string, Reason: UE.EParleyTurnEndReason, Tier: string, bDegraded: boolean, AudioMs: number, ErrorCode: string, ErrorMessage: string, Latency: UE.ParleyTurnLatency);
  constructor(...a: unknown[]) {
    if (a.length) {
      [this.TurnId, this.Text, this.Reason, this.Tier, this.bDegraded, this.AudioMs, this.ErrorCode, this.ErrorMessage, this.Latency] = a as [string, string, UE.EParleyTurnEndReason, string, boolean, number, string, string, UE.ParleyTurnLatency];
    }
  }
  static StaticClass(): UE.ScriptStruct {
    return structClass('ParleyTurnResult');
  }
  static StaticStruct(): UE.ScriptStruct {
    return structClass('ParleyTurnResult');
  }
}

export class FakeParleyRelationship implements UE.ParleyRelationship {
  Trust = 0;
  Respect = 0;
  Familiarity = 0;
  Affinity = 0;
  constructor();
  constructor(Trust: number, Respect: number, Familiarity: number, Affinity: number);
  constructor(...a: number[]) {
    if (a.length) [this.Trust, this.Respect, this.Familiarity, this.Affinity] = a as [number, number, number, number];
  }
  static StaticClass(): UE.ScriptStruct {
    return structClass('ParleyRelationship');
  }
  static StaticStruct(): UE.ScriptStruct {
    return structClass('ParleyRelationship');
  }
}

export class FakeParleyFacePose implements UE.ParleyFacePose {
  Curves: UE.TMap<string, number>;
  constructor();
  constructor(Curves: UE.TMap<string, number>);
  constructor(Curves?: UE.TMap<string, number>) {
    this.Curves = Curves ?? new FakeTMap<string, number>();
  }
  static of(pose: Readonly<Record<string, number>>): FakeParleyFacePose {
    return new FakeParleyFacePose(new FakeTMap(Object.entries(pose)));
  }
  static StaticClass(): UE.ScriptStruct {
    return structClass('ParleyFacePose');
  }
  static StaticStruct(): UE.ScriptStruct {
    return structClass('ParleyFacePose');
  }
}

// ── Parley classes (mirroring Plugin/Parley/Source/Parley) ─────────────────────────────

/** UParleySettings with its C++ defaults (Project Settings > Plugins > Parley). */
export class FakeParleySettings extends FakeDeveloperSettings implements UE.ParleySettings {
  bEnableParley = true;
  GatewayUrl = 'ws://127.0.0.1:8787/v1/ws';
  AccessToken = '';
  DefaultTier = EParleyTier.NpcDefault as UE.EParleyTier;
  DefaultPlayerId = 'player';
  bConnectOnStart = true;
  ConnectTimeoutSeconds = 10;
  bAutoReconnect = true;
  ReconnectInitialDelaySeconds = 0.5;
  ReconnectMaxDelaySeconds = 15;
  MaxReconnectAttempts = 0;
  AudioPrebufferMs = 120;
  bVerboseLogging = false;
  ScriptModule = 'parley/parley-main';
}

export class FakeParleySubsystem extends FakeGameInstanceSubsystem implements UE.ParleySubsystem {
  static override blueprintEvents = ['ParleyShutdown', 'Reconnect', 'SetAccessToken'];
  ConnectionState = EParleyConnectionState.Disconnected as UE.EParleyConnectionState;
  ConnectionDetail = '';
  OnConnectionStateChanged = new FakeMulticastDelegate<(State: UE.EParleyConnectionState, Detail: string) => void>();
  readonly nativeWarnings: string[] = [];

  GetConnectionState(): UE.EParleyConnectionState {
    return this.ConnectionState;
  }
  HandleConnectionState(State: UE.EParleyConnectionState, Detail: string): void {
    this.ConnectionDetail = Detail;
    if (State === this.ConnectionState) return;
    this.ConnectionState = State;
    this.OnConnectionStateChanged.Broadcast(State, Detail);
  }
  ParleyShutdown(): void {}
  Reconnect(): void {
    this.nativeWarnings.push('Reconnect: Parley script is not running');
  }
  SetAccessToken(_Token: string): void {
    this.nativeWarnings.push('SetAccessToken: Parley script is not running');
  }
}

export class FakeParleyVisemeMapping extends FakePrimaryDataAsset implements UE.ParleyVisemeMapping {
  Visemes: UE.TMap<UE.EParleyViseme, UE.ParleyFacePose> = new FakeTMap();
}

type DialogueDelegate<T extends unknown[]> = FakeMulticastDelegate<(Component: UE.ParleyDialogueManagerComponent | null, ...rest: T) => void>;

export class FakeParleyDialogueManagerComponent extends FakeActorComponent implements UE.ParleyDialogueManagerComponent {
  static override blueprintEvents = ['ParleyBeginPlay', 'ParleyEndPlay', 'ParleyTick', 'Say', 'Cancel'];
  NpcId = '';
  PlayerId = '';
  TierOverride = EParleyTier.NpcDefault as UE.EParleyTier;
  VoiceOverride = '';
  bSyncSubtitlesToAudio = true;
  ConnectionState = EParleyConnectionState.Disconnected as UE.EParleyConnectionState;
  bSpeaking = false;
  Subtitle = '';
  CurrentTurnId = '';
  Emotion = '';
  EmotionIntensity = 0;
  Relationship: UE.ParleyRelationship = new FakeParleyRelationship();
  LastTurn: UE.ParleyTurnResult = new FakeParleyTurnResult();
  OnSubtitle: DialogueDelegate<[Text: string, Delta: string]> = new FakeMulticastDelegate();
  OnEmotion: DialogueDelegate<[Emotion: string, Intensity: number]> = new FakeMulticastDelegate();
  OnRelationshipChanged: DialogueDelegate<[Relationship: UE.ParleyRelationship, Change: UE.ParleyRelationship, Conversations: number]> = new FakeMulticastDelegate();
  OnTurnEnded: DialogueDelegate<[Result: UE.ParleyTurnResult]> = new FakeMulticastDelegate();
  OnError: DialogueDelegate<[Code: string, Message: string, bFatal: boolean]> = new FakeMulticastDelegate();
  OnConnectionStateChanged: DialogueDelegate<[State: UE.EParleyConnectionState]> = new FakeMulticastDelegate();
  OnSpeakingChanged: DialogueDelegate<[bNowSpeaking: boolean]> = new FakeMulticastDelegate();
  voiceAudio: FakeAudioComponent | null = null;
  readonly nativeWarnings: string[] = [];

  override BeginPlay(): void {
    super.BeginPlay();
    this.GetVoiceAudio();
    this.ParleyBeginPlay();
  }
  override EndPlay(): void {
    this.ParleyEndPlay();
    this.voiceAudio?.Stop();
    super.EndPlay();
  }
  override TickComponent(dt: number): void {
    this.ParleyTick(dt);
  }
  // BlueprintNativeEvents: native fallbacks (the mixin replaces them)
  ParleyBeginPlay(): void {}
  ParleyEndPlay(): void {}
  ParleyTick(_DeltaSeconds: number): void {}
  Say(_Text: string): void {
    this.nativeWarnings.push('Say: Parley script is not running');
  }
  Cancel(): void {
    this.nativeWarnings.push('Cancel: Parley script is not running');
  }
  GetConnectionState(): UE.EParleyConnectionState {
    return this.ConnectionState;
  }
  IsSpeaking(): boolean {
    return this.bSpeaking;
  }
  GetVoiceAudio(): UE.AudioComponent {
    if (!this.voiceAudio) {
      this.voiceAudio = new FakeAudioComponent(this, 'ParleyVoiceAudio');
      this.voiceAudio.owner = this.owner;
    }
    return this.voiceAudio;
  }
  HandleTurnStarted(TurnId: string): void {
    this.CurrentTurnId = TurnId;
    this.Subtitle = '';
  }
  HandleSubtitle(Text: string, Delta: string): void {
    this.Subtitle = Text;
    this.OnSubtitle.Broadcast(this, Text, Delta);
  }
  HandleEmotion(InEmotion: string, Intensity: number): void {
    this.Emotion = InEmotion;
    this.EmotionIntensity = Intensity;
    this.OnEmotion.Broadcast(this, InEmotion, Intensity);
  }
  HandleRelationship(InRelationship: UE.ParleyRelationship, Change: UE.ParleyRelationship, Conversations: number): void {
    this.Relationship = InRelationship;
    this.OnRelationshipChanged.Broadcast(this, InRelationship, Change, Conversations);
  }
  HandleError(Code: string, Message: string, bFatal: boolean): void {
    this.OnError.Broadcast(this, Code, Message, bFatal);
  }
  HandleSpeaking(bNowSpeaking: boolean): void {
    if (bNowSpeaking === this.bSpeaking) return;
    this.bSpeaking = bNowSpeaking;
    this.OnSpeakingChanged.Broadcast(this, bNowSpeaking);
  }
  HandleTurnEnded(Result: UE.ParleyTurnResult): void {
    this.LastTurn = Result;
    this.CurrentTurnId = '';
    this.OnTurnEnded.Broadcast(this, Result);
  }
  HandleConnectionState(State: UE.EParleyConnectionState): void {
    if (State === this.ConnectionState) return;
    this.ConnectionState = State;
    this.OnConnectionStateChanged.Broadcast(this, State);
  }
}

/** The C++ FindDefaultFaceMesh: a component named "Face" (MetaHuman), else the first skeletal mesh with morph targets, else the first. */
function findFaceMesh(owner: FakeActor | null, byName: string): FakeSkeletalMeshComponent | null {
  const meshes = (owner?.components ?? []).filter((c): c is FakeSkeletalMeshComponent => c instanceof FakeSkeletalMeshComponent);
  if (byName) return meshes.find((m) => m.GetName() === byName) ?? null;
  return meshes.find((m) => m.GetName() === 'Face') ?? meshes.find((m) => m.asset.morphTargetNames.length > 0) ?? meshes[0] ?? null;
}

export class FakeParleyFaceComponent extends FakeActorComponent implements UE.ParleyFaceComponent {
  static override blueprintEvents = ['ParleyBeginPlay', 'ParleyEndPlay', 'ParleyTick'];
  /** FComponentReference: the component name picked in the details panel ('' = automatic). */
  TargetMeshName = '';
  Output = EParleyFaceOutput.MorphTargets as UE.EParleyFaceOutput;
  FaceCurves: UE.TMap<string, number> = new FakeTMap<string, number>();
  protected resolvedMesh: FakeSkeletalMeshComponent | null = null;

  override BeginPlay(): void {
    super.BeginPlay();
    this.resolvedMesh ??= findFaceMesh(this.owner, this.TargetMeshName);
    this.ParleyBeginPlay();
  }
  override EndPlay(): void {
    this.ParleyEndPlay();
    super.EndPlay();
  }
  override TickComponent(dt: number): void {
    this.ParleyTick(dt);
  }
  ParleyBeginPlay(): void {}
  ParleyEndPlay(): void {}
  ParleyTick(_DeltaSeconds: number): void {}
  GetTargetMesh(): UE.SkeletalMeshComponent {
    return this.resolvedMesh as UE.SkeletalMeshComponent;
  }
  SetTargetMesh(NewTarget: UE.SkeletalMeshComponent | null): void {
    this.resolvedMesh = NewTarget as FakeSkeletalMeshComponent | null;
    if (this.hasBegunPlay) {
      this.ParleyEndPlay();
      this.ParleyBeginPlay();
    }
  }
  GetFaceCurves(): UE.TMap<string, number> {
    return this.FaceCurves;
  }
  SetFaceCurve(CurveName: string, Value: number): void {
    if (Value <= 0) this.FaceCurves.Remove(CurveName);
    else this.FaceCurves.Add(CurveName, Value);
  }
}

export class FakeParleyLipSyncComponent extends FakeParleyFaceComponent implements UE.ParleyLipSyncComponent {
  MappingPreset = EParleyVisemePreset.OvrVisemes as UE.EParleyVisemePreset;
  CustomMapping: UE.ParleyVisemeMapping = null as unknown as UE.ParleyVisemeMapping;
  Intensity = 1;
  AttackMs = 40;
  ReleaseMs = 70;
  CoarticulationMs = 60;
  LatencyCompensationMs = 0;
}

export class FakeParleyExpressionComponent extends FakeParleyFaceComponent implements UE.ParleyExpressionComponent {
  static override blueprintEvents = ['ParleyBeginPlay', 'ParleyEndPlay', 'ParleyTick', 'SetEmotion'];
  /** The C++ constructor fills these from the generated defaults table. */
  EmotionPresets: UE.TMap<string, UE.ParleyFacePose> = new FakeTMap(Object.entries(EMOTION_PRESETS).map(([k, pose]) => [k, FakeParleyFacePose.of(pose)] as [string, UE.ParleyFacePose]));
  Strength = 1;
  BlendTime = 0.35;
  HoldTime = 1.5;
  DecayTime = 2;
  MouthSuppression = 0.7;
  bAutoBlink = true;
  BlinkIntervalMin = 2.5;
  BlinkIntervalMax = 6;
  BlinkDuration = 0.18;
  CurrentEmotion = 'neutral';
  CurrentIntensity = 0;
  readonly nativeWarnings: string[] = [];

  HandleEmotionChanged(InEmotion: string, Intensity: number): void {
    this.CurrentEmotion = InEmotion;
    this.CurrentIntensity = Intensity;
  }
  SetEmotion(_InEmotion: string, _Intensity: number): void {
    this.nativeWarnings.push('SetEmotion: Parley script is not running');
  }
}

// ── the engine loop ──────────────────────────────────────────────────────────────────

const engines = new WeakMap<object, FakeEngine>();
function engineOf(o: UE.Object | null | undefined): FakeEngine | undefined {
  let cur: unknown = o;
  while (cur && typeof cur === 'object') {
    const e = engines.get(cur);
    if (e) return e;
    cur = cur instanceof FakeActorComponent ? cur.owner : cur instanceof FakeObject ? cur.GetOuter() : undefined;
  }
  return undefined;
}

/** A world with actors, a frame loop and an audio mixer; `ue` is the module the plugin sees. */
export class FakeEngine {
  readonly actors: FakeActor[] = [];
  readonly sounds: FakeParleyProceduralSound[] = [];
  readonly settings = new FakeParleySettings(undefined, 'ParleySettings');
  readonly subsystem = new FakeParleySubsystem(undefined, 'ParleySubsystem');
  readonly ue: typeof UE = createUeModule();
  /** Simulated seconds since the world started. */
  time = 0;

  spawnActor(name: string): FakeActor {
    const a = new FakeActor(undefined, name);
    engines.set(a, this);
    this.actors.push(a);
    return a;
  }

  beginPlay(actor?: FakeActor): void {
    for (const a of actor ? [actor] : this.actors) for (const c of a.components) if (!c.hasBegunPlay) c.BeginPlay();
  }

  /** One frame: the audio mixer renders `dt` of every playing voice, then components tick. */
  tick(dtSeconds: number): void {
    this.time += dtSeconds;
    for (const a of this.actors) {
      for (const c of a.components) {
        if (!(c instanceof FakeParleyDialogueManagerComponent)) continue;
        const audio = c.voiceAudio;
        const sound = audio?.Sound;
        if (audio?.playing && sound instanceof FakeParleyProceduralSound) sound.render(Math.round(dtSeconds * sound.sampleRate));
      }
    }
    for (const a of this.actors) for (const c of a.components) if (c.hasBegunPlay) c.TickComponent(dtSeconds);
  }

  endPlay(): void {
    for (const a of this.actors) for (const c of a.components) if (c.hasBegunPlay) c.EndPlay();
  }
}

/**
 * The module object, checked against the declarations: every class the plugin may touch must
 * be assignable to its declared type (enums, plain records here, are the one cast).
 */
const typed = {
  Object: FakeObject,
  Actor: FakeActor,
  ActorComponent: FakeActorComponent,
  AudioComponent: FakeAudioComponent,
  SkeletalMeshComponent: FakeSkeletalMeshComponent,
  TArray: FakeTArray,
  TMap: FakeTMap,
  ParleyTurnLatency: FakeParleyTurnLatency,
  ParleyTurnResult: FakeParleyTurnResult,
  ParleyRelationship: FakeParleyRelationship,
  ParleyFacePose: FakeParleyFacePose,
  ParleySettings: FakeParleySettings,
  ParleySubsystem: FakeParleySubsystem,
  ParleyProceduralSound: FakeParleyProceduralSound,
  ParleyVisemeMapping: FakeParleyVisemeMapping,
  ParleyDialogueManagerComponent: FakeParleyDialogueManagerComponent,
  ParleyFaceComponent: FakeParleyFaceComponent,
  ParleyLipSyncComponent: FakeParleyLipSyncComponent,
  ParleyExpressionComponent: FakeParleyExpressionComponent,
} satisfies Partial<Record<keyof typeof UE, unknown>>;
const _check: Pick<typeof UE, keyof typeof typed> = typed;
void _check;

const CLASSES: Record<string, unknown> = {
  ...typed,
  Field: FakeField,
  Struct: FakeStruct,
  Class: FakeClass,
  ScriptStruct: FakeScriptStruct,
  SceneComponent: FakeSceneComponent,
  SoundBase: FakeSoundBase,
  SoundWave: FakeSoundWave,
  SoundWaveProcedural: FakeSoundWaveProcedural,
  SkeletalMesh: FakeSkeletalMesh,
  SkinnedMeshComponent: FakeSkinnedMeshComponent,
  DataAsset: FakeDataAsset,
  PrimaryDataAsset: FakePrimaryDataAsset,
  DeveloperSettings: FakeDeveloperSettings,
  Subsystem: FakeSubsystem,
  GameInstanceSubsystem: FakeGameInstanceSubsystem,
  EParleyTier,
  EParleyConnectionState,
  EParleyTurnEndReason,
  EParleyVisemePreset,
  EParleyFaceOutput,
  EParleyViseme,
};


/** Puerts' `ue`: a lazy proxy that resolves type names on first access. */
function createUeModule(): typeof UE {
  const loaded: Record<string, unknown> = Object.create(null);
  return new Proxy(loaded, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      if (name in target) return target[name];
      if (!(name in CLASSES)) throw new Error(`can not find type:${name}`);
      target[name] = CLASSES[name];
      return target[name];
    },
  }) as unknown as typeof UE;
}
