/** Errors the plugin reports to the game: the gateway's protocol codes plus codes raised on this side. */
import type { ErrorCode } from '@parley/protocol';

/** Raised by the plugin itself, never sent by a gateway. */
export type LocalErrorCode = 'not_connected' | 'connection_lost' | 'connect_failed' | 'bad_server_frame' | 'bad_input';

export interface ParleyError {
  code: ErrorCode | LocalErrorCode;
  message: string;
  /** A fatal error stops the connection (bad token, unsupported version, retries used up). */
  fatal: boolean;
  retryAfterMs?: number;
  /** true when raised by the plugin (e.g. the link dropped), false for a gateway `error` frame. */
  local: boolean;
}

export const localError = (code: LocalErrorCode, message: string, fatal = false): ParleyError => ({ code, message, fatal, local: true });
