/**
 * Turns a stream of token ids into text deltas that never split a character.
 *
 * Byte-level BPE tokens often carry part of a UTF-8 character ("é" = two tokens, "🐉" = up to
 * four), and decoding such a prefix yields U+FFFD. Following vLLM's incremental detokenizer, we
 * decode a small window of recent tokens twice — up to the last emitted token, and through the
 * new one — and emit only the difference, holding it back while it still ends in U+FFFD. The
 * window starts with a few prompt tokens so decoders that depend on context (a leading space
 * in SentencePiece "▁" tokens) see the same context as a whole-text decode.
 */

export type DecodeFn = (ids: number[]) => string;

/** Tokens of a legitimate partial character never exceed 4 (one per UTF-8 byte); after that, emit anyway. */
const MAX_PENDING = 6;

export class IncrementalDetokenizer {
  private readonly ids: number[];
  private prefix = 0;
  private read: number;

  constructor(
    private readonly decode: DecodeFn,
    /** The last prompt tokens, for context (up to 5 are used). */
    context: readonly number[] = [],
  ) {
    this.ids = context.slice(-5);
    this.read = this.ids.length;
  }

  /** Adds a token; returns the text it completes ('' while a character is still partial). */
  push(id: number): string {
    this.ids.push(id);
    return this.take(this.ids.length - this.read >= MAX_PENDING);
  }

  /** Returns whatever is still held back (at the end of a reply); may contain U+FFFD for truly broken bytes. */
  flush(): string {
    return this.take(true);
  }

  private take(force: boolean): string {
    if (this.read === this.ids.length) return '';
    const before = this.decode(this.ids.slice(this.prefix, this.read));
    const after = this.decode(this.ids.slice(this.prefix));
    if (after.length <= before.length || (!force && after.endsWith('\uFFFD'))) return '';
    const delta = after.startsWith(before) ? after.slice(before.length) : after.slice(commonPrefix(before, after));
    this.prefix = this.read;
    this.read = this.ids.length;
    // Keep the window small: drop ids that no longer serve as context.
    if (this.prefix > 64) {
      this.ids.splice(0, this.prefix);
      this.read -= this.prefix;
      this.prefix = 0;
    }
    return delta;
  }
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
