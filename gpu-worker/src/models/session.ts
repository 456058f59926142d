/**
 * Opens an ONNX Runtime session on the configured execution provider. CUDA is tried only when
 * asked for; if its provider libraries are missing (or there is no GPU), session creation
 * throws and we fall back to CPU, reporting why, so the logs always say which provider runs.
 */
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from './model-errors.js';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface ModelSessionOptions {
  provider: ExecutionProvider;
  cudaDevice?: number;
  /** ORT intra-op threads (0 = ORT's default: one per physical core). */
  intraOpThreads?: number;
  /** ORT inter-op threads (0 = default). */
  interOpThreads?: number;
  /** Let ORT's pool threads spin between ops (default false: they would take CPU from the I/O and speech threads). */
  spinning?: boolean;
}

export interface ModelSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Why CUDA was not used although configured. */
  fallbackReason: string | undefined;
}

function baseOptions(o: ModelSessionOptions): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: ORT's warnings (e.g. unused initializers) are not ours to act on
    ...(o.intraOpThreads ? { intraOpNumThreads: o.intraOpThreads } : {}),
    ...(o.interOpThreads ? { interOpNumThreads: o.interOpThreads } : {}),
    extra: { session: { intra_op: { allow_spinning: o.spinning ? '1' : '0' }, inter_op: { allow_spinning: o.spinning ? '1' : '0' } } },
  };
}

export async function createModelSession(path: string, o: ModelSessionOptions): Promise<ModelSession> {
  let fallbackReason: string | undefined;
  if (o.provider === 'cuda') {
    try {
      const session = await ort.InferenceSession.create(path, { ...baseOptions(o), executionProviders: [{ name: 'cuda', deviceId: o.cudaDevice ?? 0 }] });
      return { session, provider: 'cuda', fallbackReason: undefined };
    } catch (e) {
      fallbackReason = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    }
  }
  try {
    const session = await ort.InferenceSession.create(path, { ...baseOptions(o), executionProviders: ['cpu'] });
    return { session, provider: 'cpu', fallbackReason };
  } catch (e) {
    throw new ModelLoadError('session_failed', `onnxruntime cannot load ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
