#pragma once

#include "CoreMinimal.h"
#include "Engine/DataAsset.h"
#include "ParleyTypes.h"
#include "ParleyVisemeMapping.generated.h"

/**
 * Which morph targets (or curves) each viseme drives, for rigs the presets do not fit.
 * Create one (Miscellaneous > Data Asset > Parley Viseme Mapping), press "Fill From Preset" to
 * start from a preset, rename or reweight the targets, and pick it on Parley Lip Sync with
 * Mapping Preset = Custom. Visemes without an entry keep the mouth at rest.
 */
UCLASS(BlueprintType)
class PARLEY_API UParleyVisemeMapping : public UPrimaryDataAsset
{
	GENERATED_BODY()

public:
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|LipSync")
	TMap<EParleyViseme, FParleyFacePose> Visemes;

#if WITH_EDITORONLY_DATA
	/** The preset "Fill From Preset" copies. */
	UPROPERTY(EditAnywhere, Category = "Parley|LipSync")
	EParleyVisemePreset StartFrom = EParleyVisemePreset::OvrVisemes;
#endif

#if WITH_EDITOR
	/** Replaces the table with the chosen preset's values. */
	UFUNCTION(CallInEditor, Category = "Parley|LipSync")
	void FillFromPreset();
#endif
};
