/**
 * Reads and checks a model folder in the Hugging Face Optimum / transformers.js layout:
 *
 *   config.json              architecture (layers, heads, context length, eos)
 *   generation_config.json   optional: eos ids
 *   tokenizer.json           the tokenizer (@huggingface/tokenizers)
 *   tokenizer_config.json    special tokens and the chat template (or chat_template.jinja /
 *                            chat_template.json beside it)
 *   onnx/model*.onnx         the decoder (or *.onnx at the top level, as onnxruntime-genai
 *                            model-builder exports lay it out; external data files beside it)
 *
 * Every problem becomes a ModelLoadError that names the file and says what to do.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ModelLoadError } from './model-errors.js';

export type PaddingSide = 'left' | 'right';

export interface ModelFolder {
  dir: string;
  onnxPath: string;
  config: Record<string, unknown>;
  generationConfig: Record<string, unknown> | undefined;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  chatTemplate: string;
  /** Context length from config.json (max_position_embeddings) or tokenizer_config (model_max_length). */
  maxContext: number | undefined;
  /**
   * KV layout the graph needs in a batch: `left` padding for attention built from the mask,
   * `right` for GroupQueryAttention (valid KV first; lengths from the mask).
   */
  padding: PaddingSide;
}

export interface ReadModelFolderOptions {
  /** ONNX file, relative to the folder or its onnx/ subfolder (default: model.onnx, or the only .onnx file). */
  file?: string | undefined;
  /** Override padding detection. */
  padding?: PaddingSide | undefined;
}

function readJson(path: string, required: true): Record<string, unknown>;
function readJson(path: string, required: false): Record<string, unknown> | undefined;
function readJson(path: string, required: boolean): Record<string, unknown> | undefined {
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new ModelLoadError('missing_file', `${basename(path)} is missing in ${join(path, '..')}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ModelLoadError('bad_json', `${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ModelLoadError('bad_json', `${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

const PREFERRED = ['model.onnx', 'decoder_model_merged.onnx'];

/** Finds the ONNX file: the one asked for, else model.onnx, else the only one. */
function pickOnnx(dir: string, file: string | undefined): string {
  const places = [join(dir, 'onnx'), dir];
  if (file) {
    for (const p of [join(dir, file), join(dir, 'onnx', file)]) if (existsSync(p) && statSync(p).isFile()) return p;
    throw new ModelLoadError('no_model_file', `model file ${JSON.stringify(file)} not found in ${dir} or ${join(dir, 'onnx')}`);
  }
  const found = places.flatMap((p) => (existsSync(p) && statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.onnx')).map((f) => join(p, f)) : []));
  if (found.length === 0) throw new ModelLoadError('no_model_file', `no .onnx file in ${join(dir, 'onnx')} or ${dir}`);
  for (const name of PREFERRED) {
    const hit = found.find((f) => basename(f) === name);
    if (hit) return hit;
  }
  if (found.length === 1) return found[0]!;
  throw new ModelLoadError('ambiguous_model_file', `${dir} holds several ONNX files (${found.map((f) => relative(dir, f)).join(', ')}): choose one with PARLEY_MODEL_FILE`);
}

/** The chat template: tokenizer_config.json's chat_template (string or named list), or chat_template.jinja/.json. */
function findChatTemplate(dir: string, tokenizerConfig: Record<string, unknown>): string {
  const t = tokenizerConfig.chat_template;
  if (typeof t === 'string' && t.trim()) return t;
  if (Array.isArray(t)) {
    const named = t as Array<{ name?: unknown; template?: unknown }>;
    const def = named.find((x) => x.name === 'default') ?? named[0];
    if (def && typeof def.template === 'string') return def.template;
  }
  const jinja = join(dir, 'chat_template.jinja');
  if (existsSync(jinja)) return readFileSync(jinja, 'utf8');
  const json = readJson(join(dir, 'chat_template.json'), false);
  if (json && typeof json.chat_template === 'string') return json.chat_template;
  throw new ModelLoadError('no_chat_template', `${dir} has no chat template (tokenizer_config.json "chat_template", chat_template.jinja or chat_template.json): Parley needs an instruction-tuned chat model`);
}

const GQA_OP = Buffer.from('GroupQueryAttention');

/** Whether the graph uses GroupQueryAttention: a streamed byte search for the op name (the graph is small next to its weights). */
export function usesGroupQueryAttention(onnxPath: string): boolean {
  const fd = openSync(onnxPath, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) return false;
      pos += n;
      const window = Buffer.concat([carry, chunk.subarray(0, n)]);
      if (window.includes(GQA_OP)) return true;
      carry = window.subarray(Math.max(0, window.length - GQA_OP.length));
    }
  } finally {
    closeSync(fd);
  }
}

const positiveInt = (x: unknown): number | undefined => (typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined);

export function readModelFolder(dir: string, opts: ReadModelFolderOptions = {}): ModelFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModelLoadError('missing_folder', `model folder ${dir} does not exist (set PARLEY_MODEL_DIR to a folder with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx)`);
  const config = readJson(join(dir, 'config.json'), true);
  const generationConfig = readJson(join(dir, 'generation_config.json'), false);
  const tokenizerJson = readJson(join(dir, 'tokenizer.json'), true);
  if (typeof tokenizerJson.model !== 'object' || tokenizerJson.model === null) throw new ModelLoadError('bad_tokenizer', `${join(dir, 'tokenizer.json')} has no "model" section: is it a Hugging Face tokenizers file?`);
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json'), true);
  const chatTemplate = findChatTemplate(dir, tokenizerConfig);
  const onnxPath = pickOnnx(dir, opts.file);
  const padding = opts.padding ?? (existsSync(join(dir, 'genai_config.json')) || usesGroupQueryAttention(onnxPath) ? 'right' : 'left');
  const maxContext = positiveInt(config.max_position_embeddings) ?? positiveInt(config.n_positions) ?? (positiveInt(tokenizerConfig.model_max_length) !== undefined && (tokenizerConfig.model_max_length as number) < 1e7 ? (tokenizerConfig.model_max_length as number) : undefined);
  return { dir, onnxPath, config, generationConfig, tokenizerJson, tokenizerConfig, chatTemplate, maxContext, padding };
}
