import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SpeechChunker, countWords, splitForSpeech } from './sentences.js';

const streamed = (text: string, cuts: number[], opts?: ConstructorParameters<typeof SpeechChunker>[0]): string[] => {
  const c = new SpeechChunker(opts);
  const out: string[] = [];
  let prev = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(...c.push(text.slice(prev, cut)));
    prev = cut;
  }
  out.push(...c.push(text.slice(prev)));
  out.push(...c.flush());
  return out;
};

describe('splitForSpeech: sentences', () => {
  it.each<[string, string[]]>([
    ['Hello there. How are you?', ['Hello there.', 'How are you?']],
    ['Begone! Now!', ['Begone!', 'Now!']],
    ['What?! You dare?', ['What?!', 'You dare?']],
    ['Really?!? Yes.', ['Really?!?', 'Yes.']],
    ['No trailing punctuation', ['No trailing punctuation']],
    ['  Spaces   everywhere .  Next one.  ', ['Spaces everywhere .', 'Next one.']],
    ['', []],
    ['   \n  ', []],
    ['...', []],
    ['Line one\nLine two\r\nLine three', ['Line one', 'Line two', 'Line three']],
  ])('%j', (text, expected) => {
    expect(splitForSpeech(text)).toEqual(expected);
  });

  it('keeps abbreviations, initials and decimals inside the sentence', () => {
    expect(splitForSpeech('Mr. Smith met Dr. Jones on Baker St. at noon. Then he left.')).toEqual(['Mr. Smith met Dr. Jones on Baker St. at noon.', 'Then he left.']);
    expect(splitForSpeech('Mrs. Hudson and Prof. Moriarty argued. Ms. Adler laughed.')).toEqual(['Mrs. Hudson and Prof. Moriarty argued.', 'Ms. Adler laughed.']);
    expect(splitForSpeech('It costs 3.5 gold. Pay up.')).toEqual(['It costs 3.5 gold.', 'Pay up.']);
    expect(splitForSpeech('J. R. R. Tolkien wrote it. Read it.')).toEqual(['J. R. R. Tolkien wrote it.', 'Read it.']);
    expect(splitForSpeech('Bring herbs, e.g. sage. Go now.')).toEqual(['Bring herbs, e.g. sage.', 'Go now.']);
    expect(splitForSpeech('We met at 5 p.m. yesterday. It rained.')).toEqual(['We met at 5 p.m. yesterday.', 'It rained.']);
  });

  it('treats ellipses as an end only before a new sentence', () => {
    expect(splitForSpeech('I... I do not know. Wait... What was that?')).toEqual(['I...', 'I do not know.', 'Wait...', 'What was that?']);
    expect(splitForSpeech('And then... nothing happened.')).toEqual(['And then... nothing happened.']);
    expect(splitForSpeech('Silence… Then a scream.')).toEqual(['Silence…', 'Then a scream.']);
    expect(splitForSpeech('Well…')).toEqual(['Well…']);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(splitForSpeech('He said "Go away." Then he left.')).toEqual(['He said "Go away."', 'Then he left.']);
    expect(splitForSpeech('(Quietly.) Listen.')).toEqual(['(Quietly.)', 'Listen.']);
    expect(splitForSpeech('“Run!” she cried.')).toEqual(['“Run!” she cried.']);
  });
});

describe('splitForSpeech: first clause', () => {
  it('breaks a long first sentence at the first clause boundary after ≥ 4 words', () => {
    expect(splitForSpeech('I have waited for you, traveller, for a very long time. Sit down.')).toEqual(['I have waited for you,', 'traveller, for a very long time.', 'Sit down.']);
    expect(splitForSpeech('The gates stay shut tonight; the dead walk the roads until dawn.')).toEqual(['The gates stay shut tonight;', 'the dead walk the roads until dawn.']);
    expect(splitForSpeech('The old road to the north — the one past the mill — is closed.')).toEqual(['The old road to the north —', 'the one past the mill — is closed.']);
    expect(splitForSpeech('The old road to the north - the one past the mill - is closed.')).toEqual(['The old road to the north -', 'the one past the mill - is closed.']);
    expect(splitForSpeech('The old road to the north -- the one past the mill -- is closed.')).toEqual(['The old road to the north --', 'the one past the mill -- is closed.']);
  });

  it('skips boundaries with fewer than 4 words before them', () => {
    expect(splitForSpeech('Well, well, what have we here, a lost little lamb in my woods?')).toEqual(['Well, well, what have we here,', 'a lost little lamb in my woods?']);
    expect(splitForSpeech('Ah, a guest, how lovely.')).toEqual(['Ah, a guest, how lovely.']);
  });

  it('does not leave a short tail', () => {
    expect(splitForSpeech('I have waited for you, friend. Sit.')).toEqual(['I have waited for you, friend.', 'Sit.']);
    expect(splitForSpeech('I have waited for you, my friend')).toEqual(['I have waited for you, my friend']);
  });

  it('only splits the first sentence, and never inside numbers or hyphenated words', () => {
    expect(splitForSpeech('Hi. I have waited for you, traveller, for a very long time.')).toEqual(['Hi.', 'I have waited for you, traveller, for a very long time.']);
    expect(splitForSpeech('I will pay 1,000 gold for the well-known head of that dragon.')).toEqual(['I will pay 1,000 gold for the well-known head of that dragon.']);
  });

  it('can be tuned or turned off', () => {
    const t = 'I have waited for you, traveller, for a very long time.';
    expect(splitForSpeech(t, { splitFirstClause: false })).toEqual([t]);
    expect(splitForSpeech(t, { firstClauseMinWords: 6 })).toEqual(['I have waited for you, traveller,', 'for a very long time.']);
    expect(splitForSpeech('One two three four, five.', { firstClauseMinRestWords: 1 })).toEqual(['One two three four,', 'five.']);
  });
});

describe('SpeechChunker', () => {
  it('emits chunks as soon as the next character shows they are complete', () => {
    const c = new SpeechChunker();
    expect(c.push('I have waited for you')).toEqual([]);
    expect(c.push(', traveller, for')).toEqual([]);
    expect(c.push(' a')).toEqual(['I have waited for you,']); // three words after the comma now
    expect(c.push(' long time.')).toEqual([]);
    expect(c.push(' S')).toEqual(['traveller, for a long time.']);
    expect(c.push('it. Mr.')).toEqual(['Sit.']);
    expect(c.push(' Smith')).toEqual([]);
    expect(c.flush()).toEqual(['Mr. Smith']);
    // reset for the next reply: the first-clause rule applies again
    expect(c.push('One two three four, five six seven. ')).toEqual(['One two three four,']);
    expect(c.flush()).toEqual(['five six seven.']);
  });

  it('waits for the whole terminator run ("?" then "!")', () => {
    const c = new SpeechChunker();
    expect(c.push('What?')).toEqual([]);
    expect(c.push('! ')).toEqual([]);
    expect(c.push('Go')).toEqual(['What?!']);
  });

  const VOCAB = ['I', 'have', 'waited', 'for', 'you', 'traveller', 'Mr.', 'Dr.', 'Smith', 'e.g.', '3.5', '1,000', 'well-known', 'A.', 'the', 'night'];
  const PUNCT = [' ', ' ', ' ', ', ', '; ', ' — ', ' - ', '--', '. ', '! ', '?! ', '... ', '…', ' "Go." ', '\n', '  '];
  const text = fc.array(fc.oneof(fc.constantFrom(...VOCAB), fc.constantFrom(...PUNCT), fc.string({ maxLength: 3 })), { maxLength: 40 }).map((parts) => parts.join(''));

  it('streams exactly what splitForSpeech returns, however the text is cut', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (t, rawCuts, splitFirstClause) => {
        const cuts = rawCuts.map((c) => (t.length === 0 ? 0 : c % (t.length + 1)));
        expect(streamed(t, cuts, { splitFirstClause })).toEqual(splitForSpeech(t, { splitFirstClause }));
      }),
      { numRuns: 500 },
    );
  });

  it('loses no words and never emits empty chunks', () => {
    fc.assert(
      fc.property(text, (t) => {
        const chunks = splitForSpeech(t);
        for (const c of chunks) expect(c).toMatch(/[\p{L}\p{N}]/u);
        expect(chunks.reduce((n, c) => n + countWords(c), 0)).toBe(countWords(t));
      }),
      { numRuns: 500 },
    );
  });
});
