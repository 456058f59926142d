#include "ParleyProceduralSound.h"

#include "Sound/SoundGroups.h"
#include "UObject/Package.h"

UParleyProceduralSound::UParleyProceduralSound(const FObjectInitializer& ObjectInitializer)
	: Super(ObjectInitializer)
{
	NumChannels = 1;
	Duration = INDEFINITELY_LOOPING_DURATION;
	SoundGroup = SOUNDGROUP_Voice;
	bLooping = false;
}

UParleyProceduralSound* UParleyProceduralSound::CreateParleySound(UObject* Outer, int32 SampleRate)
{
	UParleyProceduralSound* Sound = NewObject<UParleyProceduralSound>(Outer ? Outer : GetTransientPackage());
	Sound->SetSampleRate(static_cast<uint32>(FMath::Clamp(SampleRate, 8000, 96000)));
	return Sound;
}

void UParleyProceduralSound::QueuePcm16(const FArrayBuffer& Pcm)
{
	if (!Pcm.Data || Pcm.Length < 2)
	{
		return;
	}
	// Whole samples only; one reply chunk is far below 2 GiB.
	const int32 Bytes = static_cast<int32>(FMath::Min<uint64>(Pcm.Length, MAX_int32)) & ~1;
	QueueAudio(static_cast<const uint8*>(Pcm.Data), Bytes);
	QueuedBytes += Bytes;
}

void UParleyProceduralSound::ResetPlayback()
{
	ResetAudio();
	QueuedBytes = 0;
}

int32 UParleyProceduralSound::GetSamplesPlayed()
{
	// Queued minus still waiting = handed to the mixer. The mixer decrements concurrently, so clamp.
	const int64 Waiting = GetAvailableAudioByteCount();
	return static_cast<int32>(FMath::Max<int64>(0, QueuedBytes - Waiting) / 2);
}
