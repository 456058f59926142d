import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFrame, JobOutputFrame } from '@parley/protocol';
import { composeScriptedReply } from '../dialogue/index.js';
import { OnnxDialogueBackend } from '../dialogue/onnx-backend.js';
import { buildReplyMessages } from '../dialogue/prompt.js';
import { DEFAULT_SAMPLING } from '../dialogue/sampling.js';
import { buildTestModel, testModelCodec } from '../models/test-model/build-test-model.js';
import { SpeechPool } from '../speech/index.js';
import { OpenAiDialogueBackend } from '../upstream/openai-backend.js';
import { JobRunner } from './job-runner.js';

let speech: SpeechPool;
beforeAll(async () => {
  speech = new SpeechPool({ threads: 1 });
  await speech.start();
}, 30_000);
afterAll(() => speech.close());

const job = (id: string, text = 'Tell me everything about the old castle, the roads and the village!'): JobFrame => ({
  t: 'job',
  job: id,
  npc: { id: 'innkeeper', name: 'Marta', archetype: 'innkeeper', persona: 'A warm innkeeper who knows every rumour in town.', voice: 'female-warm' },
  player: 'p1',
  text,
  tier: 'silver',
  seed: 7,
});

describe('JobRunner', () => {
  it('streams emotion, then per sentence: text, visemes, audio; then one done', async () => {
    const runner = new JobRunner({ speech, audioChunkMs: 200 });
    const out: JobOutputFrame[] = [];
    await runner.run(job('a'), (f) => out.push(f));
    expect(out[0]!.t).toBe('emotion');
    expect(out.filter((f) => f.t === 'done')).toHaveLength(1);
    expect(out.at(-1)).toMatchObject({ t: 'done', cancelled: false, tier: 'silver' });
    const firstAudio = out.findIndex((f) => f.t === 'audio');
    const firstVisemes = out.findIndex((f) => f.t === 'visemes');
    expect(out.findIndex((f) => f.t === 'text')).toBeLessThan(firstAudio);
    expect(firstVisemes).toBeLessThan(firstAudio);
    const audio = out.filter((f): f is Extract<JobOutputFrame, { t: 'audio' }> => f.t === 'audio');
    for (const a of audio) expect(a.durationMs).toBeLessThanOrEqual(200.1);
    const done = out.at(-1) as Extract<JobOutputFrame, { t: 'done' }>;
    const last = audio.at(-1)!;
    expect(done.audioMs).toBeCloseTo(last.startMs + last.durationMs, 0);
    expect(runner.inFlight).toBe(0);
  });

  it('same job, same seed: same words', async () => {
    const runner = new JobRunner({ speech, audioChunkMs: 200 });
    const texts: string[] = [];
    for (const id of ['x', 'y']) {
      let text = '';
      await runner.run(job(id), (f) => (f.t === 'done' ? (text = f.text) : undefined));
      texts.push(text);
    }
    expect(texts[0]).toBe(texts[1]);
  });

  it('abort stops synthesis and streaming within 100 ms', async () => {
    const runner = new JobRunner({ speech, audioChunkMs: 200, sentenceDelayMs: 300 });
    const out: Array<{ f: JobOutputFrame; at: number }> = [];
    let abortedAt = 0;
    const done = runner.run(job('c'), (f) => {
      out.push({ f, at: performance.now() });
      if (f.t === 'audio' && !abortedAt) {
        abortedAt = performance.now();
        runner.abort('c');
      }
    });
    await done;
    const end = out.at(-1)!;
    expect(end.f).toMatchObject({ t: 'done', cancelled: true });
    expect(end.at - abortedAt).toBeLessThan(100);
    // Nothing after the abort but the rest of the chunk already cut and the done frame.
    const after = out.filter((o) => o.at > abortedAt && o.f.t !== 'audio' && o.f.t !== 'done');
    expect(after).toHaveLength(0);
  });

  it('a failure becomes one fail frame', async () => {
    const broken = { speak: () => Promise.reject(new Error('synthesizer crashed')) } as unknown as SpeechPool;
    const runner = new JobRunner({ speech: broken, audioChunkMs: 200 });
    const out: JobOutputFrame[] = [];
    await runner.run(job('d'), (f) => out.push(f));
    expect(out.at(-1)).toMatchObject({ t: 'fail', code: 'internal', message: 'synthesizer crashed' });
    expect(out.filter((f) => f.t === 'fail' || f.t === 'done')).toHaveLength(1);
  });
});

describe('JobRunner with model backends', () => {
  const REPLY = 'Welcome to the Golden Goose, traveller! The stew is hot and the beds are soft. Will you stay the night?';
  const modelJob = (id: string, text = 'Do you have a room?'): JobFrame => ({ ...job(id, text), tier: 'silver' });
  let root: string;
  let onnx: OnnxDialogueBackend;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'parley-runner-'));
    const j = modelJob('x');
    const promptTokens = testModelCodec().encodeChat(buildReplyMessages({ ...j }), 512, 0).ids.length;
    buildTestModel(root, { scripts: [{ text: `[emotion:joy 0.7] ${REPLY}`, promptTokens }] });
    onnx = await OnnxDialogueBackend.start({ load: { dir: root, intraOpThreads: 1 }, maxBatch: 8, sampling: DEFAULT_SAMPLING, maxHistoryTurns: 16 }, log);
  }, 30_000);
  afterAll(async () => {
    await onnx?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('streams the model reply: its tagged emotion first, then speakable chunks with audio', async () => {
    const runner = new JobRunner({ speech, audioChunkMs: 200, backend: onnx });
    const out: JobOutputFrame[] = [];
    await runner.run(modelJob('m1'), (f) => out.push(f));
    expect(out[0]).toMatchObject({ t: 'emotion', label: 'joy', intensity: 0.7 });
    const texts = out.filter((f) => f.t === 'text').map((f) => (f as { delta: string }).delta);
    expect(texts.length).toBeGreaterThanOrEqual(3); // cut into sentences as it streamed
    expect(out.at(-1)).toMatchObject({ t: 'done', text: REPLY, tier: 'silver', cancelled: false });
    expect(out.filter((f) => f.t === 'audio').length).toBeGreaterThan(2);
  });

  it('an abort stops the model generating, and the sequence leaves its batch', async () => {
    const runner = new JobRunner({ speech, audioChunkMs: 200, backend: onnx });
    const out: JobOutputFrame[] = [];
    // An unscripted prompt: the model rambles up to its token limit unless stopped.
    await runner.run(modelJob('m2', 'Tell me a very long story about everything you have ever seen in this town.'), (f) => {
      out.push(f);
      if (f.t === 'text') runner.abort('m2');
    });
    expect(out.at(-1)).toMatchObject({ t: 'done', cancelled: true });
    expect(onnx.host.inFlight).toBe(0);
    for (let i = 0; i < 50 && (await onnx.host.stats()).running > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await onnx.host.stats()).running).toBe(0);
  });

  it('jobs of the scripted tier use the scripted composer', async () => {
    const runner = new JobRunner({ speech, audioChunkMs: 200, backend: onnx });
    let done: JobOutputFrame | undefined;
    await runner.run({ ...modelJob('m3'), tier: 'scripted' }, (f) => (f.t === 'done' ? (done = f) : undefined));
    expect(done).toMatchObject({ tier: 'scripted', text: composeScriptedReply({ npc: job('m3').npc, playerText: 'Do you have a room?', seed: 7 }).text });
  });

  it('falls back to the scripted composer when the backend fails before its first word', async () => {
    const dead = new OpenAiDialogueBackend({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', firstTokenTimeoutMs: 1000, idleTimeoutMs: 1000, retries: 0, vendorParams: false, sampling: DEFAULT_SAMPLING, maxHistoryTurns: 16 });
    const fallbacks: string[] = [];
    const withFallback = new JobRunner({ speech, audioChunkMs: 200, backend: dead, scriptedFallback: true, onFallback: (id) => fallbacks.push(id) });
    const out: JobOutputFrame[] = [];
    await withFallback.run(modelJob('m4'), (f) => out.push(f));
    expect(out.at(-1)).toMatchObject({ t: 'done', tier: 'scripted', cancelled: false });
    expect((out.at(-1) as { text: string }).text.length).toBeGreaterThan(5);
    expect(fallbacks).toEqual(['m4']);

    const without = new JobRunner({ speech, audioChunkMs: 200, backend: dead });
    const out2: JobOutputFrame[] = [];
    await without.run(modelJob('m5'), (f) => out2.push(f));
    expect(out2).toHaveLength(1);
    expect(out2[0]).toMatchObject({ t: 'fail', code: 'internal', message: expect.stringContaining('upstream unreachable') });
  });
});
