import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import { ModelLoadError } from './model-errors.js';
import { DT, encodeModel, GraphBuilder } from './test-model/onnx-graph.js';
import { buildTestModel } from './test-model/build-test-model.js';

let root: string;
let good: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'parley-folder-'));
  good = join(root, 'good');
  buildTestModel(good);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the good folder, changed by `edit`. */
function variant(name: string, edit: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) copyFileSync(join(good, f), join(dir, f));
  edit(dir);
  return dir;
}

async function loadError(dir: string, file?: string): Promise<ModelLoadError> {
  try {
    await loadModel({ dir, file });
  } catch (e) {
    if (e instanceof ModelLoadError) return e;
    throw e;
  }
  throw new Error('loaded');
}

/** A graph with the given inputs that merely passes them through (enough for I/O checks). */
function ioOnlyModel(inputs: Array<[string, number, Array<number | string>]>, outputs: Array<[string, string, number, Array<number | string>]>): Uint8Array {
  const g = new GraphBuilder();
  for (const [n, t, d] of inputs) g.input(n, t as 1, d);
  for (const [n, from, t, d] of outputs) {
    g.op1('Identity', [from], {}, n);
    g.output(n, t as 1, d);
  }
  return encodeModel(g.graph('io'), 17, false);
}

describe('loading a model folder', () => {
  it('loads the test model and describes it', async () => {
    const m = await loadModel({ dir: good });
    expect(m.info).toMatchObject({ provider: 'cpu', layers: 2, kvHeads: 2, headDim: 16, kvType: 'float32', layout: 'left', maxContext: 2048, hasPositionIds: true });
    expect(m.codec.eosIds.size).toBeGreaterThan(0);
  });

  it('reports a missing folder, file, broken JSON and a missing chat template by name', async () => {
    expect(await loadError(join(root, 'nope'))).toMatchObject({ code: 'missing_folder', message: expect.stringContaining('does not exist') });
    expect(await loadError(variant('no-tok', (d) => unlinkSync(join(d, 'tokenizer.json'))))).toMatchObject({ code: 'missing_file', message: expect.stringContaining('tokenizer.json is missing') });
    expect(await loadError(variant('bad-json', (d) => writeFileSync(join(d, 'config.json'), '{"hidden_size": 64,')))).toMatchObject({ code: 'bad_json', message: expect.stringContaining('config.json is not valid JSON') });
    const noTemplate = variant('no-template', (d) => {
      const cfg = JSON.parse(readFileSync(join(d, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
      delete cfg.chat_template;
      writeFileSync(join(d, 'tokenizer_config.json'), JSON.stringify(cfg));
    });
    expect(await loadError(noTemplate)).toMatchObject({ code: 'no_chat_template' });
  });

  it('finds the ONNX file, or says which to choose', async () => {
    expect(await loadError(variant('no-onnx', (d) => unlinkSync(join(d, 'onnx/model.onnx'))))).toMatchObject({ code: 'no_model_file' });
    const two = variant('two', (d) => {
      copyFileSync(join(d, 'onnx/model.onnx'), join(d, 'onnx/model_q4.onnx'));
      copyFileSync(join(d, 'onnx/model.onnx'), join(d, 'onnx/model_fp16.onnx'));
      unlinkSync(join(d, 'onnx/model.onnx'));
    });
    const e = await loadError(two);
    expect(e.code).toBe('ambiguous_model_file');
    expect(e.message).toMatch(/model_q4\.onnx.*PARLEY_MODEL_FILE|PARLEY_MODEL_FILE/);
    await expect(loadModel({ dir: two, file: 'model_q4.onnx' })).resolves.toBeDefined();
    expect(await loadError(two, 'model_int8.onnx')).toMatchObject({ code: 'no_model_file' });
  });

  it('rejects wrong I/O names and unsupported element types clearly', async () => {
    const wrongNames = variant('wrong-names', (d) =>
      writeFileSync(join(d, 'onnx/model.onnx'), ioOnlyModel([['input', DT.int64, ['b', 's']], ['attention_mask', DT.int64, ['b', 't']]], [['logits', 'input', DT.int64, ['b', 's']]])),
    );
    const e1 = await loadError(wrongNames);
    expect(e1.code).toBe('bad_io');
    expect(e1.message).toContain('input_ids is missing');
    const noCache = variant('no-cache', (d) =>
      writeFileSync(join(d, 'onnx/model.onnx'), ioOnlyModel([['input_ids', DT.int64, ['b', 's']], ['attention_mask', DT.int64, ['b', 't']]], [['logits', 'input_ids', DT.int64, ['b', 's']]])),
    );
    expect((await loadError(noCache)).message).toMatch(/no past_key_values/);
    const f64 = 11;
    const wrongType = variant('wrong-type', (d) =>
      writeFileSync(
        join(d, 'onnx/model.onnx'),
        ioOnlyModel(
          [['input_ids', DT.int64, ['b', 's']], ['attention_mask', DT.int64, ['b', 't']], ['past_key_values.0.key', f64, ['b', 2, 'p', 16]], ['past_key_values.0.value', f64, ['b', 2, 'p', 16]]],
          [['logits', 'attention_mask', DT.int64, ['b', 't']], ['present.0.key', 'past_key_values.0.key', f64, ['b', 2, 'p', 16]], ['present.0.value', 'past_key_values.0.value', f64, ['b', 2, 'p', 16]]],
        ),
      ),
    );
    const e3 = await loadError(wrongType);
    expect(e3.code).toBe('unsupported_dtype');
    expect(e3.message).toMatch(/past_key_values\.0\.key is float64; Parley supports float32 and float16/);
  });

  it('checks the layer count against config.json', async () => {
    const wrongLayers = variant('wrong-layers', (d) => {
      const cfg = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...cfg, num_hidden_layers: 3 }));
    });
    expect(await loadError(wrongLayers)).toMatchObject({ code: 'bad_io', message: expect.stringContaining('3 layers') });
  });
});
