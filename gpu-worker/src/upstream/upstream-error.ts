/** Why an OpenAI-compatible upstream failed, and whether trying again (before the first token) can help. */
export type UpstreamErrorKind = 'http' | 'timeout' | 'network' | 'protocol';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Server's Retry-After, ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** 408, 409, 425, 429 and 5xx are worth another try; other 4xx mean the request itself is wrong. */
export const retryableStatus = (status: number): boolean => status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
