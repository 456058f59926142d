#pragma once

#include "CoreMinimal.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "ParleyTypes.h"
#include "ParleySubsystem.generated.h"

namespace puerts
{
class FJsEnv;
}

DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FParleyConnectionChangedSignature, EParleyConnectionState, State, const FString&, Detail);

/**
 * Runs Parley for one game instance: owns a Puerts JS environment and starts the plugin's
 * TypeScript (Plugins/Parley/Content/JavaScript/parley/parley-main.js), which attaches the
 * behaviour of the Parley components and keeps one connection to the gateway for every NPC.
 *
 * Parley's environment is its own: it does not touch a game's Puerts environment or scripts.
 */
UCLASS()
class PARLEY_API UParleySubsystem : public UGameInstanceSubsystem
{
	GENERATED_BODY()

public:
	virtual bool ShouldCreateSubsystem(UObject* Outer) const override;
	virtual void Initialize(FSubsystemCollectionBase& Collection) override;
	virtual void Deinitialize() override;

	UPROPERTY(BlueprintReadOnly, Transient, Category = "Parley|Connection")
	EParleyConnectionState ConnectionState = EParleyConnectionState::Disconnected;

	/** Why the connection is in its state (close code, error message). */
	UPROPERTY(BlueprintReadOnly, Transient, Category = "Parley|Connection")
	FString ConnectionDetail;

	UPROPERTY(BlueprintAssignable, Category = "Parley|Connection")
	FParleyConnectionChangedSignature OnConnectionStateChanged;

	/** Uses this token from now on (e.g. a per-player token from your backend) and reconnects. */
	UFUNCTION(BlueprintCallable, BlueprintNativeEvent, Category = "Parley|Connection")
	void SetAccessToken(const FString& Token);

	/** Drops the connection and dials again now (e.g. from a "Retry" button after Failed). */
	UFUNCTION(BlueprintCallable, BlueprintNativeEvent, Category = "Parley|Connection")
	void Reconnect();

	UFUNCTION(BlueprintPure, Category = "Parley|Connection")
	EParleyConnectionState GetConnectionState() const { return ConnectionState; }

	/** False when the script could not be started (see LogParley at startup). */
	UFUNCTION(BlueprintPure, Category = "Parley|Scripting")
	bool IsScriptRunning() const { return JsEnv.IsValid(); }

	// ── called by the script ──

	UFUNCTION(BlueprintNativeEvent, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void ParleyShutdown();

	UFUNCTION(BlueprintCallable, Category = "Parley|Script", meta = (BlueprintInternalUseOnly = "true"))
	void HandleConnectionState(EParleyConnectionState State, const FString& Detail);

private:
	TSharedPtr<puerts::FJsEnv> JsEnv;
};
