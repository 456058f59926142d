import { describe, expect, it } from 'vitest';
import type { JobOutputFrame } from '@parley/protocol';
import { loadFaultConfig } from './fault-config.js';
import { FaultInjector } from './fault-injector.js';

const frame = (job: string, i: number): JobOutputFrame => ({ t: 'text', job, delta: `part ${i}` });

describe('FaultInjector', () => {
  it('fails a job instead of its (N+1)-th frame, on every K-th job', () => {
    const inj = new FaultInjector(loadFaultConfig({ PARLEY_FAULT_FAIL_AFTER_FRAMES: '2', PARLEY_FAULT_EVERY: '2' }));
    const run = (job: string) => {
      const out: JobOutputFrame[] = [];
      let aborted = false;
      const emit = inj.wrap(job, (f) => out.push(f), () => (aborted = true));
      for (let i = 0; i < 4; i++) emit(frame(job, i));
      return { out, aborted };
    };
    const first = run('a');
    expect(first.out.map((f) => f.t)).toEqual(['text', 'text', 'fail']);
    expect(first.aborted).toBe(true);
    expect(run('b').out).toHaveLength(4);
    expect(run('c').out.at(-1)).toMatchObject({ t: 'fail', code: 'injected' });
  });

  it('crashes or goes silent at the chosen frame', () => {
    let crashed = false;
    const crash = new FaultInjector(loadFaultConfig({ PARLEY_FAULT_CRASH_AFTER_FRAMES: '1' }), () => (crashed = true));
    const emit = crash.wrap('j', () => {}, () => {});
    emit(frame('j', 0));
    expect(crashed).toBe(false);
    emit(frame('j', 1));
    expect(crashed).toBe(true);

    const hang = new FaultInjector(loadFaultConfig({ PARLEY_FAULT_HANG_AFTER_FRAMES: '0' }));
    const out: JobOutputFrame[] = [];
    hang.wrap('h', (f) => out.push(f), () => {})(frame('h', 0));
    expect(out).toHaveLength(0);
    expect(hang.muted).toBe(true);
  });

  it('names a bad variable', () => {
    expect(() => loadFaultConfig({ PARLEY_FAULT_EVERY: '0' })).toThrow(/PARLEY_FAULT_EVERY="0": must be ≥ 1/);
  });
});
