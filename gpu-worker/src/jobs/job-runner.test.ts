import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobFrame, JobOutputFrame } from '@parley/protocol';
import { SpeechPool } from '../speech/index.js';
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
