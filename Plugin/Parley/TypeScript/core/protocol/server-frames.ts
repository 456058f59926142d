/**
 * Narrowing parsers for the frames a gateway sends (protocol v1, docs/protocol.md): decode to
 * `unknown`, then one small parser per frame type. The plugin does not bundle the gateway's
 * valibot schemas (size, and they would reject frame types newer than this build): unknown
 * keys are ignored, unknown frame types are reported as `ignored` so newer gateways keep
 * working, and a known frame with a missing or wrong-typed field is `invalid`.
 */
import type {
  AudioFrame,
  EmotionFrame,
  EndFrame,
  ErrorFrame,
  PongFrame,
  RelationshipFrame,
  ServerFrame,
  TextFrame,
  TurnId,
  VisemesFrame,
  VisemeTuple,
  WelcomeFrame,
} from '@parley/protocol';

export type ParseResult = { kind: 'frame'; frame: ServerFrame } | { kind: 'ignored'; type: string } | { kind: 'invalid'; message: string };

class FieldError extends Error {}
type Obj = Record<string, unknown>;

const fail = (field: string, what: string): never => {
  throw new FieldError(`${field}: ${what}`);
};
const str = (o: Obj, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : fail(k, 'must be a string'));
const num = (o: Obj, k: string): number => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : fail(k, 'must be a finite number'));
const int = (o: Obj, k: string): number => (Number.isSafeInteger(o[k]) && (o[k] as number) >= 0 ? (o[k] as number) : fail(k, 'must be a non-negative integer'));
const bool = (o: Obj, k: string): boolean => (typeof o[k] === 'boolean' ? (o[k] as boolean) : fail(k, 'must be a boolean'));
const optNum = (o: Obj, k: string): number | undefined => (o[k] === undefined ? undefined : num(o, k));
const nullableNum = (o: Obj, k: string): number | null => (o[k] === null ? null : num(o, k));
const obj = (o: Obj, k: string): Obj => (isObj(o[k]) ? (o[k] as Obj) : fail(k, 'must be a map'));
function isObj(x: unknown): x is Obj {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x);
}
function turnId(o: Obj): TurnId {
  const t = o.turn;
  if ((typeof t === 'string' && t.length > 0) || (Number.isSafeInteger(t) && (t as number) >= 0)) return t as TurnId;
  return fail('turn', 'must be a non-empty string or a non-negative integer');
}

function visemeTuples(o: Obj): VisemeTuple[] {
  const list = o.frames;
  if (!Array.isArray(list)) return fail('frames', 'must be a list');
  return list.map((f: unknown, i) => {
    if (!Array.isArray(f) || f.length !== 4 || !f.every((x) => typeof x === 'number' && Number.isFinite(x))) return fail(`frames.${i}`, 'must be [viseme, startMs, endMs, weight]');
    const [v, s, e, w] = f as number[];
    if (!Number.isInteger(v) || v! < 0 || v! > 14) return fail(`frames.${i}`, 'viseme must be 0..14');
    return [v!, s!, e!, w!] as VisemeTuple;
  });
}

const parsers: Record<string, (o: Obj) => ServerFrame> = {
  welcome: (o): WelcomeFrame => ({
    t: 'welcome',
    v: o.v === 1 ? 1 : fail('v', 'must be 1'),
    session: str(o, 'session'),
    heartbeatMs: int(o, 'heartbeatMs'),
    maxFrameBytes: int(o, 'maxFrameBytes'),
    ...(o.maxTurnsInFlight !== undefined ? { maxTurnsInFlight: int(o, 'maxTurnsInFlight') } : {}),
    ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: int(o, 'idleTimeoutMs') } : {}),
  }),
  text: (o): TextFrame => ({ t: 'text', turn: turnId(o), delta: str(o, 'delta') }),
  emotion: (o): EmotionFrame => ({ t: 'emotion', turn: turnId(o), label: str(o, 'label'), intensity: Math.min(1, Math.max(0, num(o, 'intensity'))) }),
  audio: (o): AudioFrame => {
    const pcm = o.pcm;
    if (!ArrayBuffer.isView(pcm)) return fail('pcm', 'must be binary');
    return {
      t: 'audio',
      turn: turnId(o),
      seq: int(o, 'seq'),
      rate: int(o, 'rate'),
      pcm: new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength),
      startMs: num(o, 'startMs'),
      ...(o.durationMs !== undefined ? { durationMs: num(o, 'durationMs') } : {}),
    };
  },
  visemes: (o): VisemesFrame => ({ t: 'visemes', turn: turnId(o), seq: int(o, 'seq'), frames: visemeTuples(o) }),
  relationship: (o): RelationshipFrame => {
    const meters = (m: Obj) => ({ trust: num(m, 'trust'), respect: num(m, 'respect'), familiarity: num(m, 'familiarity'), affinity: num(m, 'affinity') });
    return { t: 'relationship', turn: turnId(o), npc: str(o, 'npc'), player: str(o, 'player'), card: meters(obj(o, 'card')), delta: meters(obj(o, 'delta')), conversations: int(o, 'conversations') };
  },
  end: (o): EndFrame => {
    const t = obj(o, 'timings');
    const tier = o.tier === null ? null : str(o, 'tier');
    const reason = o.reason === undefined ? undefined : str(o, 'reason');
    return {
      t: 'end',
      turn: turnId(o),
      text: str(o, 'text'),
      tier: tier as EndFrame['tier'],
      degraded: bool(o, 'degraded'),
      cancelled: bool(o, 'cancelled'),
      ...(reason !== undefined ? { reason: reason as NonNullable<EndFrame['reason']> } : {}),
      ...(o.audioMs !== undefined ? { audioMs: num(o, 'audioMs') } : {}),
      timings: { queueMs: nullableNum(t, 'queueMs'), firstTextMs: nullableNum(t, 'firstTextMs'), firstAudioMs: nullableNum(t, 'firstAudioMs'), totalMs: num(t, 'totalMs') },
    };
  },
  error: (o): ErrorFrame => {
    const retryAfterMs = optNum(o, 'retryAfterMs');
    return {
      t: 'error',
      ...(o.turn !== undefined ? { turn: turnId(o) } : {}),
      code: str(o, 'code') as ErrorFrame['code'],
      message: str(o, 'message'),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      fatal: bool(o, 'fatal'),
    };
  },
  pong: (o): PongFrame => ({ t: 'pong', ts: num(o, 'ts') }),
};

/** Narrows a decoded msgpack value to a server frame. Never throws. */
export function parseServerFrame(value: unknown): ParseResult {
  if (!isObj(value)) return { kind: 'invalid', message: 'a frame must be a msgpack map' };
  if (typeof value.t !== 'string') return { kind: 'invalid', message: 't: frame type is missing' };
  const parse = Object.prototype.hasOwnProperty.call(parsers, value.t) ? parsers[value.t] : undefined;
  if (!parse) return { kind: 'ignored', type: value.t };
  try {
    return { kind: 'frame', frame: parse(value) };
  } catch (err) {
    if (err instanceof FieldError) return { kind: 'invalid', message: `${value.t}.${err.message}` };
    throw err;
  }
}
