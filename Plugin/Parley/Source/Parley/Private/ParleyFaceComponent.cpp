#include "ParleyFaceComponent.h"

#include "Components/SkeletalMeshComponent.h"
#include "GameFramework/Actor.h"
#include "ParleyFunctionLibrary.h"
#include "ParleyLog.h"

UParleyFaceComponent::UParleyFaceComponent()
{
	PrimaryComponentTick.bCanEverTick = true;
	PrimaryComponentTick.bStartWithTickEnabled = true;
	// Weights must be set before the mesh evaluates its animation this frame (see ResolveTargetMesh).
	PrimaryComponentTick.TickGroup = TG_PrePhysics;
}

void UParleyFaceComponent::BeginPlay()
{
	Super::BeginPlay();
	ResolveTargetMesh();
	ParleyBeginPlay();
}

void UParleyFaceComponent::EndPlay(const EEndPlayReason::Type EndPlayReason)
{
	ParleyEndPlay();
	Super::EndPlay(EndPlayReason);
}

void UParleyFaceComponent::TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction)
{
	Super::TickComponent(DeltaTime, TickType, ThisTickFunction);
	ParleyTick(DeltaTime);
}

void UParleyFaceComponent::ResolveTargetMesh()
{
	AActor* Owner = GetOwner();
	USkeletalMeshComponent* Mesh = Cast<USkeletalMeshComponent>(TargetMesh.GetComponent(Owner));
	if (!Mesh)
	{
		Mesh = UParleyFunctionLibrary::FindFaceMesh(Owner);
	}
	ResolvedMesh = Mesh;
	if (ResolvedMesh)
	{
		ResolvedMesh->AddTickPrerequisiteComponent(this);
	}
}

void UParleyFaceComponent::SetTargetMesh(USkeletalMeshComponent* NewTarget)
{
	if (NewTarget == ResolvedMesh)
	{
		return;
	}
	const bool bRebind = HasBegunPlay();
	if (bRebind)
	{
		ParleyEndPlay();
	}
	if (ResolvedMesh)
	{
		ResolvedMesh->RemoveTickPrerequisiteComponent(this);
	}
	ResolvedMesh = NewTarget;
	if (ResolvedMesh)
	{
		ResolvedMesh->AddTickPrerequisiteComponent(this);
	}
	if (bRebind)
	{
		ParleyBeginPlay();
	}
}

void UParleyFaceComponent::SetFaceCurve(FName CurveName, float Value)
{
	if (Value <= 0.f)
	{
		FaceCurves.Remove(CurveName);
	}
	else
	{
		FaceCurves.Add(CurveName, Value);
	}
}

void UParleyFaceComponent::ParleyBeginPlay_Implementation()
{
	UE_LOG(LogParley, Warning, TEXT("Parley: %s on %s will not move the face: the Parley script is not running (look for LogParley / LogPuerts errors at startup)."),
		*GetName(), *GetNameSafe(GetOwner()));
}

void UParleyFaceComponent::ParleyEndPlay_Implementation()
{
}

void UParleyFaceComponent::ParleyTick_Implementation(float DeltaSeconds)
{
}
