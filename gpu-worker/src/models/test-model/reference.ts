/**
 * Reference decoding for tests: greedy generation by full recomputation — the whole sequence
 * through the model every step, no KV cache, no batching, no padding. Whatever the engine does
 * with caches, batches and padding must give the same tokens.
 */
import * as ort from 'onnxruntime-node';
import { argmax } from '../sampler.js';

export async function recomputeGreedy(session: ort.InferenceSession, prompt: readonly number[], maxNewTokens: number, eosIds: ReadonlySet<number>, geometry: { kvHeads: number; headDim: number }): Promise<number[]> {
  const tokens = [...prompt];
  const out: number[] = [];
  for (let step = 0; step < maxNewTokens; step++) {
    const logits = await fullLogits(session, tokens, geometry);
    const next = argmax(logits);
    if (eosIds.has(next)) break;
    tokens.push(next);
    out.push(next);
  }
  return out;
}

/** Logits after the last token of `tokens`, computed from scratch. */
export async function fullLogits(session: ort.InferenceSession, tokens: readonly number[], g: { kvHeads: number; headDim: number }): Promise<Float32Array> {
  const n = tokens.length;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens.map(BigInt)), [1, n]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  };
  if (session.inputNames.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', BigInt64Array.from(tokens.map((_, i) => BigInt(i))), [1, n]);
  if (session.inputNames.includes('use_cache_branch')) feeds.use_cache_branch = new ort.Tensor('bool', [false], [1]);
  for (const name of session.inputNames) if (name.startsWith('past_key_values.')) feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, g.kvHeads, 0, g.headDim]);
  const out = await session.run(feeds);
  const logits = out.logits!;
  const V = Number(logits.dims[2]);
  return (logits.data as Float32Array).slice((n - 1) * V, n * V);
}
