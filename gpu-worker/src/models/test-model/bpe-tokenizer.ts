/**
 * Builds a byte-level BPE `tokenizer.json` (the GPT-2 / Llama-3 / Qwen family format that
 * `@huggingface/tokenizers` loads) for the test models: the 256 byte symbols, merges learned
 * deterministically from a small built-in English corpus, and ChatML special tokens.
 * Every byte is in the vocabulary, so any text round-trips, and non-ASCII characters are split
 * into several byte tokens — which is exactly what the UTF-8 streaming tests need.
 */

/** GPT-2's reversible byte → printable character table. */
export function bytesToUnicode(): string[] {
  const table: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  return table;
}

// The GPT-2 pre-tokenization pattern (the ByteLevel pre-tokenizer uses the same one).
const PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const CORPUS = `Good evening, traveller. Welcome to the inn. The night is cold and the road is long.
I have heard the rumours about the old castle on the hill, and the dark forest beyond the river.
What do you want? Tell me your name, stranger, and state your business in this village.
The guard watches the gate. The vampire lord waits in his tower. The oracle sees what will be.
You should rest here tonight. I will bring you bread, cheese and a warm cup of wine.
Be careful on the northern road: wolves hunt there, and worse things walk after dark.
Thank you, friend. Farewell, and may the gods keep you safe until we meet again.
I remember you. You were here before, asking about the king and the war in the east.`;

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** ChatML, as many small instruction models use it. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface BuiltTokenizer {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  vocabSize: number;
  /** Id of each special token. */
  special: Record<(typeof SPECIAL_TOKENS)[number], number>;
}

/** Learns `merges` BPE merges from the built-in corpus; deterministic (ties break by symbol order). */
function learnMerges(byteChars: string[], merges: number): Array<[string, string]> {
  const enc = new TextEncoder();
  const counts = new Map<string, number>();
  for (const m of CORPUS.matchAll(PRETOKENIZE)) {
    const word = Array.from(enc.encode(m[0]), (b) => byteChars[b]!).join('\u0001');
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  let words = [...counts].map(([w, c]) => ({ symbols: w.split('\u0001'), count: c }));
  const learned: Array<[string, string]> = [];
  for (let i = 0; i < merges; i++) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let j = 0; j + 1 < symbols.length; j++) {
        const key = `${symbols[j]}\u0000${symbols[j + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | undefined;
    let bestCount = 1; // a pair seen once is not worth a merge
    for (const [key, c] of pairs) if (c > bestCount || (c === bestCount && best !== undefined && key < best)) [best, bestCount] = [key, c];
    if (best === undefined) break;
    const [a, b] = best.split('\u0000') as [string, string];
    learned.push([a, b]);
    words = words.map(({ symbols, count }) => {
      const out: string[] = [];
      for (let j = 0; j < symbols.length; j++) {
        if (j + 1 < symbols.length && symbols[j] === a && symbols[j + 1] === b) {
          out.push(a + b);
          j++;
        } else out.push(symbols[j]!);
      }
      return { symbols: out, count };
    });
  }
  return learned;
}

export function buildByteLevelTokenizer(opts: { merges?: number; maxLength?: number } = {}): BuiltTokenizer {
  const byteChars = bytesToUnicode();
  const vocab: Record<string, number> = {};
  byteChars.forEach((c, i) => (vocab[c] = i));
  const merges = learnMerges(byteChars, opts.merges ?? 160);
  for (const [a, b] of merges) if (vocab[a + b] === undefined) vocab[a + b] = Object.keys(vocab).length;
  let next = Object.keys(vocab).length;
  const special = {} as BuiltTokenizer['special'];
  const addedTokens = SPECIAL_TOKENS.map((content) => {
    special[content] = next;
    return { id: next++, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: merges.map(([a, b]) => `${a} ${b}`) },
  };
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    model_max_length: opts.maxLength ?? 512,
    clean_up_tokenization_spaces: false,
    added_tokens_decoder: Object.fromEntries(addedTokens.map(({ id, ...t }) => [String(id), t])),
    chat_template: CHATML_TEMPLATE,
  };
  return { tokenizerJson, tokenizerConfig, vocabSize: next, special };
}
