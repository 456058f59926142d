#pragma once

#include "CoreMinimal.h"
#include "ArrayBuffer.h"
#include "Sound/SoundWaveProcedural.h"
#include "ParleyProceduralSound.generated.h"

/**
 * A streamed NPC voice: 16-bit mono PCM queued from script, played by an audio component.
 *
 * USoundWaveProcedural::QueueAudio is not reflected, so scripts cannot call it; QueuePcm16
 * takes the bytes as FArrayBuffer, which Puerts fills straight from a JS ArrayBuffer (no
 * per-sample conversion). GetSamplesPlayed is the playback clock lip sync follows: samples the
 * audio mixer has taken from the queue.
 */
UCLASS(BlueprintType)
class PARLEY_API UParleyProceduralSound : public USoundWaveProcedural
{
	GENERATED_BODY()

public:
	UParleyProceduralSound(const FObjectInitializer& ObjectInitializer);

	/** A voice sound at this sample rate (8000..96000 Hz), owned by Outer. */
	UFUNCTION(BlueprintCallable, Category = "Parley|Audio", meta = (DefaultToSelf = "Outer"))
	static UParleyProceduralSound* CreateParleySound(UObject* Outer, int32 SampleRate);

	/** Appends PCM16 little-endian mono samples (the bytes are copied). */
	UFUNCTION(BlueprintCallable, Category = "Parley|Audio")
	void QueuePcm16(const FArrayBuffer& Pcm);

	/** Drops queued audio and restarts the sample count (a new reply, or a cancel). */
	UFUNCTION(BlueprintCallable, Category = "Parley|Audio")
	void ResetPlayback();

	/** Samples the audio mixer has consumed since the last reset. */
	UFUNCTION(BlueprintPure, Category = "Parley|Audio")
	int32 GetSamplesPlayed();

	/** Samples queued since the last reset. */
	UFUNCTION(BlueprintPure, Category = "Parley|Audio")
	int32 GetSamplesQueued() const { return static_cast<int32>(QueuedBytes / 2); }

private:
	/** Bytes queued since the last reset (game thread only); the mixer's side is the base class's atomic count. */
	int64 QueuedBytes = 0;
};
