/**
 * Optional embedder: a sentence-embedding model (e.g. all-MiniLM-L6-v2 exported to ONNX) from a
 * local folder — PARLEY_EMBEDDER=onnx:/path/to/folder. The folder holds `tokenizer.json`
 * (+ `tokenizer_config.json`) and `model.onnx` (or `onnx/model.onnx`, `onnx/model_quantized.onnx`).
 * Nothing is downloaded. Inference runs in one worker thread (onnx-embedder-thread.ts), so the
 * gateway's I/O thread never blocks on it; requests queue in that thread in order.
 * It captures meaning beyond shared words (synonyms, paraphrase) at ~1–10 ms per text on CPU.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Embedder } from './embedder.js';
import type { OnnxThreadData } from './onnx-embedder-thread.js';

const MODEL_FILES = ['model.onnx', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];

function threadEntry(): { entry: string | URL; eval: boolean } {
  const isTs = /\.[cm]?ts$/.test(new URL(import.meta.url).pathname);
  const url = new URL(`./onnx-embedder-thread${isTs ? '.ts' : '.js'}`, import.meta.url);
  if (!isTs) return { entry: url, eval: false };
  // Under tsx, the thread must register tsx's loader itself (as the speech threads do).
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return { entry: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, eval: true };
}

export class OnnxEmbedder implements Embedder {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: number[][]): void; reject(e: Error): void }>();

  private constructor(
    private readonly worker: Worker,
    readonly id: string,
    readonly dimensions: number,
  ) {
    worker.on('message', (m: { id: number; vectors?: Float32Array; dimensions?: number; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error || !m.vectors) return p.reject(new Error(`onnx embedder: ${m.error ?? 'no output'}`));
      const d = m.dimensions!;
      const rows: number[][] = [];
      for (let r = 0; r < m.vectors.length / d; r++) rows.push(Array.from(m.vectors.subarray(r * d, (r + 1) * d)));
      p.resolve(rows);
    });
    worker.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('onnx embedder thread exited'));
      this.pending.clear();
    });
  }

  /** Loads the model in its thread; rejects with a message naming what is missing or broken. */
  static async load(folder: string, opts: { maxTokens?: number } = {}): Promise<OnnxEmbedder> {
    const tokenizerPath = join(folder, 'tokenizer.json');
    if (!existsSync(tokenizerPath)) throw new Error(`PARLEY_EMBEDDER: ${tokenizerPath} not found`);
    const model = MODEL_FILES.map((f) => join(folder, f)).find((p) => existsSync(p));
    if (!model) throw new Error(`PARLEY_EMBEDDER: no ONNX model in ${folder} (looked for ${MODEL_FILES.join(', ')})`);
    const cfgPath = join(folder, 'tokenizer_config.json');
    const data: OnnxThreadData = { modelPath: model, tokenizerPath, tokenizerConfigPath: existsSync(cfgPath) ? cfgPath : null, maxTokens: opts.maxTokens ?? 256 };
    const { entry, eval: isEval } = threadEntry();
    const worker = new Worker(entry, { workerData: data, eval: isEval });
    const dimensions = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { t: string; dimensions?: number; error?: string }) => (m.t === 'ready' ? resolve(m.dimensions!) : reject(new Error(`PARLEY_EMBEDDER: cannot load ${model}: ${m.error}`))));
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    return new OnnxEmbedder(worker, `onnx-${basename(folder)}-${dimensions}`, dimensions);
  }

  embed(texts: readonly string[]): Promise<number[][]> {
    if (texts.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, texts: [...texts] });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
