/** Reconnect delays: exponential backoff with "equal jitter". */

export interface ReconnectPolicy {
  enabled: boolean;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts after a drop before giving up; 0 = keep trying. */
  maxAttempts: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { enabled: true, initialDelayMs: 500, maxDelayMs: 15_000, maxAttempts: 0 };

/**
 * Delay before reconnect attempt `attempt` (0-based): half of the capped exponential step is
 * fixed, half random. The fixed half keeps a client from hammering a gateway that just came
 * back; the random half spreads thousands of game clients that lost the same gateway.
 */
export function reconnectDelayMs(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt, 30));
  return step / 2 + random() * (step / 2);
}
