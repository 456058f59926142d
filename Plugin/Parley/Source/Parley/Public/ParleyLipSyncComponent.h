#pragma once

#include "CoreMinimal.h"
#include "ParleyFaceComponent.h"
#include "ParleyLipSyncComponent.generated.h"

class UParleyVisemeMapping;

/**
 * Moves the mouth with the NPC's voice: each frame, the visemes of the reply the actor's
 * Parley Dialogue Manager is playing, at that reply's audio playback position (not wall time),
 * become morph target weights (or animation curves) on the target mesh.
 *
 * Presets: OVR viseme_* morph targets (Ready Player Me and similar rigs), ARKit mouth shapes,
 * MetaHuman through ARKit animation curves, or your own Parley Viseme Mapping asset. Morph
 * targets the mapping names but the mesh lacks are listed once in the log at BeginPlay.
 */
UCLASS(ClassGroup = (Parley), meta = (BlueprintSpawnableComponent, DisplayName = "Parley Lip Sync"))
class PARLEY_API UParleyLipSyncComponent : public UParleyFaceComponent
{
	GENERATED_BODY()

public:
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync")
	EParleyVisemePreset MappingPreset = EParleyVisemePreset::OvrVisemes;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync", meta = (EditCondition = "MappingPreset == EParleyVisemePreset::Custom", EditConditionHides))
	TObjectPtr<UParleyVisemeMapping> CustomMapping;

	/** Mouth movement strength (1 = as mapped). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync", meta = (ClampMin = "0.0", ClampMax = "2.0"))
	float Intensity = 1.f;

	/** How fast a mouth shape comes in (smoothing time constant; 0 = instantly). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync|Smoothing", meta = (ClampMin = "0", ClampMax = "500", Units = "ms"))
	float AttackMs = 40.f;

	/** How fast a mouth shape goes away; also how fast the mouth closes when speech stops. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync|Smoothing", meta = (ClampMin = "0", ClampMax = "1000", Units = "ms"))
	float ReleaseMs = 70.f;

	/** Overlap between neighbouring visemes, as in real speech (0 = hard cuts). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync|Smoothing", meta = (ClampMin = "0", ClampMax = "300", Units = "ms"))
	float CoarticulationMs = 60.f;

	/** Delays the lips to match your audio output latency (negative: earlier). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync|Smoothing", meta = (ClampMin = "-500", ClampMax = "500", Units = "ms"))
	float LatencyCompensationMs = 0.f;
};
