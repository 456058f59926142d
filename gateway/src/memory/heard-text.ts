/**
 * Barge-in keeps only what was heard: the reply text up to the last word whose audio ended
 * before the player's playback position (`cancel.heardMs`).
 *
 * The stream carries sentence-level timing only (each `text` delta is followed by that
 * sentence's audio), not word timings, so word ends are approximated inside each sentence:
 * its audio span is shared among its words in proportion to their length (+1 for the gap).
 * Good to about a word for eSpeak's even pacing; documented in docs/memory.md.
 */

export interface SpokenSpan {
  /** The text delta (one sentence, possibly with a leading space). */
  text: string;
  /** Where this sentence's audio starts, ms from the start of the turn's audio. */
  audioStartMs: number;
}

/**
 * @param spans text deltas in order, with the audio position at which each began
 * @param audioMs audio sent for the whole turn so far (the end of the last span)
 * @param heardMs the player's playback position; null = unknown (keep everything whose audio was sent)
 */
export function heardText(spans: readonly SpokenSpan[], audioMs: number, heardMs: number | null): string {
  const limit = heardMs === null ? audioMs : Math.min(heardMs, audioMs);
  let out = '';
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const start = span.audioStartMs;
    const end = Math.max(start, i + 1 < spans.length ? spans[i + 1]!.audioStartMs : audioMs);
    if (end <= start || limit <= start) break; // this sentence's audio never played
    if (limit >= end) {
      out += span.text;
      continue;
    }
    const tokens = span.text.match(/\s*\S+/g) ?? [];
    const weights = tokens.map((t) => t.trim().length + 1);
    const total = weights.reduce((a, b) => a + b, 0);
    let t = start;
    for (let k = 0; k < tokens.length; k++) {
      t += ((end - start) * weights[k]!) / total;
      if (t > limit) break;
      out += tokens[k];
    }
    break;
  }
  return out.trim();
}
