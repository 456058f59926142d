#include "ParleyFaceDefaults.h"

#include "ParleyFaceDefaults.inl"

namespace ParleyFaceDefaults
{
	TMap<FName, FParleyFacePose> EmotionPresets()
	{
		TMap<FName, FParleyFacePose> Presets;
		for (const TCHAR* Name : GParleyEmotionNames)
		{
			Presets.Add(FName(Name));
		}
		for (const FParleyDefaultWeight& Row : GParleyEmotionWeights)
		{
			Presets.FindOrAdd(FName(Row.Pose)).Curves.Add(FName(Row.Curve), Row.Weight);
		}
		return Presets;
	}

	TMap<EParleyViseme, FParleyFacePose> VisemePoses(EParleyVisemePreset Preset)
	{
		const bool bArkit = Preset == EParleyVisemePreset::ArkitMouth || Preset == EParleyVisemePreset::MetaHumanArkit;
		TMap<EParleyViseme, FParleyFacePose> Poses;
		for (uint8 Viseme = 0; Viseme <= static_cast<uint8>(EParleyViseme::Ou); ++Viseme)
		{
			Poses.Add(static_cast<EParleyViseme>(Viseme));
		}
		auto AddRows = [&Poses](const auto& Rows)
		{
			for (const FParleyDefaultVisemeWeight& Row : Rows)
			{
				Poses.FindChecked(static_cast<EParleyViseme>(Row.Viseme)).Curves.Add(FName(Row.Curve), Row.Weight);
			}
		};
		if (bArkit)
		{
			AddRows(GParleyArkitVisemeWeights);
		}
		else
		{
			AddRows(GParleyOvrVisemeWeights);
		}
		return Poses;
	}
}
