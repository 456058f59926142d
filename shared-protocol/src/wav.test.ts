import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWav, encodeWav } from './wav.js';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** Builds a RIFF file from raw chunks, for malformed/unusual inputs. */
function riff(chunks: Array<[id: string, body: Uint8Array]>, opts: { riffSizeDelta?: number; form?: string } = {}): Uint8Array {
  const parts: number[] = [...ascii(opts.form ?? 'WAVE')];
  for (const [id, body] of chunks) {
    const size = body.length;
    parts.push(...ascii(id), size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, (size >>> 24) & 0xff, ...body);
    if (size & 1) parts.push(0);
  }
  const total = parts.length + (opts.riffSizeDelta ?? 0);
  return new Uint8Array([...ascii('RIFF'), total & 0xff, (total >> 8) & 0xff, (total >> 16) & 0xff, (total >>> 24) & 0xff, ...parts]);
}

function fmtBody(o: { format?: number; channels?: number; rate?: number; byteRate?: number; align?: number; bits?: number } = {}): Uint8Array {
  const channels = o.channels ?? 1;
  const rate = o.rate ?? 16000;
  const align = o.align ?? channels * 2;
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, o.format ?? 1, true);
  dv.setUint16(2, channels, true);
  dv.setUint32(4, rate, true);
  dv.setUint32(8, o.byteRate ?? rate * align, true);
  dv.setUint16(12, align, true);
  dv.setUint16(14, o.bits ?? 16, true);
  return b;
}

describe('encodeWav', () => {
  it('writes a 44-byte canonical PCM16 mono header', () => {
    const wav = encodeWav(new Int16Array([1, -1, 32767, -32768]), 22050);
    expect(wav.length).toBe(44 + 8);
    const dv = new DataView(wav.buffer);
    expect(String.fromCharCode(...wav.subarray(0, 4))).toBe('RIFF');
    expect(dv.getUint32(4, true)).toBe(36 + 8);
    expect(String.fromCharCode(...wav.subarray(8, 16))).toBe('WAVEfmt ');
    expect(dv.getUint16(20, true)).toBe(1);
    expect(dv.getUint16(22, true)).toBe(1);
    expect(dv.getUint32(24, true)).toBe(22050);
    expect(dv.getUint32(28, true)).toBe(44100);
    expect(dv.getUint16(34, true)).toBe(16);
    expect(String.fromCharCode(...wav.subarray(36, 40))).toBe('data');
    expect(dv.getUint32(40, true)).toBe(8);
    expect(dv.getInt16(44 + 6, true)).toBe(-32768);
  });

  it('rejects a bad sample rate', () => {
    expect(() => encodeWav(new Int16Array(1), 0)).toThrow(/sample rate/);
    expect(() => encodeWav(new Int16Array(1), 1.5)).toThrow(/sample rate/);
  });
});

describe('decodeWav', () => {
  it('round-trips any PCM16 mono signal', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 500 }), fc.integer({ min: 8000, max: 96000 }), (samples, rate) => {
        const pcm = Int16Array.from(samples);
        const out = decodeWav(encodeWav(pcm, rate));
        expect(out.sampleRate).toBe(rate);
        expect(out.channels).toBe(1);
        expect(Array.from(out.pcm)).toEqual(samples);
      }),
    );
  });

  it('decodes from an unaligned view', () => {
    const wav = encodeWav(new Int16Array([5, -7, 300]), 8000);
    const shifted = new Uint8Array(wav.length + 1);
    shifted.set(wav, 1);
    expect(Array.from(decodeWav(shifted.subarray(1)).pcm)).toEqual([5, -7, 300]);
  });

  it('skips unknown chunks, honours odd-size padding, reads stereo', () => {
    const data = new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0]);
    const wav = riff([
      ['LIST', new Uint8Array([1, 2, 3])],
      ['fmt ', fmtBody({ channels: 2, rate: 44100 })],
      ['data', data],
    ]);
    expect(decodeWav(wav)).toEqual({ sampleRate: 44100, channels: 2, pcm: Int16Array.from([1, 2, 3, 4]) });
  });

  const ok = (): Array<[string, Uint8Array]> => [
    ['fmt ', fmtBody()],
    ['data', new Uint8Array(4)],
  ];
  const bad: Array<[string, () => Uint8Array, RegExp]> = [
    ['empty input', () => new Uint8Array(0), /too short/],
    ['not RIFF', () => { const b = riff(ok()); b[0] = 0x58; return b; }, /RIFF/],
    ['not WAVE', () => riff(ok(), { form: 'AVI ' }), /WAVE/],
    ['RIFF size larger than the file', () => riff(ok(), { riffSizeDelta: 10 }), /exceeds/],
    ['truncated data chunk', () => riff(ok()).subarray(0, 46), /exceeds|past the end/],
    ['no fmt chunk', () => riff([['data', new Uint8Array(2)]]), /before "fmt "/],
    ['no data chunk', () => riff([['fmt ', fmtBody()]]), /no "data"/],
    ['no chunks at all', () => riff([]), /no "fmt "/],
    ['float format', () => riff([['fmt ', fmtBody({ format: 3, bits: 32, align: 4 })], ['data', new Uint8Array(4)]]), /format 3/],
    ['8-bit PCM', () => riff([['fmt ', fmtBody({ bits: 8, align: 1 })], ['data', new Uint8Array(4)]]), /bits per sample 8/],
    ['zero channels', () => riff([['fmt ', fmtBody({ channels: 0, align: 0 })], ['data', new Uint8Array(4)]]), /channel/],
    ['inconsistent block align', () => riff([['fmt ', fmtBody({ align: 4 })], ['data', new Uint8Array(4)]]), /block align/],
    ['inconsistent byte rate', () => riff([['fmt ', fmtBody({ byteRate: 1 })], ['data', new Uint8Array(4)]]), /byte rate/],
    ['short fmt chunk', () => riff([['fmt ', new Uint8Array(8)], ['data', new Uint8Array(4)]]), /fmt chunk too short/],
    ['odd data size', () => riff([['fmt ', fmtBody()], ['data', new Uint8Array(3)]]), /whole number/],
    ['half a stereo frame', () => riff([['fmt ', fmtBody({ channels: 2 })], ['data', new Uint8Array(2)]]), /whole number/],
  ];
  it.each(bad)('rejects %s', (_name, make, message) => {
    expect(() => decodeWav(make())).toThrow(message);
  });

  it('never throws anything but an Error on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          decodeWav(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toMatch(/^decodeWav: /);
        }
      }),
    );
  });
});
