/**
 * End to end with a language model: a worker process whose dialogue backend is the in-process
 * ONNX model (the tiny test model, built here), behind a real gateway, spoken to over ws.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioFrame, EndFrame, ModelLoad, ServerFrame } from '@parley/protocol';
import { buildTestModel } from '../../gpu-worker/src/models/test-model/build-test-model.js';
import { REPO_ROOT, startStack, type Stack } from '../../tools/src/start/stack.js';
import { RawClient } from '../helpers/raw-client.js';

let dir: string;
let stack: Stack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-e2e-model-'));
  buildTestModel(dir, { variant: 'gqa' });
  const short = JSON.stringify({ gold: { maxTokens: 24 }, silver: { maxTokens: 24 }, bronze: { maxTokens: 24 } });
  stack = await startStack({ workers: 1, gatewayEnv: { PARLEY_WORKER_HEARTBEAT_MS: '200' }, workerEnv: { PARLEY_DIALOGUE_BACKEND: 'onnx', PARLEY_MODEL_DIR: dir, PARLEY_MODEL_THREADS: '1', PARLEY_SAMPLING: short } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a turn answered by an ONNX language model', () => {
  it('loads the model, says which execution provider runs it, and answers turns', async () => {
    expect(stack.logs.some((l) => l.includes('execution provider: cpu'))).toBe(true);
    const c = await RawClient.connect(stack.wsUrl, stack.token);
    const turns = ['Good evening!', 'Who are you?', 'Any rumours?'].map((text, i) => c.turn(`m${i}`, i === 1 ? 'vampire-lord' : 'innkeeper', text));
    for (const frames of await Promise.all(turns)) {
      const end = frames.find((f): f is EndFrame => f.t === 'end')!;
      expect(end).toMatchObject({ reason: 'completed', cancelled: false });
      expect(frames[0]!.t).toBe('emotion'); // the reply's emotion comes first
      const text = frames.filter((f) => f.t === 'text').map((f) => (f as { delta: string }).delta).join('');
      expect(end.text).toBe(text);
      if (text) expect(frames.some((f: ServerFrame): f is AudioFrame => f.t === 'audio')).toBe(true);
    }
    c.close();

    // The worker's heartbeats carry its engine's load: the fleet view and /metrics show it.
    const auth = { headers: { authorization: `Bearer ${stack.token}` } };
    let model: ModelLoad | null = null;
    // The load rides on the heartbeat after it was read, so it trails the engine by a beat or two.
    for (let i = 0; i < 50 && !(model && model.generated > 0 && model.running === 0); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const fleet = (await (await fetch(`${stack.url}/v1/admin/fleet`, auth)).json()) as { workers: { model: ModelLoad | null }[] };
      model = fleet.workers[0]!.model;
    }
    expect(model).toMatchObject({ running: 0, waiting: 0 });
    expect(model!.generated).toBeGreaterThan(0);
    expect(model!.prefilled).toBeGreaterThan(0);
    expect(model!.prefixCached).toBeGreaterThan(0); // three prompts with the same chat-template start
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_model_tokens_total\{worker="[^"]+",kind="generated"\} [1-9]/);
    expect(metrics).toMatch(/parley_model_sequences\{worker="[^"]+",state="running"\} 0/);
  });

  it('a worker with an unusable model folder stops at start and says why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'gpu-worker/src/main.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, PARLEY_DEV_TOKEN: 'dev-token-123', PARLEY_DIALOGUE_BACKEND: 'onnx', PARLEY_MODEL_DIR: join(dir, 'missing'), PARLEY_GATEWAY_URLS: 'ws://127.0.0.1:9/v1/worker', PARLEY_TTS_THREADS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain(`model folder ${join(dir, 'missing')} does not exist`);
  });
});
