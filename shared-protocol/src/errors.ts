/**
 * Protocol error codes: one table, stable strings, each mapped to the WebSocket close code
 * used when the error is fatal (RFC 6455 §7.4.1). Documented in docs/protocol.md.
 */
export const ERROR_CODES = {
  bad_frame: { close: 1007, fatal: false, doc: 'The frame could not be decoded or a field is missing, of the wrong type, or out of range.' },
  unsupported_version: { close: 1002, fatal: true, doc: 'The hello frame asked for a protocol version this gateway does not speak.' },
  unauthorized: { close: 1008, fatal: true, doc: 'Missing or invalid token, or a frame other than hello before hello.' },
  unknown_npc: { close: 1008, fatal: false, doc: 'The say frame names an NPC that is not in the catalog.' },
  unknown_turn: { close: 1008, fatal: false, doc: 'A cancel names a turn that is not in flight on this connection.' },
  duplicate_turn: { close: 1008, fatal: false, doc: 'A say reuses the id of a turn that is still in flight.' },
  too_large: { close: 1009, fatal: true, doc: 'The frame is larger than maxFrameBytes from welcome.' },
  rate_limited: { close: 1008, fatal: false, doc: 'Too many turns: more than maxTurnsInFlight on this connection, or a per-player/per-key rate.' },
  overloaded: { close: 1013, fatal: false, doc: 'No worker can take the turn in time; retry after retryAfterMs.' },
  idle_timeout: { close: 1001, fatal: true, doc: 'Nothing was received for longer than the idle timeout.' },
  internal: { close: 1011, fatal: false, doc: 'A server-side failure (worker crash, synthesis failure). The turn ends; the connection stays.' },
  shutting_down: { close: 1001, fatal: true, doc: 'The gateway is shutting down; reconnect (to another gateway) after retryAfterMs.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (x: unknown): x is ErrorCode => typeof x === 'string' && Object.hasOwn(ERROR_CODES, x);

/** A protocol-level failure with a stable code; thrown inside Parley, sent as an `error` frame. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly turn: TurnIdLike | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(code: ErrorCode, message: string, opts: { turn?: TurnIdLike | undefined; retryAfterMs?: number | undefined } = {}) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.turn = opts.turn;
    this.retryAfterMs = opts.retryAfterMs;
  }
  get fatal(): boolean {
    return ERROR_CODES[this.code].fatal;
  }
  get closeCode(): number {
    return ERROR_CODES[this.code].close;
  }
}

type TurnIdLike = string | number;
