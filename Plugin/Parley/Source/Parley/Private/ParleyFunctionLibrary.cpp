#include "ParleyFunctionLibrary.h"

#include "Components/SkeletalMeshComponent.h"
#include "Engine/Engine.h"
#include "Engine/GameInstance.h"
#include "Engine/SkeletalMesh.h"
#include "Engine/World.h"
#include "GameFramework/Actor.h"
#include "ParleyFaceComponent.h"
#include "ParleySubsystem.h"

TMap<FName, float> UParleyFunctionLibrary::GetParleyFaceCurves(const AActor* Actor)
{
	TMap<FName, float> Curves;
	if (!Actor)
	{
		return Curves;
	}
	// One face is written through one component; merging covers whichever began play first.
	TArray<UParleyFaceComponent*> FaceComponents;
	Actor->GetComponents(FaceComponents);
	for (const UParleyFaceComponent* Face : FaceComponents)
	{
		Curves.Append(Face->FaceCurves);
	}
	return Curves;
}

USkeletalMeshComponent* UParleyFunctionLibrary::FindFaceMesh(const AActor* Actor)
{
	if (!Actor)
	{
		return nullptr;
	}
	TArray<USkeletalMeshComponent*> Meshes;
	Actor->GetComponents(Meshes);
	for (USkeletalMeshComponent* Mesh : Meshes)
	{
		if (Mesh->GetFName() == TEXT("Face"))
		{
			return Mesh;
		}
	}
	for (USkeletalMeshComponent* Mesh : Meshes)
	{
		const USkeletalMesh* Asset = Mesh->GetSkeletalMeshAsset();
		if (Asset && Asset->K2_GetAllMorphTargetNames().Num() > 0)
		{
			return Mesh;
		}
	}
	return Meshes.Num() > 0 ? Meshes[0] : nullptr;
}

UParleySubsystem* UParleyFunctionLibrary::GetParleySubsystem(const UObject* WorldContextObject)
{
	const UWorld* World = GEngine ? GEngine->GetWorldFromContextObject(WorldContextObject, EGetWorldErrorMode::LogAndReturnNull) : nullptr;
	const UGameInstance* GameInstance = World ? World->GetGameInstance() : nullptr;
	return GameInstance ? GameInstance->GetSubsystem<UParleySubsystem>() : nullptr;
}
