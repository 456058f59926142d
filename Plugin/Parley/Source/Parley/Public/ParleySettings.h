#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"
#include "ParleyTypes.h"
#include "ParleySettings.generated.h"

/**
 * Project Settings > Plugins > Parley, saved in Config/DefaultGame.ini.
 *
 * The access token is saved with the project and shipped with the game: use it for development
 * only. In a shipped game, get a per-player token from your backend and hand it over at run
 * time with Parley Subsystem > Set Access Token.
 */
UCLASS(Config = Game, DefaultConfig, meta = (DisplayName = "Parley"))
class PARLEY_API UParleySettings : public UDeveloperSettings
{
	GENERATED_BODY()

public:
	virtual FName GetCategoryName() const override { return TEXT("Plugins"); }

	/** Start Parley's script with each game instance. Off: the components stay silent. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|General")
	bool bEnableParley = true;

	/** The gateway's WebSocket endpoint: ws://host:port/v1/ws (wss:// behind TLS). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Connection", meta = (DisplayName = "Gateway URL"))
	FString GatewayUrl = TEXT("ws://127.0.0.1:8787/v1/ws");

	/** A key from the gateway's PARLEY_API_KEYS (or the development token `npm start` prints). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Connection", meta = (PasswordField = true))
	FString AccessToken;

	/** Connect when the game starts (off: on the first Say). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Connection")
	bool bConnectOnStart = true;

	/** Time for one connection attempt; also how long a Say waits for a connection before it fails. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Connection", meta = (ClampMin = "1", ClampMax = "120", Units = "s"))
	float ConnectTimeoutSeconds = 10.f;

	/** Tier for NPCs whose Tier Override is "NPC Default" (NPC Default here: the gateway catalog's tier). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Dialogue")
	EParleyTier DefaultTier = EParleyTier::NpcDefault;

	/** Player id sent with each line when a DialogueManager has none: NPCs remember players by it. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Dialogue")
	FString DefaultPlayerId = TEXT("player");

	/** Redial with backoff after the network or the gateway goes away. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Reconnect")
	bool bAutoReconnect = true;

	/** First reconnect delay; doubles per failed attempt (half fixed, half random). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Reconnect", meta = (ClampMin = "0.05", ClampMax = "60", Units = "s", EditCondition = "bAutoReconnect"))
	float ReconnectInitialDelaySeconds = 0.5f;

	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Reconnect", meta = (ClampMin = "0.1", ClampMax = "600", Units = "s", EditCondition = "bAutoReconnect"))
	float ReconnectMaxDelaySeconds = 15.f;

	/** Attempts after a drop before giving up (state Failed); 0 = keep trying. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Reconnect", meta = (ClampMin = "0", EditCondition = "bAutoReconnect"))
	int32 MaxReconnectAttempts = 0;

	/** Speech buffered before the voice starts; more rides out network jitter, less starts sooner. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Audio", meta = (ClampMin = "0", ClampMax = "2000", Units = "ms"))
	float AudioPrebufferMs = 120.f;

	/** Log connection details and script diagnostics to LogParley / LogPuerts. */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Scripting")
	bool bVerboseLogging = false;

	/** Entry module under Plugins/Parley/Content/JavaScript (built by `npm run build:plugin`). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Scripting", AdvancedDisplay)
	FString ScriptModule = TEXT("parley/parley-main");

	/** V8 inspector port for debugging the script in development builds (-1: off; ignored in Shipping). */
	UPROPERTY(Config, EditAnywhere, BlueprintReadOnly, Category = "Parley|Scripting", AdvancedDisplay, meta = (ClampMin = "-1", ClampMax = "65535"))
	int32 ScriptDebugPort = -1;
};
