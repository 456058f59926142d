/**
 * Checks a decoder session's inputs and outputs against the layout Parley drives, and describes
 * it: how many layers, which optional inputs exist, the element types, the KV geometry.
 *
 * Expected (Optimum / transformers.js / onnxruntime-genai decoders):
 *   inputs   input_ids, attention_mask, [position_ids], past_key_values.N.key|value, [use_cache_branch]
 *   outputs  logits, present.N.key|value
 */
import type { InferenceSession } from 'onnxruntime-node';
import { ModelLoadError } from './model-errors.js';

export type KvElementType = 'float32' | 'float16';
export type IndexElementType = 'int64' | 'int32';

export interface ModelIo {
  layers: number;
  idsType: IndexElementType;
  maskType: IndexElementType;
  positionType: IndexElementType | undefined;
  hasUseCacheBranch: boolean;
  kvType: KvElementType;
  logitsType: KvElementType;
  /** From the input shape when it is fixed there; otherwise from config.json. */
  kvHeads: number | undefined;
  headDim: number | undefined;
  vocabSize: number | undefined;
  /** Past input names in feed order: layer 0 key, layer 0 value, layer 1 key, … */
  pastNames: string[];
  /** Present output names in the same order. */
  presentNames: string[];
}

type SessionShape = Pick<InferenceSession, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>;
type Meta = InferenceSession.ValueMetadata;

const PAST_RE = /^past_key_values\.(\d+)\.(key|value)$/;
const EXPECTED = 'expected inputs input_ids, attention_mask, [position_ids], past_key_values.N.key|value, [use_cache_branch] and outputs logits, present.N.key|value';

function typeOf(meta: readonly Meta[], name: string): string | undefined {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m.type : undefined;
}

function shapeOf(meta: readonly Meta[], name: string): ReadonlyArray<number | string> | undefined {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m.shape : undefined;
}

function indexType(meta: readonly Meta[], name: string): IndexElementType {
  const t = typeOf(meta, name);
  if (t === 'int64' || t === 'int32') return t;
  throw new ModelLoadError('unsupported_dtype', `model input ${name} is ${t ?? 'not a tensor'}; Parley supports int64 or int32 there`);
}

function floatType(meta: readonly Meta[], name: string, what: string): KvElementType {
  const t = typeOf(meta, name);
  if (t === 'float32' || t === 'float16') return t;
  throw new ModelLoadError('unsupported_dtype', `${what} ${name} is ${t ?? 'not a tensor'}; Parley supports float32 and float16 (quantized weights are fine, but the KV cache and logits must be float)`);
}

const fixed = (d: number | string | undefined): number | undefined => (typeof d === 'number' && d > 0 ? d : undefined);

export function describeModelIo(session: SessionShape): ModelIo {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const has = `the model has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`;
  for (const name of ['input_ids', 'attention_mask']) if (!inputs.has(name)) throw new ModelLoadError('bad_io', `model input ${name} is missing: ${has}; ${EXPECTED}`);
  if (!outputs.has('logits')) throw new ModelLoadError('bad_io', `model output logits is missing: ${has}; ${EXPECTED}`);

  const layersSeen = new Set<number>();
  const unknown: string[] = [];
  for (const name of session.inputNames) {
    const m = PAST_RE.exec(name);
    if (m) layersSeen.add(Number(m[1]));
    else if (!['input_ids', 'attention_mask', 'position_ids', 'use_cache_branch'].includes(name)) unknown.push(name);
  }
  if (unknown.length > 0) throw new ModelLoadError('bad_io', `model inputs not supported: ${unknown.join(', ')} (${has}; ${EXPECTED})`);
  const layers = layersSeen.size;
  if (layers === 0) throw new ModelLoadError('bad_io', `model has no past_key_values.N.key|value inputs: export it with a KV cache ("text-generation-with-past"); ${has}`);
  const pastNames: string[] = [];
  const presentNames: string[] = [];
  for (let l = 0; l < layers; l++) {
    for (const kv of ['key', 'value']) {
      const past = `past_key_values.${l}.${kv}`;
      const present = `present.${l}.${kv}`;
      if (!inputs.has(past)) throw new ModelLoadError('bad_io', `model input ${past} is missing (layers must be numbered 0..${layers - 1}): ${has}`);
      if (!outputs.has(present)) throw new ModelLoadError('bad_io', `model output ${present} is missing: ${has}; ${EXPECTED}`);
      pastNames.push(past);
      presentNames.push(present);
    }
  }

  const kvType = floatType(session.inputMetadata, pastNames[0]!, 'KV cache input');
  for (const n of pastNames) if (floatType(session.inputMetadata, n, 'KV cache input') !== kvType) throw new ModelLoadError('unsupported_dtype', `KV cache inputs mix element types (${pastNames[0]} is ${kvType}, ${n} is not)`);
  const logitsType = floatType(session.outputMetadata, 'logits', 'output');
  if (inputs.has('use_cache_branch') && typeOf(session.inputMetadata, 'use_cache_branch') !== 'bool') throw new ModelLoadError('unsupported_dtype', 'model input use_cache_branch must be bool');
  const pastShape = shapeOf(session.inputMetadata, pastNames[0]!);
  const logitsShape = shapeOf(session.outputMetadata, 'logits');
  return {
    layers,
    idsType: indexType(session.inputMetadata, 'input_ids'),
    maskType: indexType(session.inputMetadata, 'attention_mask'),
    positionType: inputs.has('position_ids') ? indexType(session.inputMetadata, 'position_ids') : undefined,
    hasUseCacheBranch: inputs.has('use_cache_branch'),
    kvType,
    logitsType,
    kvHeads: fixed(pastShape?.[1]),
    headDim: fixed(pastShape?.[3]),
    vocabSize: fixed(logitsShape?.[2]),
    pastNames,
    presentNames,
  };
}
