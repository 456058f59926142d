#pragma once

#include "CoreMinimal.h"
#include "Components/ActorComponent.h"
#include "ParleyTypes.h"
#include "ParleyDialogueManagerComponent.generated.h"

class UAudioComponent;
class USoundAttenuation;
class USoundClass;
class UParleyDialogueManagerComponent;

DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(FParleySubtitleSignature, UParleyDialogueManagerComponent*, Component, const FString&, Text, const FString&, Delta);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(FParleyEmotionSignature, UParleyDialogueManagerComponent*, Component, FName, Emotion, float, Intensity);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_FourParams(FParleyRelationshipSignature, UParleyDialogueManagerComponent*, Component, const FParleyRelationship&, Relationship, const FParleyRelationship&, Change, int32, Conversations);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FParleyTurnEndedSignature, UParleyDialogueManagerComponent*, Component, const FParleyTurnResult&, Result);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_FourParams(FParleyErrorSignature, UParleyDialogueManagerComponent*, Component, FName, Code, const FString&, Message, bool, bFatal);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FParleyNpcConnectionSignature, UParleyDialogueManagerComponent*, Component, EParleyConnectionState, State);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FParleySpeakingSignature, UParleyDialogueManagerComponent*, Component, bool, bNowSpeaking);

/**
 * Lets an NPC hold a spoken conversation. Set NPC Id to an id from the gateway's catalog
 * (GET /v1/npcs), call Say with the player's line and bind the events: subtitles stream in,
 * the voice plays from this actor, and On Turn Ended fires once, when the NPC has finished
 * speaking (or was cancelled, or the reply failed).
 *
 * Add Parley Lip Sync and Parley Expression to the same actor for mouth and face. The
 * behaviour behind this component is the plugin's TypeScript, attached at run time.
 */
UCLASS(ClassGroup = (Parley), meta = (BlueprintSpawnableComponent, DisplayName = "Parley Dialogue Manager"))
class PARLEY_API UParleyDialogueManagerComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UParleyDialogueManagerComponent();

	// ── settings ──

	/** The NPC's id in the gateway's catalog, e.g. "innkeeper". */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Parley|Dialogue", meta = (DisplayName = "NPC Id"))
	FString NpcId;

	/** Who is talking; NPCs remember players by it. Empty: the project's Default Player Id. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Parley|Dialogue")
	FString PlayerId;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Parley|Dialogue")
	EParleyTier TierOverride = EParleyTier::NpcDefault;

	/** A voice id from the gateway (e.g. "female-warm"); empty: the catalog's voice for this NPC. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Parley|Dialogue")
	FString VoiceOverride;

	/** Reveal each sentence's subtitle when its audio starts (off: as soon as the text arrives). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Parley|Dialogue")
	bool bSyncSubtitlesToAudio = true;

	/** Spatializes the voice; none: the voice plays 2D. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Audio")
	TObjectPtr<USoundAttenuation> VoiceAttenuation;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Audio")
	TObjectPtr<USoundClass> VoiceSoundClass;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Audio", meta = (ClampMin = "0.0", ClampMax = "4.0"))
	float VoiceVolume = 1.f;

	// ── state ──

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	EParleyConnectionState ConnectionState = EParleyConnectionState::Disconnected;

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	bool bSpeaking = false;

	/** The current reply's subtitle so far. */
	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	FString Subtitle;

	/** Empty when no turn is in flight. */
	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	FString CurrentTurnId;

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	FName Emotion;

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	float EmotionIntensity = 0.f;

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	FParleyRelationship Relationship;

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	FParleyTurnResult LastTurn;

	// ── events (the component comes first, so one handler can serve many NPCs) ──

	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleySubtitleSignature OnSubtitle;

	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleyEmotionSignature OnEmotion;

	/** After a reply: how the NPC now feels about the player, and the change this turn made. */
	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleyRelationshipSignature OnRelationshipChanged;

	/** Exactly once per Say, when the NPC has finished speaking; carries the latency breakdown. */
	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleyTurnEndedSignature OnTurnEnded;

	/** Something to show the player or log: a refused line, an overloaded gateway, a dropped connection. */
	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleyErrorSignature OnError;

	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleyNpcConnectionSignature OnConnectionStateChanged;

	/** The voice started or stopped (for talk animations, camera cuts, input). */
	UPROPERTY(BlueprintAssignable, Category = "Parley|Events")
	FParleySpeakingSignature OnSpeakingChanged;

	// ── functions ──

	/** Says the player's line to this NPC. An unfinished reply is cut off first (barge-in). */
	UFUNCTION(BlueprintCallable, BlueprintNativeEvent, Category = "Parley|Dialogue")
	void Say(const FString& Text);

	/** Stops the reply now: the voice stops, the mouth closes, the NPC remembers only what was heard. */
	UFUNCTION(BlueprintCallable, BlueprintNativeEvent, Category = "Parley|Dialogue")
	void Cancel();

	UFUNCTION(BlueprintPure, Category = "Parley|Dialogue")
	EParleyConnectionState GetConnectionState() const { return ConnectionState; }

	UFUNCTION(BlueprintPure, Category = "Parley|Dialogue")
	bool IsSpeaking() const { return bSpeaking; }

	/** The audio component the voice plays on (created at BeginPlay, attached to the actor's root). */
	UFUNCTION(BlueprintPure, Category = "Parley|Audio")
	UAudioComponent* GetVoiceAudio();

	// ── called by the engine into the script, and by the script ──

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyBeginPlay();

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyEndPlay();

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyTick(float DeltaSeconds);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleTurnStarted(const FString& TurnId);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleSubtitle(const FString& Text, const FString& Delta);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleEmotion(FName InEmotion, float Intensity);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleRelationship(const FParleyRelationship& InRelationship, const FParleyRelationship& Change, int32 Conversations);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleError(FName Code, const FString& Message, bool bFatal);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleSpeaking(bool bNowSpeaking);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleTurnEnded(const FParleyTurnResult& Result);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleConnectionState(EParleyConnectionState State);

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type EndPlayReason) override;
	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

private:
	UPROPERTY(Transient)
	TObjectPtr<UAudioComponent> VoiceAudio;

	bool bWarnedNoScript = false;
	void WarnNoScript(const TCHAR* What);
};
