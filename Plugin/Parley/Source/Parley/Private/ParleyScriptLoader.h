#pragma once

#include "CoreMinimal.h"
#include "JSModuleLoader.h"

/**
 * Finds Parley's modules in Plugins/Parley/Content/JavaScript first, then wherever Puerts
 * looks by default (the project's Content/JavaScript, where Puerts keeps its own bootstrap
 * scripts). The plugin's script never lands in, or collides with, the game's script folder.
 */
class FParleyScriptLoader : public puerts::DefaultJSModuleLoader
{
public:
	explicit FParleyScriptLoader(const FString& InParleyScriptDir)
		: DefaultJSModuleLoader(TEXT("JavaScript"))
		, ParleyScriptDir(InParleyScriptDir)
	{
	}

	virtual bool Search(const FString& RequiredDir, const FString& RequiredModule, FString& Path, FString& AbsolutePath) override
	{
		return SearchModuleInDir(ParleyScriptDir, RequiredModule, Path, AbsolutePath)
			|| DefaultJSModuleLoader::Search(RequiredDir, RequiredModule, Path, AbsolutePath);
	}

private:
	FString ParleyScriptDir;
};
