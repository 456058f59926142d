/**
 * Builds a tiny Llama-shaped test model folder (seeded weights, byte-level BPE tokenizer, ChatML
 * template) — for trying the `onnx` dialogue backend without downloading a model:
 *
 *   npx tsx tools/src/models/build-test-model.ts --out .parley/test-model [--variant plain|merged|gqa] [--seed N]
 *   PARLEY_DIALOGUE_BACKEND=onnx PARLEY_MODEL_DIR=.parley/test-model npm start
 *
 * Its replies are gibberish (the weights are random); it exercises loading, batching, streaming
 * and speech end to end. See docs/models.md.
 */
import { parseArgs } from 'node:util';
import { buildTestModel, type TestModelVariant } from '../../../gpu-worker/src/models/test-model/build-test-model.js';

const USAGE = 'usage: build-test-model --out DIR [--variant plain|merged|gqa] [--seed N] [--hidden N] [--layers N]';

function fail(message: string): never {
  console.error(`build-test-model: ${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { out: { type: 'string' }, variant: { type: 'string', default: 'plain' }, seed: { type: 'string', default: '1' }, hidden: { type: 'string' }, layers: { type: 'string' }, help: { type: 'boolean' } } }));
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.out) fail('--out is required');
const variant = values.variant as TestModelVariant;
if (!['plain', 'merged', 'gqa'].includes(variant)) fail(`--variant must be plain, merged or gqa, not ${JSON.stringify(values.variant)}`);
const whole = (name: string, s: string | undefined, min: number, max: number): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
};
const seed = whole('seed', values.seed, 0, 2 ** 31 - 1)!;
const hidden = whole('hidden', values.hidden, 16, 4096);
const layers = whole('layers', values.layers, 1, 64);
if (hidden !== undefined && hidden % 64 !== 0) fail('--hidden must be a multiple of 64 (4 heads of 16)');

const t0 = performance.now();
const m = buildTestModel(values.out, { variant, seed, dims: { ...(hidden ? { hidden, headDim: hidden / 4 } : {}), ...(layers ? { layers } : {}) } });
console.log(`built ${variant} test model in ${m.dir} (${(m.onnxBytes / 1024).toFixed(0)} KiB ONNX, vocab ${m.dims.vocabSize}, ${m.dims.layers} layers, hidden ${m.dims.hidden}) in ${Math.round(performance.now() - t0)} ms`);
