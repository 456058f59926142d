#pragma once

#include "CoreMinimal.h"
#include "ParleyFaceComponent.h"
#include "ParleyExpressionComponent.generated.h"

/**
 * Shows the NPC's emotion on its face: each emotion from the actor's Parley Dialogue Manager
 * blends in as an ARKit-52 preset, holds while the NPC talks, then relaxes back to neutral.
 * Layered under Parley Lip Sync on the same mesh (speech scales mouth expressions down rather
 * than fighting them). Blinks on its own.
 */
UCLASS(ClassGroup = (Parley), meta = (BlueprintSpawnableComponent, DisplayName = "Parley Expression"))
class PARLEY_API UParleyExpressionComponent : public UParleyFaceComponent
{
	GENERATED_BODY()

public:
	UParleyExpressionComponent();

	/** Emotion label → face pose (ARKit-52 names by default). Labels without an entry show as neutral. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression")
	TMap<FName, FParleyFacePose> EmotionPresets;

	/** Overall expression strength (1 = presets as authored). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression", meta = (ClampMin = "0.0", ClampMax = "2.0"))
	float Strength = 1.f;

	/** Time to blend from one emotion to the next. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression", meta = (ClampMin = "0", ClampMax = "10", Units = "s"))
	float BlendTime = 0.35f;

	/** How long the emotion stays after the NPC stops talking. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression", meta = (ClampMin = "0", ClampMax = "60", Units = "s"))
	float HoldTime = 1.5f;

	/** Time to relax back to neutral after the hold. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression", meta = (ClampMin = "0", ClampMax = "30", Units = "s"))
	float DecayTime = 2.f;

	/** While speaking, mouth expressions are scaled by (1 − lip activity × this): 0 keeps them, 1 lets the lips win. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression", meta = (ClampMin = "0.0", ClampMax = "1.0"))
	float MouthSuppression = 0.7f;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression|Blinks")
	bool bAutoBlink = true;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression|Blinks", meta = (ClampMin = "0.2", ClampMax = "30", Units = "s", EditCondition = "bAutoBlink"))
	float BlinkIntervalMin = 2.5f;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression|Blinks", meta = (ClampMin = "0.2", ClampMax = "60", Units = "s", EditCondition = "bAutoBlink"))
	float BlinkIntervalMax = 6.f;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Expression|Blinks", meta = (ClampMin = "0.05", ClampMax = "1", Units = "s", EditCondition = "bAutoBlink"))
	float BlinkDuration = 0.18f;

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	FName CurrentEmotion = TEXT("neutral");

	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	float CurrentIntensity = 0.f;

	/** Shows an emotion (0..1) until the next one, e.g. to audition presets; ("neutral", 0) clears it. */
	UFUNCTION(BlueprintCallable, BlueprintNativeEvent, Category = "Parley|Expression")
	void SetEmotion(FName InEmotion, float Intensity);

	/** Restores the built-in presets (the same tables the plugin's TypeScript uses). */
	UFUNCTION(BlueprintCallable, CallInEditor, Category = "Parley|Expression")
	void ResetPresetsToDefaults();

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleEmotionChanged(FName InEmotion, float Intensity);
};
