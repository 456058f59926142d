import { describe, expect, it } from 'vitest';
import { IncrementalDetokenizer } from './incremental-detokenizer.js';
import { testModelCodec } from './test-model/build-test-model.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codec = testModelCodec();

describe('IncrementalDetokenizer', () => {
  it.each(['Café ж 🐉 costs 5€, 日本語!', 'naïve façade — “quoted” 👩‍👩‍👧 done', 'plain ascii text only'])('streams %j without ever splitting a character', (text) => {
    const ids = codec.encode(text);
    const detok = new IncrementalDetokenizer(codec.decode, codec.encode('<|im_start|>assistant\n'));
    const deltas = ids.map((id) => detok.push(id));
    deltas.push(detok.flush());
    for (const d of deltas) {
      expect(d).not.toContain('\uFFFD');
      expect(d).not.toMatch(LONE_SURROGATE);
    }
    expect(deltas.join('')).toBe(text);
    // Multi-byte characters really were split across tokens (some pushes returned nothing).
    if (/[^\x00-\x7f]/.test(text)) expect(deltas.filter((d) => d === '').length).toBeGreaterThan(0);
  });

  it('flush emits bytes that never became a character', () => {
    const detok = new IncrementalDetokenizer(codec.decode);
    const partial = codec.encode('🐉').slice(0, 2); // half a dragon
    expect(partial.map((id) => detok.push(id)).join('')).toBe('');
    expect(detok.flush()).toContain('\uFFFD');
  });
});
