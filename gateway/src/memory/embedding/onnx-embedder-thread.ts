/**
 * Worker-thread entry of the ONNX sentence embedder: tokenizes (tokenizer.json via
 * @huggingface/tokenizers), runs the model on onnxruntime-node's CPU provider, mean-pools the
 * token states over the attention mask (or takes a `sentence_embedding` output when the export
 * has one) and L2-normalises. In a thread because session.run() blocks its thread for the
 * whole inference.
 *
 * Messages: parent → {id, texts}; thread → {t:'ready', dimensions} | {id, vectors: Float32Array, dimensions} | {id, error}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';

export interface OnnxThreadData {
  modelPath: string;
  tokenizerPath: string;
  tokenizerConfigPath: string | null;
  maxTokens: number;
}

const { modelPath, tokenizerPath, tokenizerConfigPath, maxTokens } = workerData as OnnxThreadData;
const port = parentPort!;

try {
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(tokenizerPath, 'utf8')) as object, tokenizerConfigPath ? (JSON.parse(readFileSync(tokenizerConfigPath, 'utf8')) as object) : {});
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  const wants = new Set(session.inputNames);

  const embed = async (texts: string[]): Promise<{ vectors: Float32Array; dimensions: number }> => {
    const enc = texts.map((t): { ids: number[]; mask: number[] } => {
      const e = tokenizer.encode(t);
      return { ids: e.ids.slice(0, maxTokens), mask: e.attention_mask.slice(0, maxTokens) };
    });
    const len = Math.max(1, ...enc.map((e) => e.ids.length));
    const ids = new BigInt64Array(texts.length * len);
    const mask = new BigInt64Array(texts.length * len);
    enc.forEach((e, b) => e.ids.forEach((id: number, i: number) => {
      ids[b * len + i] = BigInt(id);
      mask[b * len + i] = BigInt(e.mask[i] ?? 1);
    }));
    const feeds: Record<string, ort.Tensor> = {};
    const dims = [texts.length, len];
    if (wants.has('input_ids')) feeds.input_ids = new ort.Tensor('int64', ids, dims);
    if (wants.has('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', mask, dims);
    if (wants.has('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(ids.length), dims);
    const out = await session.run(feeds);
    const pooled = out.sentence_embedding;
    if (pooled) {
      const d = pooled.dims[1]!;
      return { vectors: normalizeRows(Float32Array.from(pooled.data as Float32Array), d), dimensions: d };
    }
    const hidden = out.last_hidden_state ?? out[session.outputNames[0]!]!;
    const h = hidden.dims[2]!;
    const data = hidden.data as Float32Array;
    const vectors = new Float32Array(texts.length * h);
    for (let b = 0; b < texts.length; b++) {
      let n = 0;
      for (let i = 0; i < len; i++) {
        if (mask[b * len + i] === 0n) continue;
        n++;
        for (let k = 0; k < h; k++) vectors[b * h + k]! += data[(b * len + i) * h + k]!;
      }
      for (let k = 0; k < h; k++) vectors[b * h + k]! /= Math.max(1, n);
    }
    return { vectors: normalizeRows(vectors, h), dimensions: h };
  };

  const probe = await embed(['hello']);
  port.postMessage({ t: 'ready', dimensions: probe.dimensions });
  port.on('message', (msg: { id: number; texts: string[] }) => {
    embed(msg.texts).then(
      (r) => port.postMessage({ id: msg.id, ...r }, [r.vectors.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
} catch (err) {
  port.postMessage({ t: 'error', error: err instanceof Error ? err.message : String(err) });
}

function normalizeRows(v: Float32Array, d: number): Float32Array {
  for (let r = 0; r < v.length / d; r++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += v[r * d + k]! ** 2;
    const n = Math.sqrt(s) || 1;
    for (let k = 0; k < d; k++) v[r * d + k]! /= n;
  }
  return v;
}
