import * as ort from 'onnxruntime-node';
import { readdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildTestModel } from './src/models/test-model/build-test-model.js';
import { BENCH_SIZES } from './bench/models.bench.js';
import { loadModel } from './src/models/load-model.js';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const variant = (process.argv[3] ?? 'plain') as any;
buildTestModel(dir, { variant, dims: BENCH_SIZES[(process.argv[4] ?? 'small') as 'small'] });
const m = await loadModel({ dir, provider: 'cpu' });
const onnx = readdirSync(join(dir, 'onnx'))[0]!;
const B = Number(process.argv[2] ?? 16);
const sess = await ort.InferenceSession.create(join(dir, 'onnx', onnx), { graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: process.env.SPIN ?? '0' } } } });
const { kvHeads, headDim } = m.geometry;
const MAX = 200;
const V = m.runner.vocabSize;
console.log(sess.outputNames);
for (const pre of [false, false]) {
  let P = Number(process.env.P ?? 80);
  const arenas = [m.io.pastNames.map(() => new Float32Array(B * kvHeads * MAX * headDim)), m.io.pastNames.map(() => new Float32Array(B * kvHeads * MAX * headDim))];
  let kv: Float32Array[] = m.io.pastNames.map(() => new Float32Array(B * kvHeads * P * headDim));
  const logits = new Float32Array(B * V);
  const i64 = (n: number, v: bigint) => new ort.Tensor('int64', new BigInt64Array(n).fill(v), [B, n / B]);
  let t = 0;
  for (let s = 0; s < 40; s++) {
    const feeds: Record<string, ort.Tensor> = { input_ids: i64(B, 5n), attention_mask: i64(B * (P + 1), 1n) };
    if (m.io.positionType) feeds.position_ids = i64(B, BigInt(P));
    m.io.pastNames.forEach((n, i) => (feeds[n] = new ort.Tensor('float32', kv[i]!.subarray(0, B * kvHeads * P * headDim), [B, kvHeads, P, headDim])));
    let fetches: Record<string, ort.Tensor> | undefined;
    if (pre) {
      const out = arenas[s % 2]!;
      fetches = { logits: new ort.Tensor('float32', logits, [B, 1, V]) };
      m.io.presentNames.forEach((n, i) => (fetches![n] = new ort.Tensor('float32', out[i]!.subarray(0, B * kvHeads * (P + 1) * headDim), [B, kvHeads, P + 1, headDim])));
    }
    const t0 = performance.now();
    const out = fetches ? await sess.run(feeds, fetches) : await sess.run(feeds);
    if (s >= 5) t += performance.now() - t0;
    kv = m.io.presentNames.map((n) => out[n]!.data as Float32Array);
    if (pre && kv[0]!.buffer !== arenas[s % 2]![0]!.buffer) throw new Error('not written in place');
    P++;
  }
  console.log(variant, 'B', B, pre ? 'preallocated outputs' : 'ORT-allocated outputs', 'ms/step', (t / 35).toFixed(2));
}
