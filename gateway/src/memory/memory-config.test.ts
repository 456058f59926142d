import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig } from '../config/gateway-config.js';

describe('memory configuration', () => {
  it('defaults to the embedded store and archive in .parley/data', () => {
    const m = loadGatewayConfig({}).memory;
    expect(m).toMatchObject({ enabled: true, redisUrl: null, databaseUrl: null, databaseSchema: 'parley', dataDir: resolve('.parley/data'), hotTurnsMax: 20, hotTurnsMin: 12, windowMs: 30 * 86_400_000, topK: 6, weights: { recency: 1, importance: 1, relevance: 1 }, embedder: { kind: 'hash', dimensions: 256 } });
  });

  it('reads production settings', () => {
    const m = loadGatewayConfig({ PARLEY_REDIS_URL: 'redis://cache:6379/2', PARLEY_DATABASE_URL: 'postgres://u@db/parley', PARLEY_MEMORY_WEIGHTS: 'relevance=2,recency=0.5', PARLEY_EMBEDDER: 'onnx:./models/minilm', PARLEY_MEMORY_WINDOW_DAYS: '7.5' }).memory;
    expect(m).toMatchObject({ redisUrl: 'redis://cache:6379/2', databaseUrl: 'postgres://u@db/parley', weights: { recency: 0.5, importance: 1, relevance: 2 }, embedder: { kind: 'onnx', folder: resolve('models/minilm') }, windowMs: 7.5 * 86_400_000 });
  });

  it('names the variable on a bad value', () => {
    expect(() => loadGatewayConfig({ PARLEY_REDIS_URL: 'localhost:6379' })).toThrow(/PARLEY_REDIS_URL.*redis:\/\//);
    expect(() => loadGatewayConfig({ PARLEY_DATABASE_URL: 'mysql://x' })).toThrow(/PARLEY_DATABASE_URL/);
    expect(() => loadGatewayConfig({ PARLEY_MEMORY_WEIGHTS: 'freshness=1' })).toThrow(/PARLEY_MEMORY_WEIGHTS.*keys must be/);
    expect(() => loadGatewayConfig({ PARLEY_DATABASE_SCHEMA: 'Robert"); DROP' })).toThrow(/PARLEY_DATABASE_SCHEMA/);
    expect(() => loadGatewayConfig({ PARLEY_MEMORY: 'maybe' })).toThrow(/PARLEY_MEMORY=.*on or off/);
    expect(() => loadGatewayConfig({ PARLEY_MEMORY_HOT_TURNS: '10', PARLEY_MEMORY_HOT_TURNS_MIN: '10' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ PARLEY_EMBEDDER: 'hash:8' })).toThrow(/PARLEY_EMBEDDER/);
    expect(() => loadGatewayConfig({ PARLEY_EMBEDDER: 'hash:8000' })).toThrow(/PARLEY_EMBEDDER.*16\.\.4096/);
  });
});
