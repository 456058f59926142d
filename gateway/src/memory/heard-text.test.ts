import { describe, expect, it } from 'vitest';
import { heardText } from './heard-text.js';

// Two sentences: the first's audio spans 0..1000 ms, the second 1000..2000 ms.
const spans = [
  { text: 'One two three four.', audioStartMs: 0 },
  { text: ' Five six seven eight.', audioStartMs: 1000 },
];

describe('barge-in: keep only what was heard', () => {
  it('keeps whole sentences heard and the words heard of the one cut', () => {
    expect(heardText(spans, 2000, 2000)).toBe('One two three four. Five six seven eight.');
    expect(heardText(spans, 2000, 1000)).toBe('One two three four.');
    expect(heardText(spans, 2000, 1500)).toBe('One two three four. Five six');
    expect(heardText(spans, 2000, 300)).toBe('One');
    expect(heardText(spans, 2000, 0)).toBe('');
  });

  it('never keeps words whose audio was not sent; unknown position = all audio sent', () => {
    expect(heardText(spans, 1000, 5000)).toBe('One two three four.');
    expect(heardText(spans, 1000, null)).toBe('One two three four.');
    expect(heardText([], 0, 100)).toBe('');
  });
});
