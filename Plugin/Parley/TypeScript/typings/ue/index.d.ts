/**
 * The part of the `ue` module the Parley plugin uses, declared as Puerts generates it into a
 * game project's `Typing/ue/ue.d.ts` (class names without the U/A/F prefix, reflected member
 * names as in C++, FName/FString → string, FArrayBuffer → ArrayBuffer, UENUMs with their
 * `_MAX` entry). Engine classes follow UE 5.1+; the Parley classes mirror
 * Plugin/Parley/Source/Parley/Public. Keep the two in step: the fakes in ../../fakes are
 * type-checked against this file.
 */
declare module "ue" {
    import { $Nullable } from "puerts";

    import * as UE from "ue";

    interface $MulticastDelegate<T extends (...args: any) => any> {
        Add(fn: T): void;
        Remove(fn: T): void;
        Broadcast(...a: Parameters<T>): ReturnType<T>;
        Clear(): void;
    }

    class TArray<T> {
        Num(): number;
        Add(Value: T): void;
        Get(Index: number): T;
        Set(Index: number, Value: T): void;
        Contains(Value: T): boolean;
        FindIndex(Value: T): number;
        RemoveAt(Index: number): void;
        IsValidIndex(Index: number): boolean;
        Empty(): void;
    }

    class TMap<TKey, TValue> {
        Num(): number;
        Add(Key: TKey, Value: TValue): void;
        Get(Key: TKey): TValue | undefined;
        Set(Key: TKey, Value: TValue): void;
        Remove(Key: TKey): void;
        GetMaxIndex(): number;
        IsValidIndex(Index: number): boolean;
        GetKey(Index: number): TKey;
        Empty(): void;
    }

    // ── engine ─────────────────────────────────────────────────────────────────────────
    class Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        GetClass(): Class;
        GetName(): string;
        GetOuter(): Object;
        IsA(p0: Class): boolean;
        static StaticClass(): Class;
        static Find(OrigInName: string, Outer?: Object): Object;
        static Load(InName: string): Object;
    }

    class Field extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class Struct extends UE.Field {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class Class extends UE.Struct {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }

    class Actor extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        GetComponentByClass(ComponentClass: $Nullable<UE.Class>): UE.ActorComponent;
        static StaticClass(): Class;
    }

    class ActorComponent extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        GetOwner(): UE.Actor;
        IsActive(): boolean;
        static StaticClass(): Class;
    }

    class SceneComponent extends UE.ActorComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }

    class SoundBase extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class SoundWave extends UE.SoundBase {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class SoundWaveProcedural extends UE.SoundWave {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }

    class AudioComponent extends UE.SceneComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        Sound: UE.SoundBase;
        OnAudioFinished: $MulticastDelegate<() => void>;
        IsPlaying(): boolean;
        Play(StartTime?: number /* = 0.000000 */): void;
        SetSound(NewSound: $Nullable<UE.SoundBase>): void;
        Stop(): void;
        static StaticClass(): Class;
    }

    class SkeletalMesh extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        K2_GetAllMorphTargetNames(): TArray<string>;
        static StaticClass(): Class;
    }

    class SkinnedMeshComponent extends UE.SceneComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }

    class SkeletalMeshComponent extends UE.SkinnedMeshComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        GetMorphTarget(MorphTargetName: string): number;
        GetSkeletalMeshAsset(): UE.SkeletalMesh;
        SetMorphTarget(MorphTargetName: string, Value: number, bRemoveZeroWeight?: boolean /* = true */): void;
        static StaticClass(): Class;
    }

    class DataAsset extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class PrimaryDataAsset extends UE.DataAsset {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class DeveloperSettings extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class Subsystem extends UE.Object {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }
    class GameInstanceSubsystem extends UE.Subsystem {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }

    // ── Parley (Plugin/Parley/Source/Parley/Public) ───────────────────────────────────
    enum EParleyTier { NpcDefault, Gold, Silver, Bronze, EParleyTier_MAX }
    enum EParleyConnectionState { Disconnected, Connecting, Connected, Reconnecting, Failed, EParleyConnectionState_MAX }
    enum EParleyTurnEndReason { Completed, Cancelled, Failed, Rejected, EParleyTurnEndReason_MAX }
    enum EParleyVisemePreset { OvrVisemes, ArkitMouth, MetaHumanArkit, Custom, EParleyVisemePreset_MAX }
    enum EParleyFaceOutput { MorphTargets, AnimCurves, EParleyFaceOutput_MAX }
    enum EParleyViseme { Sil, PP, FF, TH, DD, Kk, CH, SS, Nn, RR, Aa, E, Ih, Oh, Ou, EParleyViseme_MAX }

    class ParleyTurnLatency {
        constructor();
        constructor(QueueMs: number, FirstTextMs: number, FirstAudioMs: number, ServerTotalMs: number, ClientFirstAudioMs: number, PlaybackStartMs: number, TotalMs: number);
        QueueMs: number;
        FirstTextMs: number;
        FirstAudioMs: number;
        ServerTotalMs: number;
        ClientFirstAudioMs: number;
        PlaybackStartMs: number;
        TotalMs: number;
        static StaticClass(): ScriptStruct;
        static StaticStruct(): ScriptStruct;
    }

    class ParleyTurnResult {
        constructor();
        constructor(TurnId: string, Text: string, Reason: UE.EParleyTurnEndReason, Tier: string, bDegraded: boolean, AudioMs: number, ErrorCode: string, ErrorMessage: string, Latency: UE.ParleyTurnLatency);
        TurnId: string;
        Text: string;
        Reason: UE.EParleyTurnEndReason;
        Tier: string;
        bDegraded: boolean;
        AudioMs: number;
        ErrorCode: string;
        ErrorMessage: string;
        Latency: UE.ParleyTurnLatency;
        static StaticClass(): ScriptStruct;
        static StaticStruct(): ScriptStruct;
    }

    class ParleyRelationship {
        constructor();
        constructor(Trust: number, Respect: number, Familiarity: number, Affinity: number);
        Trust: number;
        Respect: number;
        Familiarity: number;
        Affinity: number;
        static StaticClass(): ScriptStruct;
        static StaticStruct(): ScriptStruct;
    }

    class ParleyFacePose {
        constructor();
        constructor(Curves: TMap<string, number>);
        Curves: TMap<string, number>;
        static StaticClass(): ScriptStruct;
        static StaticStruct(): ScriptStruct;
    }

    class ScriptStruct extends UE.Struct {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        static StaticClass(): Class;
    }

    class ParleySettings extends UE.DeveloperSettings {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        bEnableParley: boolean;
        GatewayUrl: string;
        AccessToken: string;
        DefaultTier: UE.EParleyTier;
        DefaultPlayerId: string;
        bConnectOnStart: boolean;
        ConnectTimeoutSeconds: number;
        bAutoReconnect: boolean;
        ReconnectInitialDelaySeconds: number;
        ReconnectMaxDelaySeconds: number;
        MaxReconnectAttempts: number;
        AudioPrebufferMs: number;
        bVerboseLogging: boolean;
        ScriptModule: string;
        static StaticClass(): Class;
    }

    class ParleySubsystem extends UE.GameInstanceSubsystem {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        ConnectionState: UE.EParleyConnectionState;
        ConnectionDetail: string;
        OnConnectionStateChanged: $MulticastDelegate<(State: UE.EParleyConnectionState, Detail: string) => void>;
        GetConnectionState(): UE.EParleyConnectionState;
        HandleConnectionState(State: UE.EParleyConnectionState, Detail: string): void;
        ParleyShutdown(): void;
        Reconnect(): void;
        SetAccessToken(Token: string): void;
        static StaticClass(): Class;
    }

    class ParleyProceduralSound extends UE.SoundWaveProcedural {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        GetSamplesPlayed(): number;
        GetSamplesQueued(): number;
        QueuePcm16(Pcm: ArrayBuffer): void;
        ResetPlayback(): void;
        static CreateParleySound(Outer: $Nullable<UE.Object>, SampleRate: number): UE.ParleyProceduralSound;
        static StaticClass(): Class;
    }

    class ParleyVisemeMapping extends UE.PrimaryDataAsset {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        Visemes: TMap<UE.EParleyViseme, UE.ParleyFacePose>;
        static StaticClass(): Class;
    }

    class ParleyDialogueManagerComponent extends UE.ActorComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        NpcId: string;
        PlayerId: string;
        TierOverride: UE.EParleyTier;
        VoiceOverride: string;
        bSyncSubtitlesToAudio: boolean;
        ConnectionState: UE.EParleyConnectionState;
        bSpeaking: boolean;
        Subtitle: string;
        CurrentTurnId: string;
        Emotion: string;
        EmotionIntensity: number;
        OnSubtitle: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, Text: string, Delta: string) => void>;
        OnEmotion: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, Emotion: string, Intensity: number) => void>;
        OnRelationshipChanged: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, Relationship: UE.ParleyRelationship, Change: UE.ParleyRelationship, Conversations: number) => void>;
        OnTurnEnded: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, Result: UE.ParleyTurnResult) => void>;
        OnError: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, Code: string, Message: string, bFatal: boolean) => void>;
        OnConnectionStateChanged: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, State: UE.EParleyConnectionState) => void>;
        OnSpeakingChanged: $MulticastDelegate<(Component: $Nullable<UE.ParleyDialogueManagerComponent>, bNowSpeaking: boolean) => void>;
        Cancel(): void;
        GetConnectionState(): UE.EParleyConnectionState;
        GetVoiceAudio(): UE.AudioComponent;
        HandleConnectionState(State: UE.EParleyConnectionState): void;
        HandleEmotion(InEmotion: string, Intensity: number): void;
        HandleError(Code: string, Message: string, bFatal: boolean): void;
        HandleRelationship(InRelationship: UE.ParleyRelationship, Change: UE.ParleyRelationship, Conversations: number): void;
        HandleSpeaking(bNowSpeaking: boolean): void;
        HandleSubtitle(Text: string, Delta: string): void;
        HandleTurnEnded(Result: UE.ParleyTurnResult): void;
        HandleTurnStarted(TurnId: string): void;
        IsSpeaking(): boolean;
        ParleyBeginPlay(): void;
        ParleyEndPlay(): void;
        ParleyTick(DeltaSeconds: number): void;
        Say(Text: string): void;
        static StaticClass(): Class;
    }

    class ParleyFaceComponent extends UE.ActorComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        Output: UE.EParleyFaceOutput;
        FaceCurves: TMap<string, number>;
        GetFaceCurves(): TMap<string, number>;
        GetTargetMesh(): UE.SkeletalMeshComponent;
        ParleyBeginPlay(): void;
        ParleyEndPlay(): void;
        ParleyTick(DeltaSeconds: number): void;
        SetFaceCurve(CurveName: string, Value: number): void;
        SetTargetMesh(NewTarget: $Nullable<UE.SkeletalMeshComponent>): void;
        static StaticClass(): Class;
    }

    class ParleyLipSyncComponent extends UE.ParleyFaceComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        MappingPreset: UE.EParleyVisemePreset;
        CustomMapping: UE.ParleyVisemeMapping;
        Intensity: number;
        AttackMs: number;
        ReleaseMs: number;
        CoarticulationMs: number;
        LatencyCompensationMs: number;
        static StaticClass(): Class;
    }

    class ParleyExpressionComponent extends UE.ParleyFaceComponent {
        constructor(Outer?: Object, Name?: string, ObjectFlags?: number);
        EmotionPresets: TMap<string, UE.ParleyFacePose>;
        Strength: number;
        BlendTime: number;
        HoldTime: number;
        DecayTime: number;
        MouthSuppression: number;
        bAutoBlink: boolean;
        BlinkIntervalMin: number;
        BlinkIntervalMax: number;
        BlinkDuration: number;
        CurrentEmotion: string;
        CurrentIntensity: number;
        HandleEmotionChanged(InEmotion: string, Intensity: number): void;
        SetEmotion(InEmotion: string, Intensity: number): void;
        static StaticClass(): Class;
    }
}
