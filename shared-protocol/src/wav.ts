/**
 * Minimal RIFF/WAVE (PCM16) encode/decode.
 * The 44-byte header is written by hand: it is a fixed little-endian layout, so a dependency
 * would add nothing.
 */

const HEADER_BYTES = 44;

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  /** Interleaved PCM16 samples (frames × channels). */
  pcm: Int16Array;
}

/** PCM16 mono samples → a complete .wav file (RIFF/WAVE, 44-byte header). */
export function encodeWav(pcm: Int16Array, sampleRate: number): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`encodeWav: invalid sample rate ${sampleRate}`);
  const dataBytes = pcm.length * 2;
  const out = new Uint8Array(HEADER_BYTES + dataBytes);
  const dv = new DataView(out.buffer);
  const ascii = (offset: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  dv.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  dv.setUint32(16, 16, true); // fmt chunk size
  dv.setUint16(20, 1, true); // audio format: PCM
  dv.setUint16(22, 1, true); // channels
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * 2, true); // byte rate
  dv.setUint16(32, 2, true); // block align
  dv.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  dv.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) dv.setInt16(HEADER_BYTES + i * 2, pcm[i]!, true);
  return out;
}

/**
 * Parses a PCM16 .wav file. Walks the chunk list (so LIST/fact chunks before `data` are
 * skipped) and throws an Error naming the problem for anything that is not well-formed
 * 16-bit integer PCM.
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const fail = (why: string): never => {
    throw new Error(`decodeWav: ${why}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('input is not a Uint8Array');
  if (bytes.length < 12) fail(`too short for a RIFF header (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string => String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
  if (tag(0) !== 'RIFF') fail('missing "RIFF" signature');
  if (tag(8) !== 'WAVE') fail('missing "WAVE" form type');
  const riffEnd = dv.getUint32(4, true) + 8;
  if (riffEnd > bytes.length) fail(`RIFF size ${riffEnd - 8} exceeds the ${bytes.length - 8} bytes present`);

  let fmt: { channels: number; sampleRate: number } | undefined;
  let offset = 12;
  while (offset + 8 <= riffEnd) {
    const id = tag(offset);
    const size = dv.getUint32(offset + 4, true);
    const body = offset + 8;
    if (body + size > riffEnd) fail(`chunk "${id}" (${size} bytes) runs past the end of the file`);
    if (id === 'fmt ') {
      if (size < 16) fail(`fmt chunk too short (${size} bytes)`);
      const format = dv.getUint16(body, true);
      const channels = dv.getUint16(body + 2, true);
      const sampleRate = dv.getUint32(body + 4, true);
      const byteRate = dv.getUint32(body + 8, true);
      const blockAlign = dv.getUint16(body + 12, true);
      const bits = dv.getUint16(body + 14, true);
      if (format !== 1) fail(`unsupported audio format ${format} (only 1 = integer PCM)`);
      if (bits !== 16) fail(`unsupported bits per sample ${bits} (only 16)`);
      if (channels < 1) fail('channel count is 0');
      if (sampleRate < 1) fail('sample rate is 0');
      if (blockAlign !== channels * 2) fail(`block align ${blockAlign} does not match ${channels} channel(s) × 2 bytes`);
      if (byteRate !== sampleRate * blockAlign) fail(`byte rate ${byteRate} does not match sample rate × block align`);
      fmt = { channels, sampleRate };
    } else if (id === 'data') {
      if (!fmt) fail('"data" chunk before "fmt " chunk');
      const f = fmt!;
      if (size % (f.channels * 2) !== 0) fail(`data size ${size} is not a whole number of ${f.channels}-channel PCM16 frames`);
      const pcm = new Int16Array(size / 2);
      for (let i = 0; i < pcm.length; i++) pcm[i] = dv.getInt16(body + i * 2, true);
      return { sampleRate: f.sampleRate, channels: f.channels, pcm };
    }
    offset = body + size + (size & 1); // chunks are padded to even sizes
  }
  return fail(fmt ? 'no "data" chunk' : 'no "fmt " chunk');
}
