/** Pure formatting for the chat CLI. */
import type { RelationshipFrame } from '@parley/protocol';
import type { TurnError, TurnResult } from '../client/parley-client.js';

/** `0.4 ms`, `3 ms`, `310 ms`, `12.5 s`; `—` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The per-turn latency line (gateway timings from the end frame). */
export function formatLatency(r: TurnResult): string {
  const t = r.end?.timings;
  const parts = [`queue ${formatMs(t?.queueMs)}`, `first text ${formatMs(t?.firstTextMs)}`, `first audio ${formatMs(t?.firstAudioMs)}`, `total ${formatMs(t?.totalMs ?? r.totalMs)}`];
  const audioMs = r.end?.audioMs ?? r.audioMs;
  parts.push(`audio ${(audioMs / 1000).toFixed(1)} s`);
  parts.push(`tier ${r.end?.tier ?? '—'}${r.end?.degraded ? ' (degraded)' : ''}`);
  if (r.cancelled) parts.push('cancelled');
  return parts.join(' · ');
}

/** `contempt 0.70` or `contempt 0.70 → joy 0.40`; null when there was none. */
export function formatEmotions(r: Pick<TurnResult, 'emotions'>): string | null {
  if (r.emotions.length === 0) return null;
  return r.emotions.map((e) => `${e.label} ${e.intensity.toFixed(2)}`).join(' → ');
}

/** `overloaded: no worker could take the turn (retry after 500 ms)`. */
export function formatError(e: Pick<TurnError, 'code' | 'message' | 'retryAfterMs'>): string {
  return `${e.code}: ${e.message}${e.retryAfterMs !== undefined ? ` (retry after ${formatMs(e.retryAfterMs)})` : ''}`;
}

/** A friendlier line for connect failures. */
export function explainConnectError(code: string, message: string, url: string): string {
  if (code === 'connect_failed') return `cannot connect to ${url} (${message.replace(/^cannot connect to \S+: /, '')}). Is Parley running? Start it with: npm start`;
  if (code === 'unauthorized') return `unauthorized: ${message}. Pass --token T or set PARLEY_TOKEN (npm start prints the development token).`;
  return `${code}: ${message}`;
}

/** `trust 0.12 (+0.04) · respect 0.00 · familiarity 0.31 (+0.05) · affinity −0.10 (−0.02)`: the NPC's card after a turn. */
export function formatRelationship(f: Pick<RelationshipFrame, 'card' | 'delta'>): string {
  const meters = ['trust', 'respect', 'familiarity', 'affinity'] as const;
  const num = (x: number) => x.toFixed(2).replace('-', '−');
  return meters
    .map((m) => {
      const d = f.delta[m];
      return Math.abs(d) >= 0.005 ? `${m} ${num(f.card[m])} (${d > 0 ? '+' : ''}${num(d)})` : `${m} ${num(f.card[m])}`;
    })
    .join(' · ');
}
