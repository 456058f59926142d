#pragma once

#include "CoreMinimal.h"
#include "ParleyTypes.h"

/** One row of the generated defaults tables (ParleyFaceDefaults.inl). */
struct FParleyDefaultWeight
{
	const TCHAR* Pose;
	const TCHAR* Curve;
	float Weight;
};

struct FParleyDefaultVisemeWeight
{
	uint8 Viseme;
	const TCHAR* Curve;
	float Weight;
};

/**
 * Built-in face presets, generated from the plugin's TypeScript tables so the editor shows
 * designers the values the runtime uses.
 */
namespace ParleyFaceDefaults
{
	/** Emotion label → ARKit-52 pose. */
	TMap<FName, FParleyFacePose> EmotionPresets();

	/** Viseme → pose for a preset (Custom gives the OVR viseme_* names as a starting point). */
	TMap<EParleyViseme, FParleyFacePose> VisemePoses(EParleyVisemePreset Preset);
}
