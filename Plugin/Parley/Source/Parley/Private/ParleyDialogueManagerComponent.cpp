#include "ParleyDialogueManagerComponent.h"

#include "Components/AudioComponent.h"
#include "GameFramework/Actor.h"
#include "ParleyLog.h"

UParleyDialogueManagerComponent::UParleyDialogueManagerComponent()
{
	PrimaryComponentTick.bCanEverTick = true;
	PrimaryComponentTick.bStartWithTickEnabled = true;
	// Feeds audio and ends turns; lip sync reads the playback position on its own tick.
	PrimaryComponentTick.TickGroup = TG_PrePhysics;
}

void UParleyDialogueManagerComponent::BeginPlay()
{
	Super::BeginPlay();
	GetVoiceAudio();
	ParleyBeginPlay();
}

void UParleyDialogueManagerComponent::EndPlay(const EEndPlayReason::Type EndPlayReason)
{
	ParleyEndPlay();
	if (VoiceAudio)
	{
		VoiceAudio->Stop();
		VoiceAudio->DestroyComponent();
		VoiceAudio = nullptr;
	}
	Super::EndPlay(EndPlayReason);
}

void UParleyDialogueManagerComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	ParleyTick(DeltaTime);
}

UAudioComponent* UParleyDialogueManagerComponent::GetVoiceAudio()
{
	if (!VoiceAudio)
	{
		AActor* Owner = GetOwner();
		VoiceAudio = NewObject<UAudioComponent>(Owner ? static_cast<UObject*>(Owner) : this, TEXT("ParleyVoiceAudio"));
		VoiceAudio->bAutoActivate = false;
		VoiceAudio->bAutoDestroy = false;
		VoiceAudio->bAllowSpatialization = VoiceAttenuation != nullptr;
		VoiceAudio->AttenuationSettings = VoiceAttenuation;
		VoiceAudio->SoundClassOverride = VoiceSoundClass;
		VoiceAudio->SetVolumeMultiplier(VoiceVolume);
		if (Owner && Owner->GetRootComponent())
		{
			VoiceAudio->SetupAttachment(Owner->GetRootComponent());
		}
		VoiceAudio->RegisterComponent();
	}
	return VoiceAudio;
}

void UParleyDialogueManagerComponent::WarnNoScript(const TCHAR* What)
{
	if (bWarnedNoScript)
	{
		return;
	}
	bWarnedNoScript = true;
	UE_LOG(LogParley, Warning, TEXT("Parley: %s on %s did nothing: the Parley script is not running (look for LogParley / LogPuerts errors at startup)."),
		What, *GetNameSafe(GetOwner()));
}

void UParleyDialogueManagerComponent::Say_Implementation(const FString& Text)
{
	WarnNoScript(TEXT("Say"));
}

void UParleyDialogueManagerComponent::Cancel_Implementation()
{
	WarnNoScript(TEXT("Cancel"));
}

void UParleyDialogueManagerComponent::ParleyBeginPlay_Implementation()
{
	WarnNoScript(TEXT("BeginPlay"));
}

void UParleyDialogueManagerComponent::ParleyEndPlay_Implementation()
{
}

void UParleyDialogueManagerComponent::ParleyTick_Implementation(float DeltaSeconds)
{
}

void UParleyDialogueManagerComponent::HandleTurnStarted(const FString& TurnId)
{
	CurrentTurnId = TurnId;
	Subtitle.Empty();
}

void UParleyDialogueManagerComponent::HandleSubtitle(const FString& Text, const FString& Delta)
{
	Subtitle = Text;
	OnSubtitle.Broadcast(this, Text, Delta);
}

void UParleyDialogueManagerComponent::HandleEmotion(FName InEmotion, float Intensity)
{
	Emotion = InEmotion;
	EmotionIntensity = Intensity;
	OnEmotion.Broadcast(this, InEmotion, Intensity);
}

void UParleyDialogueManagerComponent::HandleRelationship(const FParleyRelationship& InRelationship, const FParleyRelationship& Change, int32 Conversations)
{
	Relationship = InRelationship;
	OnRelationshipChanged.Broadcast(this, InRelationship, Change, Conversations);
}

void UParleyDialogueManagerComponent::HandleError(FName Code, const FString& Message, bool bFatal)
{
	UE_LOG(LogParley, Warning, TEXT("Parley: %s on %s: %s"), *Code.ToString(), *GetNameSafe(GetOwner()), *Message);
	OnError.Broadcast(this, Code, Message, bFatal);
}

void UParleyDialogueManagerComponent::HandleSpeaking(bool bNowSpeaking)
{
	if (bNowSpeaking == bSpeaking)
	{
		return;
	}
	bSpeaking = bNowSpeaking;
	OnSpeakingChanged.Broadcast(this, bNowSpeaking);
}

void UParleyDialogueManagerComponent::HandleTurnEnded(const FParleyTurnResult& Result)
{
	LastTurn = Result;
	CurrentTurnId.Empty();
	OnTurnEnded.Broadcast(this, Result);
}

void UParleyDialogueManagerComponent::HandleConnectionState(EParleyConnectionState State)
{
	if (State == ConnectionState)
	{
		return;
	}
	ConnectionState = State;
	OnConnectionStateChanged.Broadcast(this, State);
}
