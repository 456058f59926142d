/**
 * Writes a complete test model folder in the Hugging Face Optimum / transformers.js layout —
 * `config.json`, `generation_config.json`, `tokenizer.json`, `tokenizer_config.json` (with a
 * ChatML chat template) and `onnx/model.onnx` — from nothing: seeded weights, a byte-level BPE
 * tokenizer learned from a built-in corpus. Takes milliseconds; nothing is downloaded.
 *
 * Used by tests, the model bench and tools/src/models/build-test-model.ts (a CLI).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { buildByteLevelTokenizer, type BuiltTokenizer } from './bpe-tokenizer.js';
import { TextCodec } from '../text-codec.js';
import { buildLlamaGraph, type LlamaDims, type TestModelVariant } from './llama-graph.js';

export type { TestModelVariant } from './llama-graph.js';

export interface TestModelOptions {
  variant?: TestModelVariant;
  /** Weight seed (default 1). Same seed, same dims: same weights in every variant. */
  seed?: number;
  dims?: Partial<Omit<LlamaDims, 'vocabSize'>>;
  kvType?: 'float32' | 'float16';
  /**
   * Replies the model gives after prompts of a known length (plain and merged variants): the
   * reply's tokens are biased by position, so `text` follows any prompt of exactly
   * `promptTokens` tokens, then `<|im_end|>` (unless `end` is 'none'). Scripts must not overlap.
   */
  scripts?: Array<{ text: string; promptTokens: number; end?: 'eos' | 'none' }>;
  /** ONNX file name under onnx/ (default model.onnx). */
  fileName?: string;
}

export interface BuiltTestModel {
  dir: string;
  dims: LlamaDims;
  variant: TestModelVariant;
  tokenizer: BuiltTokenizer;
  /** Token ids of each script's text. */
  scriptIds: number[][];
  onnxPath: string;
  onnxBytes: number;
}

export const DEFAULT_TEST_DIMS: Omit<LlamaDims, 'vocabSize'> = {
  hidden: 64,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  headDim: 16,
  intermediate: 128,
  maxPositions: 2048,
  ropeTheta: 10000,
  rmsEps: 1e-5,
};

export function buildTestModel(dir: string, opts: TestModelOptions = {}): BuiltTestModel {
  const variant = opts.variant ?? 'plain';
  const tokenizer = buildByteLevelTokenizer({ maxLength: (opts.dims?.maxPositions ?? DEFAULT_TEST_DIMS.maxPositions) });
  const dims: LlamaDims = { ...DEFAULT_TEST_DIMS, ...opts.dims, vocabSize: tokenizer.vocabSize };
  const eos = tokenizer.special['<|im_end|>'];

  const scriptIds: number[][] = [];
  const script: Array<[number, number]> = [];
  if (opts.scripts?.length) {
    const tok = new Tokenizer(tokenizer.tokenizerJson, tokenizer.tokenizerConfig);
    const used = new Set<number>();
    for (const sc of opts.scripts) {
      const ids = tok.encode(sc.text, { add_special_tokens: false }).ids;
      scriptIds.push(ids);
      const reply: number[] = sc.end === 'none' ? ids : [...ids, eos];
      reply.forEach((t, j) => {
        const p = sc.promptTokens - 1 + j;
        if (p >= dims.maxPositions) throw new Error(`script ${JSON.stringify(sc.text)} runs past the ${dims.maxPositions} positions`);
        if (used.has(p)) throw new Error(`scripts overlap at position ${p}`);
        used.add(p);
        script.push([p, t]);
      });
    }
  }

  const onnx = buildLlamaGraph({ dims, variant, seed: opts.seed ?? 1, ...(opts.kvType ? { kvType: opts.kvType } : {}), ...(script.length ? { script } : {}) });
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const onnxPath = join(dir, 'onnx', opts.fileName ?? 'model.onnx');
  writeFileSync(onnxPath, onnx);
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: dims.vocabSize,
    hidden_size: dims.hidden,
    intermediate_size: dims.intermediate,
    num_hidden_layers: dims.layers,
    num_attention_heads: dims.heads,
    num_key_value_heads: dims.kvHeads,
    head_dim: dims.headDim,
    max_position_embeddings: dims.maxPositions,
    rms_norm_eps: dims.rmsEps,
    rope_theta: dims.ropeTheta,
    bos_token_id: tokenizer.special['<|endoftext|>'],
    eos_token_id: eos,
    pad_token_id: tokenizer.special['<|endoftext|>'],
    torch_dtype: opts.kvType === 'float16' ? 'float16' : 'float32',
    tie_word_embeddings: false,
    'transformers.js_config': { use_external_data_format: false },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: [eos, tokenizer.special['<|endoftext|>']], bos_token_id: tokenizer.special['<|endoftext|>'] }, null, 2));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer.tokenizerJson));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizer.tokenizerConfig, null, 2));
  return { dir, dims, variant, tokenizer, scriptIds, onnxPath, onnxBytes: onnx.byteLength };
}

/**
 * The test models' tokenizer and chat template, without building a model: lets a test count the
 * tokens of a prompt before it builds a model scripted to answer it.
 */
export function testModelCodec(): TextCodec {
  const t = buildByteLevelTokenizer();
  return new TextCodec(new Tokenizer(t.tokenizerJson, t.tokenizerConfig), String(t.tokenizerConfig.chat_template), t.tokenizerConfig, [t.special['<|im_end|>'], t.special['<|endoftext|>']]);
}
