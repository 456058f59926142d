/**
 * msgpack encoding and validated decoding for every Parley frame.
 *
 * Plain msgpack maps only (`useRecords: false`): no msgpackr record extensions on the wire,
 * so any msgpack library (C++, C#, Python) can speak the protocol. Decoding never throws:
 * it returns a result whose error is a ProtocolError with code `bad_frame`.
 */
import { Packr, Unpackr } from 'msgpackr';
import * as v from 'valibot';
import { ProtocolError } from './errors.js';
import { ClientFrame } from './client-frames.js';
import { ServerFrame } from './server-frames.js';
import { GatewayToWorkerFrame, WorkerToGatewayFrame } from './worker-frames.js';

const packr = new Packr({ useRecords: false, variableMapSize: true });
// mapsAsObjects: maps decode to plain objects; int64AsType 'number' keeps ids as numbers.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/** Encodes one frame as a msgpack map. */
export function encodeFrame(frame: object): Uint8Array {
  return packr.pack(frame);
}

export type DecodeResult<T> = { ok: true; frame: T } | { ok: false; error: ProtocolError };

/** Raw msgpack decode to `unknown`; a frame must be exactly one msgpack value. */
export function decodeRaw(bytes: Uint8Array): DecodeResult<unknown> {
  if (bytes.length === 0) return fail('empty frame');
  try {
    const values = unpackr.unpackMultiple(bytes as Buffer);
    if (!Array.isArray(values) || values.length !== 1) return fail('a frame must hold exactly one msgpack map');
    return { ok: true, frame: values[0] };
  } catch (err) {
    return fail(`not valid msgpack (${err instanceof Error ? err.message.slice(0, 120) : 'decode error'})`);
  }
}

function fail(message: string, turn?: string | number): DecodeResult<never> {
  return { ok: false, error: new ProtocolError('bad_frame', message, { turn }) };
}

/** Formats the first valibot issue as `field: problem`. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return 'invalid frame';
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  const field = path || (issue.kind === 'schema' && issue.type === 'object' ? 'frame' : '');
  return field ? `${field}: ${issue.message}` : issue.message;
}

/** Best-effort turn id of a malformed frame, so its error can name the turn. */
function turnOf(raw: unknown): string | number | undefined {
  if (raw && typeof raw === 'object' && 'turn' in raw) {
    const turn = (raw as { turn: unknown }).turn;
    if ((typeof turn === 'string' && turn.length > 0 && turn.length <= 64) || (typeof turn === 'number' && Number.isSafeInteger(turn) && turn >= 0)) return turn;
  }
  return undefined;
}

function makeDecoder<S extends v.GenericSchema>(schema: S) {
  return (bytes: Uint8Array): DecodeResult<v.InferOutput<S>> => {
    const raw = decodeRaw(bytes);
    if (!raw.ok) return raw;
    return validate(schema, raw.frame);
  };
}

/** Validates an already-decoded value against a frame schema. */
export function validate<S extends v.GenericSchema>(schema: S, value: unknown): DecodeResult<v.InferOutput<S>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    return fail('a frame must be a msgpack map');
  }
  if (typeof (value as { t?: unknown }).t !== 'string') return fail('t: frame type is missing or not a string', turnOf(value));
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return { ok: true, frame: result.output };
  return fail(describeIssues(result.issues), turnOf(value));
}

export const decodeClientFrame = makeDecoder(ClientFrame);
export const decodeServerFrame = makeDecoder(ServerFrame);
export const decodeWorkerFrame = makeDecoder(WorkerToGatewayFrame);
export const decodeGatewayToWorkerFrame = makeDecoder(GatewayToWorkerFrame);
