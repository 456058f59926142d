/**
 * A tiny Llama-shaped decoder-only language model as an ONNX graph, with deterministic (seeded)
 * weights, in the Hugging Face Optimum / transformers.js I/O layout:
 *
 *   inputs  input_ids int64 [B,S], attention_mask int64 [B,T], position_ids int64 [B,S] (not in
 *           the GQA variant), past_key_values.N.key|value [B,kvH,P,D], use_cache_branch bool[1]
 *           (merged variant only)
 *   outputs logits [B,S,V], present.N.key|value [B,kvH,T,D]
 *
 * Architecture: token embedding → N × (RMSNorm → attention with rotary embeddings and grouped KV
 * heads → residual → RMSNorm → SwiGLU MLP → residual) → RMSNorm → lm_head.
 *
 * Variants:
 * - `plain`: attention from standard ONNX ops; left padding via the attention mask.
 * - `merged`: as plain, plus the legacy `use_cache_branch` input that selects the past
 *   (If nodes), as in Optimum's merged decoder exports.
 * - `gqa`: attention by the com.microsoft GroupQueryAttention op (rotary inside, positions from
 *   the mask), as onnxruntime-genai model-builder exports do; no position_ids input. Same
 *   weights as plain, so both compute the same function.
 *
 * `script` adds a bias by position: the token fed at position p strongly prefers token t next.
 * Tests use it to make the model say a chosen text after a prompt of known length (UTF-8 split
 * across tokens, stop strings, emotion tags) through the real decoding path.
 */
import { DT, encodeModel, GraphBuilder, type ElemType } from './onnx-graph.js';
import { mulberry32 } from '../../util/mulberry32.js';

export interface LlamaDims {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  maxPositions: number;
  ropeTheta: number;
  rmsEps: number;
}

export type TestModelVariant = 'plain' | 'merged' | 'gqa';

export interface LlamaGraphOptions {
  dims: LlamaDims;
  variant: TestModelVariant;
  seed: number;
  /** KV cache (and logits) element type at the graph boundary; compute stays float32. */
  kvType?: 'float32' | 'float16';
  /** Positional bias: pairs [p, t] meaning "after the token at position p, say t" (plain and merged variants). */
  script?: Array<[number, number]>;
  /** Logit bonus of a scripted next token (default 40: dominates the random logits). */
  scriptStrength?: number;
}


/** Seeded normal(0, std) values (Box–Muller). */
function normals(rng: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Rotary tables: angle[p][i] = p / theta^(2i/D) for i < D/2. `full` repeats them (HF layout [P, D]). */
function rotaryTables(d: LlamaDims, full: boolean): { cos: Float32Array; sin: Float32Array; width: number } {
  const half = d.headDim / 2;
  const width = full ? d.headDim : half;
  const cos = new Float32Array(d.maxPositions * width);
  const sin = new Float32Array(d.maxPositions * width);
  for (let p = 0; p < d.maxPositions; p++) {
    for (let i = 0; i < width; i++) {
      const angle = p / Math.pow(d.ropeTheta, (2 * (i % half)) / d.headDim);
      cos[p * width + i] = Math.cos(angle);
      sin[p * width + i] = Math.sin(angle);
    }
  }
  return { cos, sin, width };
}

export function buildLlamaGraph(opts: LlamaGraphOptions): Uint8Array {
  const { dims: d, variant } = opts;
  if (d.heads % d.kvHeads !== 0) throw new Error('heads must be a multiple of kvHeads');
  if (d.headDim % 2 !== 0) throw new Error('headDim must be even');
  const rng = mulberry32(opts.seed);
  const g = new GraphBuilder();
  const kvType: ElemType = opts.kvType === 'float16' ? DT.float16 : DT.float;
  const gqa = variant === 'gqa';

  // ── inputs ──
  const inputIds = g.input('input_ids', DT.int64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', DT.int64, ['batch_size', 'total_sequence_length']);
  const positionIds = gqa ? undefined : g.input('position_ids', DT.int64, ['batch_size', 'sequence_length']);
  const pastNames: Array<{ key: string; value: string }> = [];
  for (let l = 0; l < d.layers; l++) {
    pastNames.push({
      key: g.input(`past_key_values.${l}.key`, kvType, ['batch_size', d.kvHeads, 'past_sequence_length', d.headDim]),
      value: g.input(`past_key_values.${l}.value`, kvType, ['batch_size', d.kvHeads, 'past_sequence_length', d.headDim]),
    });
  }
  const useCache = variant === 'merged' ? g.input('use_cache_branch', DT.bool, [1]) : undefined;

  // ── weights ──
  const w = (name: string, shape: number[], std: number) => g.initFloat(name, shape, normals(rng, shape.reduce((a, b) => a * b, 1), std));
  const normWeight = (name: string) => {
    const x = normals(rng, d.hidden, 0.1);
    for (let i = 0; i < x.length; i++) x[i]! += 1;
    return g.initFloat(name, [d.hidden], x);
  };
  const embed = w('model.embed_tokens.weight', [d.vocabSize, d.hidden], 1);

  // ── shared pieces ──
  const axisLast = [-1];
  const eps = g.constF32([d.rmsEps], []);
  const rmsNorm = (x: string, weight: string) => {
    const ms = g.op1('ReduceMean', [g.op1('Mul', [x, x])], { axes: axisLast, keepdims: 1 });
    const inv = g.op1('Reciprocal', [g.op1('Sqrt', [g.op1('Add', [ms, eps])])]);
    return g.op1('Mul', [g.op1('Mul', [x, inv]), weight]);
  };
  const toFloat = (x: string) => (kvType === DT.float ? x : g.op1('Cast', [x], { to: DT.float }));
  const fromFloat = (x: string, name: string) => (kvType === DT.float ? g.op1('Identity', [x], {}, name) : g.op1('Cast', [x], { to: kvType }, name));

  let x = g.op1('Gather', [embed, inputIds], { axis: 0 });
  const scale = gqa ? '' : g.constF32([1 / Math.sqrt(d.headDim)], []);
  const rep = d.heads / d.kvHeads;

  // Plain/merged: rotary cos/sin for the given positions and the additive attention bias.
  let cos = '', sin = '', bias = '';
  if (!gqa) {
    const rot = rotaryTables(d, true);
    const cosT = g.initFloat('rotary.cos', [d.maxPositions, rot.width], rot.cos);
    const sinT = g.initFloat('rotary.sin', [d.maxPositions, rot.width], rot.sin);
    const ax1 = g.constI64([1]);
    cos = g.op1('Unsqueeze', [g.op1('Gather', [cosT, positionIds!], { axis: 0 }), ax1]); // [B,1,S,D]
    sin = g.op1('Unsqueeze', [g.op1('Gather', [sinT, positionIds!], { axis: 0 }), ax1]);
    // Key j is visible to query i iff mask[b,j] = 1 and j ≤ (T − S) + i (causal in padded coordinates).
    const one = g.constI64([1], []);
    const zero = g.constI64([0], []);
    const S = g.op1('Gather', [g.op1('Shape', [inputIds]), one], { axis: 0 });
    const T = g.op1('Gather', [g.op1('Shape', [mask]), one], { axis: 0 });
    const keyPos = g.op1('Range', [zero, T, one]);
    const queryPos = g.op1('Range', [g.op1('Sub', [T, S]), T, one]);
    const causal = g.op1('LessOrEqual', [g.op1('Unsqueeze', [keyPos, g.constI64([0])]), g.op1('Unsqueeze', [queryPos, g.constI64([1])])]); // [S,T]
    const padOk = g.op1('Unsqueeze', [g.op1('Cast', [mask], { to: DT.bool }), g.constI64([1, 2])]); // [B,1,1,T]
    bias = g.op1('Where', [g.op1('And', [causal, padOk]), g.constF32([0], []), g.constF32([-1e9], [])]); // [B,1,S,T]
  }
  // GQA: rotary caches [P, D/2], per-row lengths from the mask (right padding).
  let cosCache = '', sinCache = '', seqlensK = '', totalLen = '';
  if (gqa) {
    const rot = rotaryTables(d, false);
    cosCache = g.initFloat('rotary.cos_cache', [d.maxPositions, rot.width], rot.cos);
    sinCache = g.initFloat('rotary.sin_cache', [d.maxPositions, rot.width], rot.sin);
    const lens = g.op1('ReduceSum', [mask, g.constI64([1])], { keepdims: 0 });
    seqlensK = g.op1('Cast', [g.op1('Sub', [lens, g.constI64([1], [])])], { to: DT.int32 });
    totalLen = g.op1('Cast', [g.op1('Gather', [g.op1('Shape', [mask]), g.constI64([1], [])], { axis: 0 })], { to: DT.int32 });
  }

  const rotateHalf = (t: string) => {
    const half = d.headDim / 2;
    const ax = g.constI64([3]);
    const x1 = g.op1('Slice', [t, g.constI64([0]), g.constI64([half]), ax]);
    const x2 = g.op1('Slice', [t, g.constI64([half]), g.constI64([d.headDim]), ax]);
    return g.op1('Concat', [g.op1('Neg', [x2]), x1], { axis: 3 });
  };
  const applyRotary = (t: string) => g.op1('Add', [g.op1('Mul', [t, cos]), g.op1('Mul', [rotateHalf(t), sin])]);
  const toHeads = (t: string, n: number) => g.op1('Transpose', [g.op1('Reshape', [t, g.constI64([0, 0, n, d.headDim])])], { perm: [0, 2, 1, 3] });
  /** Past as the graph sees it: the input itself, or (merged variant) If(use_cache_branch, past, past[:, :, 0:0]). */
  const selectPast = (past: string, tag: string) => {
    if (!useCache) return past;
    const thenB = new GraphBuilder(`${tag}_then_`);
    thenB.op1('Identity', [past], {}, `${tag}_then_out`);
    thenB.output(`${tag}_then_out`, kvType, ['batch_size', d.kvHeads, 'past_len', d.headDim]);
    const elseB = new GraphBuilder(`${tag}_else_`);
    elseB.op1('Slice', [past, elseB.constI64([0]), elseB.constI64([0]), elseB.constI64([2])], {}, `${tag}_else_out`);
    elseB.output(`${tag}_else_out`, kvType, ['batch_size', d.kvHeads, 0, d.headDim]);
    return g.op1('If', [useCache], { then_branch: thenB.graph(`${tag}_then`), else_branch: elseB.graph(`${tag}_else`) });
  };

  for (let l = 0; l < d.layers; l++) {
    const p = `model.layers.${l}`;
    const ln1 = normWeight(`${p}.input_layernorm.weight`);
    const wq = w(`${p}.self_attn.q_proj.weight`, [d.hidden, d.heads * d.headDim], 1 / Math.sqrt(d.hidden));
    const wk = w(`${p}.self_attn.k_proj.weight`, [d.hidden, d.kvHeads * d.headDim], 1 / Math.sqrt(d.hidden));
    const wv = w(`${p}.self_attn.v_proj.weight`, [d.hidden, d.kvHeads * d.headDim], 1 / Math.sqrt(d.hidden));
    const wo = w(`${p}.self_attn.o_proj.weight`, [d.heads * d.headDim, d.hidden], 1 / Math.sqrt(d.heads * d.headDim));
    const ln2 = normWeight(`${p}.post_attention_layernorm.weight`);
    const wg = w(`${p}.mlp.gate_proj.weight`, [d.hidden, d.intermediate], 1 / Math.sqrt(d.hidden));
    const wu = w(`${p}.mlp.up_proj.weight`, [d.hidden, d.intermediate], 1 / Math.sqrt(d.hidden));
    const wd = w(`${p}.mlp.down_proj.weight`, [d.intermediate, d.hidden], 1 / Math.sqrt(d.intermediate));

    const h = rmsNorm(x, ln1);
    const q3 = g.op1('MatMul', [h, wq]);
    const k3 = g.op1('MatMul', [h, wk]);
    const v3 = g.op1('MatMul', [h, wv]);
    const past = pastNames[l]!;
    let attn: string;
    if (gqa) {
      const [out, presentK, presentV] = g.op(
        'GroupQueryAttention',
        [q3, k3, v3, toFloat(past.key), toFloat(past.value), seqlensK, totalLen, cosCache, sinCache],
        { num_heads: d.heads, kv_num_heads: d.kvHeads, do_rotary: 1, rotary_interleaved: 0 },
        3,
        'com.microsoft',
      ) as [string, string, string];
      fromFloat(presentK, `present.${l}.key`);
      fromFloat(presentV, `present.${l}.value`);
      attn = out;
    } else {
      const q = applyRotary(toHeads(q3, d.heads));
      const k = applyRotary(toHeads(k3, d.kvHeads));
      const v = toHeads(v3, d.kvHeads);
      const presentK = g.op1('Concat', [toFloat(selectPast(past.key, `l${l}k`)), k], { axis: 2 });
      const presentV = g.op1('Concat', [toFloat(selectPast(past.value, `l${l}v`)), v], { axis: 2 });
      fromFloat(presentK, `present.${l}.key`);
      fromFloat(presentV, `present.${l}.value`);
      const expand = (t: string) => {
        if (rep === 1) return t;
        const e = g.op1('Expand', [g.op1('Unsqueeze', [t, g.constI64([2])]), g.constI64([1, 1, rep, 1, 1])]);
        return g.op1('Reshape', [e, g.constI64([0, d.heads, -1, d.headDim])]);
      };
      const kT = g.op1('Transpose', [expand(presentK)], { perm: [0, 1, 3, 2] });
      const scores = g.op1('Add', [g.op1('Mul', [g.op1('MatMul', [q, kT]), scale]), bias]);
      const probs = g.op1('Softmax', [scores], { axis: -1 });
      const ctx = g.op1('MatMul', [probs, expand(presentV)]);
      attn = g.op1('Reshape', [g.op1('Transpose', [ctx], { perm: [0, 2, 1, 3] }), g.constI64([0, 0, d.heads * d.headDim])]);
    }
    x = g.op1('Add', [x, g.op1('MatMul', [attn, wo])]);
    const h2 = rmsNorm(x, ln2);
    const gate = g.op1('MatMul', [h2, wg]);
    const act = g.op1('Mul', [g.op1('Mul', [gate, g.op1('Sigmoid', [gate])]), g.op1('MatMul', [h2, wu])]);
    x = g.op1('Add', [x, g.op1('MatMul', [act, wd])]);
  }

  const normOut = normWeight('model.norm.weight');
  const lmHead = w('lm_head.weight', [d.hidden, d.vocabSize], 3 / Math.sqrt(d.hidden));
  let logits = g.op1('MatMul', [rmsNorm(x, normOut), lmHead]);
  if (opts.script && opts.script.length > 0) {
    if (!positionIds) throw new Error('a scripted test model needs position_ids (plain or merged variant)');
    const table = new Float32Array(d.maxPositions * d.vocabSize);
    for (const [p, t] of opts.script) table[p * d.vocabSize + t] = opts.scriptStrength ?? 40;
    const scriptBias = g.initFloat('script.bias', [d.maxPositions, d.vocabSize], table);
    logits = g.op1('Add', [logits, g.op1('Gather', [scriptBias, positionIds], { axis: 0 })]);
  }
  fromFloat(logits, 'logits');

  g.output('logits', kvType, ['batch_size', 'sequence_length', d.vocabSize]);
  for (let l = 0; l < d.layers; l++) {
    g.output(`present.${l}.key`, kvType, ['batch_size', d.kvHeads, 'total_sequence_length', d.headDim]);
    g.output(`present.${l}.value`, kvType, ['batch_size', d.kvHeads, 'total_sequence_length', d.headDim]);
  }
  return encodeModel(g.graph('parley_tiny_llama'), 17, gqa);
}
