/**
 * Small, deterministic text helpers shared by the default embedder, the relationship-card
 * rules and the extractive summarizer: word splitting, stopwords and a light suffix stemmer.
 * English only; other languages still work for exact-word overlap.
 */

const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could couldn did didn do does doesn doing don down during each few for from further had hadn has hasn have haven having ' +
    'he her here hers herself him himself his how i if in into is isn it its itself just let me more most mustn my myself no nor not now ' +
    'of off on once only or other ought our ours ourselves out over own same shan she should shouldn so some such than that the their theirs ' +
    'them themselves then there these they this those through to too under until up very was wasn we were weren what when where which while ' +
    'who whom why will with won would wouldn you your yours yourself yourselves ll re ve d s t m o y yes oh ah well also ever still yet ' +
    'shall may might must get got go going tell told say said thing things one thee thou thy'
  ).split(' '),
);

/** Lower-case words (letters, digits, apostrophes inside words), in order. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];
}

export const isStopword = (w: string): boolean => STOPWORDS.has(w) || STOPWORDS.has(w.replace(/'.*$/, ''));

/** A light suffix stemmer: enough to match "swords"/"sword", "hunting"/"hunt", "promised"/"promise". */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  let s = w.replace(/'s$/, '');
  if (s.length > 5 && s.endsWith('ies')) return `${s.slice(0, -3)}y`;
  for (const suffix of ['ing', 'ed', 'es', 's', 'ly']) {
    if (s.endsWith(suffix) && s.length - suffix.length >= 3 && !s.endsWith('ss')) {
      s = s.slice(0, -suffix.length);
      break;
    }
  }
  // "hunting" → "hunt", "stopped" → "stopp" → "stop"
  if (s.length > 3 && s.at(-1) === s.at(-2) && !/[lsz]/.test(s.at(-1)!)) s = s.slice(0, -1);
  return s.replace(/e$/, '');
}

/** Content words (stopwords and one-letter words dropped), stemmed. */
export function contentStems(text: string): string[] {
  return words(text).filter((w) => w.length > 1 && !isStopword(w)).map(stem);
}

/** Sentences: split after . ! ? (or a line break), trimmed, empty ones dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** FNV-1a 32-bit: stable hashing for feature buckets and deterministic ids. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Rough token count for budgeting prompt context (≈ 4 characters per token for English). */
export const approxTokens = (text: string): number => Math.ceil(text.length / 4);
