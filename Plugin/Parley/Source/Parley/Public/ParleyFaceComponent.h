#pragma once

#include "CoreMinimal.h"
#include "Components/ActorComponent.h"
#include "Engine/EngineTypes.h"
#include "ParleyTypes.h"
#include "ParleyFaceComponent.generated.h"

class USkeletalMeshComponent;

/**
 * What the Parley face components share: the skeletal mesh they drive and where their weights
 * go (morph targets, or animation curves for a face Animation Blueprint). When both Lip Sync
 * and Expression drive one face, Parley layers them (lips over expression) and writes once.
 */
UCLASS(Abstract, ClassGroup = (Parley))
class PARLEY_API UParleyFaceComponent : public UActorComponent
{
	GENERATED_BODY()

public:
	UParleyFaceComponent();

	/** The face mesh. Empty: a component named "Face" (MetaHuman), else the first skeletal mesh with morph targets. */
	UPROPERTY(EditAnywhere, Category = "Parley|Face", meta = (UseComponentPicker, AllowedClasses = "/Script/Engine.SkeletalMeshComponent"))
	FComponentReference TargetMesh;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "Parley|Face")
	EParleyFaceOutput Output = EParleyFaceOutput::MorphTargets;

	/** With Output = Anim Curves: the face weights for the Animation Blueprint (see Get Parley Face Curves). */
	UPROPERTY(VisibleInstanceOnly, BlueprintReadOnly, Transient, Category = "Parley|State")
	TMap<FName, float> FaceCurves;

	/** Drives another mesh from now on (e.g. after swapping the character's head). */
	UFUNCTION(BlueprintCallable, Category = "Parley|Face")
	void SetTargetMesh(USkeletalMeshComponent* NewTarget);

	UFUNCTION(BlueprintPure, Category = "Parley|Face")
	USkeletalMeshComponent* GetTargetMesh() const { return ResolvedMesh; }

	UFUNCTION(BlueprintPure, Category = "Parley|Face")
	TMap<FName, float> GetFaceCurves() const { return FaceCurves; }

	// ── called by the engine into the script, and by the script ──

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyBeginPlay();

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyEndPlay();

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyTick(float DeltaSeconds);

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void SetFaceCurve(FName CurveName, float Value);

protected:
	virtual void BeginPlay() override;
	virtual void EndPlay(const EEndPlayReason::Type EndPlayReason) override;
	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

private:
	UPROPERTY(Transient)
	TObjectPtr<USkeletalMeshComponent> ResolvedMesh;

	void ResolveTargetMesh();
};
