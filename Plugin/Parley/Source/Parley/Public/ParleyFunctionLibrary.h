#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintFunctionLibrary.h"
#include "ParleyFunctionLibrary.generated.h"

class AActor;
class USkeletalMeshComponent;
class UParleySubsystem;

UCLASS()
class PARLEY_API UParleyFunctionLibrary : public UBlueprintFunctionLibrary
{
	GENERATED_BODY()

public:
	/**
	 * The face weights Parley computed for this actor, for a face Animation Blueprint: in its
	 * Event Graph call this with the owning actor and feed the result to a Modify Curve node
	 * (Curve Map input) before the ARKit mapping pose (MetaHuman: mh_arkit_mapping_pose).
	 * Needs Output = Anim Curves on the Parley face components.
	 */
	UFUNCTION(BlueprintPure, Category = "Parley|Face", meta = (DefaultToSelf = "Actor"))
	static TMap<FName, float> GetParleyFaceCurves(const AActor* Actor);

	/** The mesh Parley drives when Target Mesh is empty: "Face" (MetaHuman), else the first skeletal mesh with morph targets, else the first skeletal mesh. */
	UFUNCTION(BlueprintPure, Category = "Parley|Face")
	static USkeletalMeshComponent* FindFaceMesh(const AActor* Actor);

	UFUNCTION(BlueprintPure, Category = "Parley", meta = (WorldContext = "WorldContextObject"))
	static UParleySubsystem* GetParleySubsystem(const UObject* WorldContextObject);
};
