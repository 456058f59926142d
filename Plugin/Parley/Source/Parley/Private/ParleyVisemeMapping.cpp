#include "ParleyVisemeMapping.h"

#include "ParleyFaceDefaults.h"

#if WITH_EDITOR
void UParleyVisemeMapping::FillFromPreset()
{
	Modify();
	Visemes = ParleyFaceDefaults::VisemePoses(StartFrom);
}
#endif
