/**
 * The optional ONNX sentence embedder on a tiny model built here (no download): token
 * embeddings gathered from a seeded table, output `last_hidden_state`, with a byte-level BPE
 * tokenizer. The embedder must mean-pool over the attention mask (padding in a mixed-length
 * batch must not change a text's vector) and L2-normalise — checked against the same math in JS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '../../gateway/src/memory/embedding/embedder.js';
import { OnnxEmbedder } from '../../gateway/src/memory/embedding/onnx-embedder.js';
import { buildByteLevelTokenizer } from '../../gpu-worker/src/models/test-model/bpe-tokenizer.js';
import { DT, encodeModel, GraphBuilder } from '../../gpu-worker/src/models/test-model/onnx-graph.js';

const H = 24;
const dir = mkdtempSync(join(tmpdir(), 'parley-onnx-emb-'));
let table: Float32Array;
let tokenizer: Tokenizer;
let embedder: OnnxEmbedder;

beforeAll(async () => {
  const tok = buildByteLevelTokenizer({ merges: 64 });
  tokenizer = new Tokenizer(tok.tokenizerJson, tok.tokenizerConfig);
  let seed = 12345;
  const rand = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32 - 0.5;
  table = Float32Array.from({ length: tok.vocabSize * H }, rand);
  const g = new GraphBuilder();
  g.input('input_ids', DT.int64, ['batch', 'seq']);
  g.input('attention_mask', DT.int64, ['batch', 'seq']);
  const e = g.initFloat('embeddings', [tok.vocabSize, H], table);
  g.op1('Gather', [e, 'input_ids'], { axis: 0 }, 'last_hidden_state');
  g.output('last_hidden_state', DT.float, ['batch', 'seq', H]);
  writeFileSync(join(dir, 'model.onnx'), encodeModel(g.graph('tiny-embedder'), 17, false));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.tokenizerJson));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.tokenizerConfig));
  embedder = await OnnxEmbedder.load(dir);
}, 30_000);
afterAll(async () => {
  await embedder?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The same embedding computed in plain JS: mean of the token rows, unit length. */
function expected(text: string): number[] {
  const ids = tokenizer.encode(text).ids;
  const v = new Array<number>(H).fill(0);
  for (const id of ids) for (let k = 0; k < H; k++) v[k]! += table[id * H + k]! / ids.length;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

describe('ONNX sentence embedder', () => {
  it('loads the model in a thread and reports its dimensions', () => {
    expect(embedder.dimensions).toBe(H);
    expect(embedder.id).toMatch(/^onnx-.*-24$/);
  });

  it('mean-pools over the mask: a mixed-length batch gives the same vectors as the JS reference', async () => {
    const texts = ['Hi', 'The old king rode east to the war, and never came back.', 'wolves in the forest'];
    const got = await embedder.embed(texts);
    texts.forEach((t, i) => {
      expect(got[i]).toHaveLength(H);
      expect(cosine(got[i]!, expected(t))).toBeCloseTo(1, 5);
    });
    const [alone] = await embedder.embed(['Hi']);
    expect(cosine(alone!, got[0]!)).toBeCloseTo(1, 6);
  });

  it('says what is missing in a bad folder', async () => {
    await expect(OnnxEmbedder.load(join(dir, 'nope'))).rejects.toThrow(/tokenizer\.json not found/);
  });
});
