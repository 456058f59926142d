/** Builds the configured dialogue backend (loading the model or probing the upstream) for the worker. */
import type { Logger } from 'pino';
import { OpenAiDialogueBackend } from '../upstream/openai-backend.js';
import type { DialogueBackend } from './backend.js';
import type { DialogueConfig } from './dialogue-config.js';
import { OnnxDialogueBackend } from './onnx-backend.js';
import { ScriptedBackend } from './scripted-backend.js';

export async function createDialogueBackend(c: DialogueConfig, log: Logger): Promise<DialogueBackend> {
  switch (c.backend) {
    case 'scripted':
      return new ScriptedBackend();
    case 'onnx': {
      const m = c.model!;
      return OnnxDialogueBackend.start(
        {
          load: { dir: m.dir, file: m.file, padding: m.padding, provider: m.provider, cudaDevice: m.cudaDevice, intraOpThreads: m.threads, maxContext: m.maxContext },
          maxBatch: m.maxBatch,
          prefixCacheMb: m.prefixCacheMb,
          sampling: c.sampling,
          maxHistoryTurns: c.historyTurns,
        },
        log,
      );
    }
    case 'openai': {
      const u = c.upstream!;
      const backend = new OpenAiDialogueBackend(
        { baseUrl: u.url, model: u.model, apiKey: u.apiKey, firstTokenTimeoutMs: u.timeoutMs, idleTimeoutMs: u.idleTimeoutMs, retries: u.retries, vendorParams: u.vendorParams, sampling: c.sampling, maxHistoryTurns: c.historyTurns },
        log,
      );
      await backend.probe();
      return backend;
    }
  }
}
