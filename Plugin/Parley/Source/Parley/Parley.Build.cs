// Parley runtime module: the components, settings and subsystem designers use, and the thin
// glue that starts the plugin's TypeScript in a Puerts JS environment. No editor dependency,
// so packaged games load it as is.

using System.IO;
using UnrealBuildTool;

public class Parley : ModuleRules
{
	public Parley(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;

		PublicDependencyModuleNames.AddRange(new string[]
		{
			"Core",
			"CoreUObject",
			"Engine",
			"DeveloperSettings",
			"JsEnv", // Puerts: FJsEnv, FArrayBuffer
		});

		PrivateDependencyModuleNames.AddRange(new string[]
		{
			"Projects", // IPluginManager: where this plugin's Content/JavaScript lives
		});

		// The bundled TypeScript is not a .uasset, so the cooker would not pick it up. Stage it
		// into the pak with the game: packaged builds read it through the pak file system at
		// Plugins/Parley/Content/JavaScript, exactly where the editor reads it.
		RuntimeDependencies.Add(Path.Combine(PluginDirectory, "Content", "JavaScript", "parley", "..."), StagedFileType.UFS);
	}
}
