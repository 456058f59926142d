/**
 * A turn's life, ordered: queued → assigned → streaming → one terminal state.
 * Exactly one `end` frame is sent, on the transition into a terminal state.
 */
export const TURN_STATUS = ['queued', 'assigned', 'streaming', 'completed', 'cancelled', 'failed', 'rejected'] as const;
export type TurnStatus = (typeof TURN_STATUS)[number];
export type TerminalStatus = Extract<TurnStatus, 'completed' | 'cancelled' | 'failed' | 'rejected'>;

const RANK = Object.fromEntries(TURN_STATUS.map((s, i) => [s, i])) as Record<TurnStatus, number>;
export const isFinished = (s: TurnStatus): s is TerminalStatus => RANK[s] > RANK.streaming;
