/**
 * The part of the standard WebSocket interface the plugin uses. It is the common subset of
 * Puerts' WebSocket (its `puerts/websocketpp.js` wrapper supports addEventListener only, no
 * `onmessage` properties, and throws from send() when not open), browsers and Node's `ws`.
 */
export interface MessageEventLike {
  data: unknown;
}
export interface CloseEventLike {
  code?: number;
  reason?: string;
}

export interface WebSocketLike {
  readonly readyState: number;
  /** Browsers default to 'blob'; Puerts ignores it (binary always arrives as ArrayBuffer). */
  binaryType?: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: (ev: unknown) => void): void;
  addEventListener(type: 'message', listener: (ev: MessageEventLike) => void): void;
  addEventListener(type: 'close', listener: (ev: CloseEventLike) => void): void;
  addEventListener(type: 'error', listener: (ev: unknown) => void): void;
}

/** readyState values (identical everywhere). */
export const WS_OPEN = 1;

export type WebSocketFactory = (url: string) => WebSocketLike;

/** Wraps a WebSocket constructor (Puerts' global, a browser's, or `ws`). No subprotocols: Puerts rejects them. */
export function socketFactory(Ctor: new (url: string) => WebSocketLike): WebSocketFactory {
  return (url) => new Ctor(url);
}
