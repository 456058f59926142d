#pragma once

#include "CoreMinimal.h"
#include "ParleyTypes.generated.h"

/** Model tier for an NPC's replies. Gold: rich dialogue; Bronze: background NPCs. */
UENUM(BlueprintType)
enum class EParleyTier : uint8
{
	NpcDefault UMETA(DisplayName = "NPC Default", ToolTip = "The tier the gateway's NPC catalog gives this NPC"),
	Gold,
	Silver,
	Bronze,
};

UENUM(BlueprintType)
enum class EParleyConnectionState : uint8
{
	Disconnected,
	Connecting,
	Connected,
	/** The link dropped; Parley is redialling with backoff. */
	Reconnecting,
	/** Parley stopped trying: the token was refused, the URL is wrong, or retries ran out. */
	Failed,
};

UENUM(BlueprintType)
enum class EParleyTurnEndReason : uint8
{
	Completed,
	Cancelled,
	/** Cut short: a server failure, or the connection dropped mid-reply (see ErrorCode). */
	Failed,
	/** Refused before it started, e.g. an unknown NPC id or too many turns at once. */
	Rejected,
};

/** Which names the LipSync component drives for each viseme. */
UENUM(BlueprintType)
enum class EParleyVisemePreset : uint8
{
	OvrVisemes UMETA(DisplayName = "OVR viseme_* morph targets (Ready Player Me)"),
	ArkitMouth UMETA(DisplayName = "ARKit mouth and jaw morph targets"),
	MetaHumanArkit UMETA(DisplayName = "MetaHuman (ARKit animation curves)"),
	Custom UMETA(DisplayName = "Custom mapping asset"),
};

/** Where face weights go. */
UENUM(BlueprintType)
enum class EParleyFaceOutput : uint8
{
	/** SetMorphTarget on the target skeletal mesh. */
	MorphTargets,
	/** The FaceCurves map, read by the face Animation Blueprint (Get Parley Face Curves → Modify Curve). */
	AnimCurves,
};

/** The 15 OVR visemes, in protocol order. */
UENUM(BlueprintType)
enum class EParleyViseme : uint8
{
	Sil UMETA(DisplayName = "sil (silence)"),
	PP UMETA(DisplayName = "PP (p b m)"),
	FF UMETA(DisplayName = "FF (f v)"),
	TH UMETA(DisplayName = "TH (th)"),
	DD UMETA(DisplayName = "DD (t d)"),
	Kk UMETA(DisplayName = "kk (k g)"),
	CH UMETA(DisplayName = "CH (ch j sh)"),
	SS UMETA(DisplayName = "SS (s z)"),
	Nn UMETA(DisplayName = "nn (n l)"),
	RR UMETA(DisplayName = "RR (r)"),
	Aa UMETA(DisplayName = "aa (car)"),
	E UMETA(DisplayName = "E (bed)"),
	Ih UMETA(DisplayName = "ih (tip)"),
	Oh UMETA(DisplayName = "oh (toe)"),
	Ou UMETA(DisplayName = "ou (book)"),
};

/** Where the time of one turn went, in milliseconds; -1 when the stage was never reached. */
USTRUCT(BlueprintType)
struct PARLEY_API FParleyTurnLatency
{
	GENERATED_BODY()

	/** Gateway: until a worker took the turn. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float QueueMs = -1.f;

	/** Gateway: until the first reply text. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float FirstTextMs = -1.f;

	/** Gateway: until the first audio. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float FirstAudioMs = -1.f;

	/** Gateway: until the reply was complete. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float ServerTotalMs = -1.f;

	/** This game: from Say() to the first audio received (network included). */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float ClientFirstAudioMs = -1.f;

	/** This game: from Say() until the voice started playing (after the audio prebuffer). */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float PlaybackStartMs = -1.f;

	/** This game: from Say() until the NPC finished speaking. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Latency")
	float TotalMs = -1.f;
};

USTRUCT(BlueprintType)
struct PARLEY_API FParleyTurnResult
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	FString TurnId;

	/** The reply as received (all of it unless the turn was cut short). */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	FString Text;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	EParleyTurnEndReason Reason = EParleyTurnEndReason::Completed;

	/** Tier that served the reply (gold, silver, bronze, scripted); empty if none did. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	FName Tier;

	/** A lower tier than requested served the turn. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	bool bDegraded = false;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue", meta = (Units = "ms"))
	float AudioMs = 0.f;

	/** Empty when the turn went well; otherwise a protocol code (unknown_npc, overloaded, …) or connection_lost / not_connected. */
	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	FName ErrorCode;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	FString ErrorMessage;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Dialogue")
	FParleyTurnLatency Latency;
};

/** How an NPC feels about the player. Trust, Respect, Affinity: -1..1 (0 neutral); Familiarity: 0 (stranger)..1. */
USTRUCT(BlueprintType)
struct PARLEY_API FParleyRelationship
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Relationship")
	float Trust = 0.f;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Relationship")
	float Respect = 0.f;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Relationship")
	float Familiarity = 0.f;

	UPROPERTY(BlueprintReadOnly, Category = "Parley|Relationship")
	float Affinity = 0.f;
};

/** A face pose: morph target or animation curve name → weight (0..1). */
USTRUCT(BlueprintType)
struct PARLEY_API FParleyFacePose
{
	GENERATED_BODY()

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Parley|Face", meta = (ClampMin = "0.0", ClampMax = "1.0"))
	TMap<FName, float> Curves;
};
