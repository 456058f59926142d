/** Where a turn's speech goes: an engine audio object in the game, a recorder in tests. */
export interface AudioSink {
  /** Prepares playback of one reply at this sample rate (PCM16 mono); the sample count restarts at 0. */
  begin(rate: number): void;
  /** Queues PCM16 little-endian mono bytes; the sink owns the buffer afterwards. */
  queue(pcm: ArrayBuffer): void;
  /** Stops at once and drops whatever is still queued. */
  stop(): void;
  /** Samples the audio device has consumed since begin(): the playback clock. */
  samplesPlayed(): number;
}

/** A buffer that holds exactly these bytes (engines take whole ArrayBuffers, not views). */
export function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  const even = bytes.byteLength & ~1; // PCM16: drop a stray odd byte
  if (bytes.byteOffset === 0 && even === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
  return bytes.slice(0, even).buffer as ArrayBuffer;
}
