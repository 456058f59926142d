/**
 * Loads a model folder into everything generation needs: the ONNX session (on CUDA or CPU), its
 * checked I/O description, the KV geometry, the tokenizer and chat template, and a runner.
 */
import { BatchEngine, type EngineOptions } from './batch-engine.js';
import type { KvGeometry } from './kv-batch.js';
import { ModelLoadError } from './model-errors.js';
import { readModelFolder, type ModelFolder, type PaddingSide } from './model-folder.js';
import { describeModelIo, type ModelIo } from './model-io.js';
import { ModelRunner } from './model-runner.js';
import { createModelSession, type ExecutionProvider, type ModelSession } from './session.js';
import { TextCodec } from './text-codec.js';

export interface LoadModelOptions {
  dir: string;
  file?: string | undefined;
  padding?: PaddingSide | undefined;
  provider?: ExecutionProvider;
  cudaDevice?: number;
  intraOpThreads?: number;
  interOpThreads?: number;
  /** ORT pool threads spin between ops (default false). */
  spinning?: boolean;
  /** Cap on prompt + reply tokens (default: the model's own context length, else 2048). */
  maxContext?: number | undefined;
}

export interface ModelInfo {
  dir: string;
  onnxPath: string;
  provider: ExecutionProvider;
  fallbackReason: string | undefined;
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: string;
  layout: PaddingSide;
  maxContext: number;
  hasPositionIds: boolean;
  hasUseCacheBranch: boolean;
  loadMs: number;
}

export interface LoadedModel {
  folder: ModelFolder;
  session: ModelSession;
  io: ModelIo;
  geometry: KvGeometry;
  codec: TextCodec;
  runner: ModelRunner;
  info: ModelInfo;
  /** A batching engine on this model (prompts prefilled together on CUDA, one by one on CPU unless told). */
  createEngine(opts: Pick<EngineOptions, 'maxBatch' | 'maxPrefillTokens' | 'prefillTogether' | 'prefixCacheBytes'>): BatchEngine;
}

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined);

export async function loadModel(o: LoadModelOptions): Promise<LoadedModel> {
  const t0 = performance.now();
  const folder = readModelFolder(o.dir, { file: o.file, padding: o.padding });
  const codec = TextCodec.fromFolder(folder);
  const session = await createModelSession(folder.onnxPath, { provider: o.provider ?? 'cpu', cudaDevice: o.cudaDevice ?? 0, intraOpThreads: o.intraOpThreads ?? 0, interOpThreads: o.interOpThreads ?? 0, spinning: o.spinning ?? false });
  try {
    const io = describeModelIo(session.session);
    const c = folder.config;
    const configLayers = num(c.num_hidden_layers) ?? num(c.n_layer);
    if (configLayers !== undefined && configLayers !== io.layers) throw new ModelLoadError('bad_io', `config.json says ${configLayers} layers but the ONNX model has past_key_values for ${io.layers}`);
    const heads = num(c.num_attention_heads) ?? num(c.n_head);
    const kvHeads = io.kvHeads ?? num(c.num_key_value_heads) ?? heads;
    const headDim = io.headDim ?? num(c.head_dim) ?? (num(c.hidden_size) !== undefined && heads ? (c.hidden_size as number) / heads : undefined);
    if (!kvHeads || !headDim || !Number.isInteger(headDim)) throw new ModelLoadError('bad_io', `cannot tell the KV cache shape: the ONNX inputs have symbolic head dimensions and config.json lacks num_key_value_heads/num_attention_heads/head_dim/hidden_size`);
    const geometry: KvGeometry = { layers: io.layers, kvHeads, headDim, kvType: io.kvType, layout: folder.padding };
    const maxContext = o.maxContext ?? folder.maxContext ?? 2048;
    const runner = new ModelRunner(session.session, io, geometry, io.vocabSize ?? num(c.vocab_size) ?? 0);
    const info: ModelInfo = {
      dir: folder.dir,
      onnxPath: folder.onnxPath,
      provider: session.provider,
      fallbackReason: session.fallbackReason,
      layers: io.layers,
      kvHeads,
      headDim,
      kvType: io.kvType,
      layout: folder.padding,
      maxContext,
      hasPositionIds: io.positionType !== undefined,
      hasUseCacheBranch: io.hasUseCacheBranch,
      loadMs: performance.now() - t0,
    };
    return {
      folder,
      session,
      io,
      geometry,
      codec,
      runner,
      info,
      createEngine: (e) => new BatchEngine(runner, { prefillTogether: session.provider === 'cuda', ...e, decode: codec.decode, eosIds: codec.eosIds, maxContext }),
    };
  } catch (e) {
    await session.session.release();
    throw e;
  }
}
