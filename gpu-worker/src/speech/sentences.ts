/**
 * Reply text → speakable chunks, for streaming synthesis.
 *
 * Chunks are sentences, plus one extra cut: a long first sentence is broken at its first clause
 * boundary (comma, semicolon, dash) that has at least `firstClauseMinWords` words before it and
 * at least `firstClauseMinRestWords` words after it in the same sentence, so the first audio
 * starts sooner without leaving a choppy one-word tail (design-notes.md, "First audio sooner").
 *
 * Sentence ends: a run of . ! ? … (so "?!" and "..." are one end), optionally followed by
 * closing quotes/brackets, then whitespace or the end of the text; a line break also ends a
 * chunk. Not an end: a single "." after a known abbreviation (Mr. Dr. St. e.g. …) or a single
 * capital initial ("J. R. R."), or followed by a lowercase word; "..." followed by a lowercase
 * word ("and then... nothing"); a quoted "!"/"?" followed by a lowercase word ("“Run!” she
 * cried"); a "." inside a token ("3.5", "a.m.x").
 *
 * `splitForSpeech` splits a whole text; `SpeechChunker` does the same incrementally as LLM text
 * arrives and emits exactly the same chunks (a chunk is emitted once the first character after
 * it has arrived, or at flush()).
 */

export interface SplitOptions {
  /** Break the first sentence at a clause boundary (default true). */
  splitFirstClause?: boolean;
  /** Words needed before that clause boundary (default 4). */
  firstClauseMinWords?: number;
  /** Words needed after it, in the same sentence (default 3). */
  firstClauseMinRestWords?: number;
}

const TERMINATORS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '}', '*', '_']);
const OPENERS = new Set(['"', "'", '“', '‘', '«', '(', '[', '*']);
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'st', 'sr', 'jr', 'prof', 'rev', 'fr', 'hon', 'capt', 'col', 'gen', 'lt', 'sgt', 'cpl', 'maj', 'adm', 'gov', 'sen', 'rep', 'pres', 'supt', 'insp', 'mt', 'ft', 'ave', 'blvd', 'vs', 'cf', 'approx', 'dept', 'etc', 'eg', 'ie', 'viz', 'vol', 'ch', 'fig',
]);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
export const countWords = (s: string): number => s.match(WORD)?.length ?? 0;

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);
const isUpper = (c: string | undefined): boolean => c !== undefined && /\p{Lu}/u.test(c);
const isLower = (c: string | undefined): boolean => c !== undefined && /\p{Ll}/u.test(c);

/** Collapses whitespace; '' for a chunk with nothing speakable in it. */
function clean(chunk: string): string {
  const s = chunk.replace(/\s+/gu, ' ').trim();
  return /[\p{L}\p{N}]/u.test(s) ? s : '';
}

/** The token (letters and inner dots) right before index `end`: "Mr", "e.g", "J". */
function tokenBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1]!)) i--;
  return text.slice(i, end);
}

function isSentenceEnd(text: string, at: number, run: string, quoted: boolean, next: string | undefined): boolean {
  if (next === undefined) return true; // end of text
  if (run.includes('!') || run.includes('?')) return !(quoted && isLower(next)); // “Run!” she cried.
  if (run.includes('…') || run.length > 1) return !isLower(next); // ellipsis: ends unless the sentence goes on in lowercase
  // a single '.'
  if (isLower(next)) return false;
  const token = tokenBefore(text, at);
  if (ABBREVIATIONS.has(token.toLowerCase().replaceAll('.', ''))) return false;
  if (/^\p{Lu}$/u.test(token)) return false; // initial: "J. R. R. Tolkien"
  if (/^(\p{L}\.)+\p{L}$/u.test(token)) return false; // "e.g", "U.S"
  return true;
}

interface ScanResult {
  chunks: string[];
  /** Characters of the input fully accounted for (emitted or dropped). */
  consumed: number;
  firstPending: boolean;
}

/**
 * Scans `text` for chunk ends. When `final` is false, stops before any decision that needs
 * characters not yet received, so `consumed` never passes an undecided boundary.
 */
function scan(text: string, final: boolean, firstPending: boolean, o: Required<SplitOptions>): ScanResult {
  const chunks: string[] = [];
  const n = text.length;
  let start = 0;
  const emit = (end: number): void => {
    const c = clean(text.slice(start, end));
    if (c) {
      chunks.push(c);
      firstPending = false;
    }
    start = end;
  };

  let i = 0;
  scanning: while (i < n) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      emit(i + 1);
      i++;
      continue;
    }
    if (TERMINATORS.has(c)) {
      let j = i;
      while (j < n && TERMINATORS.has(text[j]!)) j++;
      let k = j;
      while (k < n && CLOSERS.has(text[k]!)) k++;
      if (k < n && !isSpace(text[k])) {
        i = k; // "3.5", "?!x": not an end
        continue;
      }
      let m = k;
      while (m < n && isSpace(text[m]) && text[m] !== '\n' && text[m] !== '\r') m++;
      if (!final && m >= n) break scanning; // the next character decides
      if (isSentenceEnd(text, i, text.slice(i, j), k > j, m < n ? text[m] : undefined)) {
        emit(k);
        i = k;
        continue;
      }
      i = k;
      continue;
    }
    if (firstPending && o.splitFirstClause) {
      const markEnd = clauseMarkEnd(text, i);
      if (markEnd === 'wait') {
        if (!final) break scanning;
      } else if (markEnd > i && countWords(text.slice(start, i)) >= o.firstClauseMinWords) {
        // Count the words after the mark, up to the next sentence-ending character.
        let e = markEnd;
        while (e < n && !TERMINATORS.has(text[e]!) && text[e] !== '\n' && text[e] !== '\r') e++;
        const rest = countWords(text.slice(markEnd, e));
        if (rest >= o.firstClauseMinRestWords) {
          emit(markEnd);
          i = markEnd;
          continue;
        }
        if (e >= n && !final) break scanning; // the sentence may still grow
      }
    }
    i++;
  }
  if (final) emit(n);
  return { chunks, consumed: start, firstPending };
}

/** End index of a clause mark at `i` (after the mark), -1 if none, 'wait' if undecidable yet. */
function clauseMarkEnd(text: string, i: number): number | 'wait' {
  const c = text[i]!;
  const next = text[i + 1];
  if (c === ',' || c === ';') {
    if (next === undefined) return 'wait';
    return isSpace(next) ? i + 1 : -1; // "1,000" is not a clause boundary
  }
  if (c === '—' || c === '–') return i + 1;
  if (c === '-') {
    if (next === undefined) return 'wait';
    if (next === '-') return i + 2; // "--"
    return isSpace(text[i - 1]) && isSpace(next) ? i + 1 : -1; // " - ", not "well-known"
  }
  return -1;
}

const withDefaults = (o: SplitOptions = {}): Required<SplitOptions> => ({
  splitFirstClause: o.splitFirstClause ?? true,
  firstClauseMinWords: o.firstClauseMinWords ?? 4,
  firstClauseMinRestWords: o.firstClauseMinRestWords ?? 3,
});

/** Splits a complete reply into speakable chunks (trimmed, whitespace collapsed, never empty). */
export function splitForSpeech(text: string, opts?: SplitOptions): string[] {
  return scan(text, true, true, withDefaults(opts)).chunks;
}

/** Incremental splitter for streamed text: push() deltas, then flush() at the end of the reply. */
export class SpeechChunker {
  private buffer = '';
  private firstPending = true;
  private readonly opts: Required<SplitOptions>;

  constructor(opts?: SplitOptions) {
    this.opts = withDefaults(opts);
  }

  /** Adds text; returns the chunks that are now complete. */
  push(delta: string): string[] {
    this.buffer += delta;
    const r = scan(this.buffer, false, this.firstPending, this.opts);
    this.buffer = this.buffer.slice(r.consumed);
    this.firstPending = r.firstPending;
    return r.chunks;
  }

  /** Ends the reply: returns whatever remains, and resets for the next reply. */
  flush(): string[] {
    const r = scan(this.buffer, true, this.firstPending, this.opts);
    this.buffer = '';
    this.firstPending = true;
    return r.chunks;
  }
}
