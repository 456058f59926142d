/** PCM16 little-endian helpers shared by worker, gateway and clients. */

/** Bytes (PCM16 LE) → samples. Copies when the view is unaligned. */
export function pcmBytesToInt16(bytes: Uint8Array): Int16Array {
  const n = bytes.byteLength >> 1;
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, n);
  const copy = new Uint8Array(n * 2); // Buffer#slice would share the pool, so copy explicitly
  copy.set(bytes.subarray(0, n * 2));
  return new Int16Array(copy.buffer);
}

/** Samples → bytes view (no copy). Assumes a little-endian host, as every supported platform is. */
export function int16ToPcmBytes(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

/** Root mean square of PCM16 samples, 0..1. */
export function rms(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += (pcm[i]! / 32768) ** 2;
  return Math.sqrt(sum / pcm.length);
}

export const pcmDurationMs = (samples: number, rate: number): number => (samples / rate) * 1000;
