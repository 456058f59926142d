#include "ParleySubsystem.h"

#include "Engine/GameInstance.h"
#include "HAL/FileManager.h"
#include "Interfaces/IPluginManager.h"
#include "JsEnv.h"
#include "JSLogger.h"
#include "Misc/Paths.h"
#include "ParleyLog.h"
#include "ParleyScriptLoader.h"
#include "ParleySettings.h"

bool UParleySubsystem::ShouldCreateSubsystem(UObject* Outer) const
{
	// NPC voices and faces are client-side; a dedicated server has nothing to play them on.
	return Super::ShouldCreateSubsystem(Outer) && GetDefault<UParleySettings>()->bEnableParley && !IsRunningDedicatedServer();
}

void UParleySubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
	Super::Initialize(Collection);

	const UParleySettings* Settings = GetDefault<UParleySettings>();
	const TSharedPtr<IPlugin> Plugin = IPluginManager::Get().FindPlugin(TEXT("Parley"));
	if (!Plugin.IsValid())
	{
		UE_LOG(LogParley, Error, TEXT("Parley: the Parley plugin descriptor was not found; NPCs will not talk."));
		return;
	}

	const FString ScriptDir = FPaths::Combine(Plugin->GetContentDir(), TEXT("JavaScript"));
	const FString EntryFile = FPaths::Combine(ScriptDir, Settings->ScriptModule + TEXT(".js"));
	if (!IFileManager::Get().FileExists(*EntryFile))
	{
		UE_LOG(LogParley, Error,
			TEXT("Parley: %s is missing, so NPCs will not talk. Build it with `npm run build:plugin` in the Parley repository; ")
			TEXT("packaged builds stage it automatically (Parley.Build.cs) once it exists. See the Parley README, \"Packaging\"."),
			*EntryFile);
		return;
	}

#if UE_BUILD_SHIPPING
	const int32 DebugPort = -1;
#else
	const int32 DebugPort = Settings->ScriptDebugPort;
#endif

	JsEnv = MakeShared<puerts::FJsEnv>(std::make_shared<FParleyScriptLoader>(ScriptDir), std::make_shared<puerts::FDefaultLogger>(), DebugPort);

	// Read by the script with puerts.argv.getByName(...).
	TArray<TPair<FString, UObject*>> Arguments;
	Arguments.Add(TPair<FString, UObject*>(TEXT("GameInstance"), GetGameInstance()));
	Arguments.Add(TPair<FString, UObject*>(TEXT("Subsystem"), this));
	Arguments.Add(TPair<FString, UObject*>(TEXT("Settings"), GetMutableDefault<UParleySettings>()));
	JsEnv->Start(Settings->ScriptModule, Arguments);

	if (Settings->bVerboseLogging)
	{
		UE_LOG(LogParley, Log, TEXT("Parley: started %s for %s"), *EntryFile, *GetNameSafe(GetGameInstance()));
	}
}

void UParleySubsystem::Deinitialize()
{
	if (JsEnv.IsValid())
	{
		// Lets the script close its connection and release faces while the engine objects still exist.
		ParleyShutdown();
		JsEnv.Reset();
	}
	Super::Deinitialize();
}

void UParleySubsystem::SetAccessToken_Implementation(const FString& Token)
{
	UE_LOG(LogParley, Warning, TEXT("Parley: SetAccessToken ignored, the Parley script is not running."));
}

void UParleySubsystem::Reconnect_Implementation()
{
	UE_LOG(LogParley, Warning, TEXT("Parley: Reconnect ignored, the Parley script is not running."));
}

void UParleySubsystem::ParleyShutdown_Implementation()
{
}

void UParleySubsystem::HandleConnectionState(EParleyConnectionState State, const FString& Detail)
{
	ConnectionDetail = Detail;
	if (State == ConnectionState)
	{
		return;
	}
	ConnectionState = State;
	OnConnectionStateChanged.Broadcast(State, Detail);
}
