/**
 * Model thread: owns one loaded model and its batching engine, so `session.run` (which blocks
 * its thread for the whole step) never stalls the worker's I/O thread. Started by ModelHost.
 *
 * Messages arrive between steps (onnxruntime-node schedules each run through setImmediate, so
 * the event loop turns once per step); each step's text deltas and finishes go back as one
 * message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchEngine } from './batch-engine.js';
import { loadModel, type LoadedModel } from './load-model.js';
import { ModelLoadError } from './model-errors.js';
import type { FinishedMessage, FromModelThread, ModelThreadData, ToModelThread } from './model-thread-protocol.js';
import { PromptTooLongError } from './text-codec.js';

const port = parentPort;
if (!port) throw new Error('model-thread must be started as a worker thread by ModelHost');
const data = workerData as ModelThreadData;
const post = (msg: FromModelThread): void => port.postMessage(msg);

let model: LoadedModel;
let engine: BatchEngine;
const dropped = new Map<number, number>();
let wake: (() => void) | undefined;

function onMessage(msg: ToModelThread): void {
  switch (msg.type) {
    case 'generate': {
      // Keep room for the reply, but never more than half the context.
      const reserve = Math.min(msg.maxNewTokens, Math.floor(model.info.maxContext / 2));
      try {
        const { ids, dropped: d } = model.codec.encodeChat(msg.messages, model.info.maxContext, reserve);
        if (d > 0) dropped.set(msg.id, d);
        engine.submit({ id: msg.id, promptIds: ids, sampling: msg.sampling, maxNewTokens: msg.maxNewTokens, stop: msg.stop, ...(msg.ignoreEos ? { ignoreEos: true } : {}) });
      } catch (e) {
        const tooLong = e instanceof PromptTooLongError || e instanceof RangeError;
        post({ type: 'rejected', id: msg.id, code: tooLong ? 'prompt_too_long' : 'bad_prompt', message: e instanceof Error ? e.message : String(e) });
      }
      break;
    }
    case 'cancel':
      engine.cancel(msg.id);
      break;
    case 'stats':
      post({ type: 'stats', stats: { ...engine.stats }, ...engine.size });
      return;
  }
  wake?.();
}

async function serve(): Promise<never> {
  for (;;) {
    if (!engine.hasWork) await new Promise<void>((r) => (wake = r));
    wake = undefined;
    const r = await engine.step();
    if (r.deltas.length === 0 && r.finished.length === 0) continue;
    const finished: FinishedMessage[] = r.finished.map((f) => {
      const d = dropped.get(f.id);
      dropped.delete(f.id);
      return { id: f.id, reason: f.reason, promptTokens: f.promptTokens, completionTokens: f.completionTokens, firstTokenMs: f.firstTokenMs, ...(d ? { droppedTurns: d } : {}), ...(f.error ? { error: f.error } : {}) };
    });
    post({ type: 'step', deltas: r.deltas, finished });
  }
}

let loaded = false;
try {
  model = await loadModel(data.load);
  engine = model.createEngine({ maxBatch: data.maxBatch, maxPrefillTokens: data.maxPrefillTokens, prefixCacheBytes: data.prefixCacheBytes });
  loaded = true;
} catch (e) {
  post({ type: 'init-error', code: e instanceof ModelLoadError ? e.code : 'internal', message: e instanceof Error ? e.message : String(e) });
}
if (loaded) {
  port.on('message', onMessage);
  post({ type: 'ready', info: model!.info });
  // An unexpected error here ends the thread; the host fails in-flight requests and restarts it.
  await serve();
}
