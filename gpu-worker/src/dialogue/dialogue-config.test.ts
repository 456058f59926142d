import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../config/worker-config.js';

const env = (extra: Record<string, string>) => ({ PARLEY_DEV_TOKEN: 'dev-token-123', ...extra });

describe('dialogue backend configuration', () => {
  it('defaults to the scripted backend with default sampling', () => {
    const c = loadWorkerConfig(env({}));
    expect(c.backend).toBe('scripted');
    expect(c.dialogue).toMatchObject({ backend: 'scripted', model: undefined, upstream: undefined, historyTurns: 16, scriptedFallback: true });
    expect(c.dialogue.sampling.tiers.gold.maxTokens).toBe(200);
  });

  it('reads the onnx backend settings', () => {
    const c = loadWorkerConfig(env({ PARLEY_DIALOGUE_BACKEND: 'onnx', PARLEY_MODEL_DIR: '/models/qwen', PARLEY_MODEL_FILE: 'model_q4.onnx', PARLEY_MODEL_PROVIDER: 'cuda', PARLEY_MODEL_THREADS: '4', PARLEY_MODEL_MAX_BATCH: '16', PARLEY_MODEL_PREFIX_CACHE_MB: '64', PARLEY_SAMPLING: '{"bronze":{"maxTokens":40}}' }));
    expect(c.dialogue.model).toEqual({ dir: '/models/qwen', file: 'model_q4.onnx', provider: 'cuda', cudaDevice: 0, threads: 4, maxBatch: 16, prefixCacheMb: 64, maxContext: undefined, padding: undefined });
    expect(c.dialogue.sampling.tiers.bronze.maxTokens).toBe(40);
  });

  it('reads the upstream settings', () => {
    const c = loadWorkerConfig(env({ PARLEY_DIALOGUE_BACKEND: 'openai', PARLEY_UPSTREAM_URL: 'http://10.0.0.5:8000/v1', PARLEY_UPSTREAM_MODEL: 'mistral-7b', PARLEY_UPSTREAM_RETRIES: '1', PARLEY_UPSTREAM_VENDOR_PARAMS: 'false' }));
    expect(c.dialogue.upstream).toEqual({ url: 'http://10.0.0.5:8000/v1', model: 'mistral-7b', apiKey: undefined, timeoutMs: 15000, idleTimeoutMs: 10000, retries: 1, vendorParams: false });
  });

  it.each([
    [{ PARLEY_DIALOGUE_BACKEND: 'llama' }, /^PARLEY_DIALOGUE_BACKEND="llama": must be one of: scripted, onnx, openai/],
    [{ PARLEY_DIALOGUE_BACKEND: 'onnx' }, /^PARLEY_MODEL_DIR is not set/],
    [{ PARLEY_DIALOGUE_BACKEND: 'openai', PARLEY_UPSTREAM_MODEL: 'm' }, /^PARLEY_UPSTREAM_URL is not set/],
    [{ PARLEY_DIALOGUE_BACKEND: 'openai', PARLEY_UPSTREAM_URL: 'http://x/v1' }, /^PARLEY_UPSTREAM_MODEL is not set/],
    [{ PARLEY_UPSTREAM_URL: 'ftp://x' }, /^PARLEY_UPSTREAM_URL="ftp:\/\/x": must be an http/],
    [{ PARLEY_MODEL_PROVIDER: 'tpu' }, /^PARLEY_MODEL_PROVIDER="tpu": must be cpu or cuda/],
    [{ PARLEY_MODEL_MAX_BATCH: '0' }, /^PARLEY_MODEL_MAX_BATCH="0": must be ≥ 1/],
    [{ PARLEY_MODEL_PREFIX_CACHE_MB: '-1' }, /^PARLEY_MODEL_PREFIX_CACHE_MB="-1": must be/],
    [{ PARLEY_SAMPLING: '{"gold":{"topP":0}}' }, /^PARLEY_SAMPLING=.*gold\.topP: /],
  ])('names the variable in error %#', (extra, message) => {
    expect(() => loadWorkerConfig(env(extra as Record<string, string>))).toThrow(message);
  });
});
