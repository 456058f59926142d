/**
 * The plugin's msgpack codec: one msgpack map per WebSocket message (protocol v1).
 *
 * Why msgpackr and not a hand-written encoder: Puerts' V8 has no TextEncoder/TextDecoder and
 * no Buffer, and msgpackr checks for both at load time and falls back to its own UTF-8 code
 * when they are absent (verified: the bundled plugin runs in a `vm` context without them, see
 * bundle.test.ts). Plain maps only (`useRecords: false`), exactly like the gateway's codec.
 */
import { Packr, Unpackr } from 'msgpackr';

const packr = new Packr({ useRecords: false, variableMapSize: true });
// mapsAsObjects: maps decode to plain objects; int64AsType 'number' keeps ids as numbers.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/** Encodes one client frame. */
export function encodeMessage(frame: object): Uint8Array {
  return packr.pack(frame);
}

export type RawDecode = { ok: true; value: unknown } | { ok: false; message: string };

/** Decodes one WebSocket message (ArrayBuffer or bytes) to an unvalidated value. Never throws. */
export function decodeMessage(data: unknown): RawDecode {
  const bytes = toBytes(data);
  if (!bytes) return { ok: false, message: typeof data === 'string' ? 'text message (the protocol is binary only)' : 'message is not binary' };
  if (bytes.byteLength === 0) return { ok: false, message: 'empty message' };
  try {
    const values = unpackr.unpackMultiple(bytes as Parameters<typeof unpackr.unpackMultiple>[0]) as unknown[] | undefined;
    if (!Array.isArray(values) || values.length !== 1) return { ok: false, message: 'a message must hold exactly one msgpack value' };
    return { ok: true, value: values[0] };
  } catch (err) {
    return { ok: false, message: `not valid msgpack (${err instanceof Error ? err.message.slice(0, 120) : 'decode error'})` };
  }
}

/**
 * Realm-independent binary checks: `instanceof ArrayBuffer` fails for buffers made in another
 * JS realm (a `vm` context in tests, a different isolate wrapper), the internal tag does not.
 */
export function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

export function toBytes(data: unknown): Uint8Array | null {
  if (isArrayBuffer(data)) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}
