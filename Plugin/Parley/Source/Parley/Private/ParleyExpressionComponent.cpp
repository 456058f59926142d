#include "ParleyExpressionComponent.h"

#include "ParleyFaceDefaults.h"
#include "ParleyLog.h"

UParleyExpressionComponent::UParleyExpressionComponent()
{
	EmotionPresets = ParleyFaceDefaults::EmotionPresets();
}

void UParleyExpressionComponent::ResetPresetsToDefaults()
{
	Modify();
	EmotionPresets = ParleyFaceDefaults::EmotionPresets();
}

void UParleyExpressionComponent::SetEmotion_Implementation(FName InEmotion, float Intensity)
{
	UE_LOG(LogParley, Warning, TEXT("Parley: SetEmotion on %s did nothing: the Parley script is not running."), *GetNameSafe(GetOwner()));
}

void UParleyExpressionComponent::HandleEmotionChanged(FName InEmotion, float Intensity)
{
	CurrentEmotion = InEmotion;
	CurrentIntensity = Intensity;
}
