/**
 * Wraps a job's frame emitter so a test can make the worker fail a job, crash, or hang at a
 * chosen point of a turn (after N output frames), on every K-th job.
 */
import type { JobOutputFrame } from '@parley/protocol';
import type { FaultConfig } from './fault-config.js';

export type Emit = (frame: JobOutputFrame) => void;

export class FaultInjector {
  /** Set by the hang fault: the worker's links drop every outgoing frame, heartbeats included. */
  muted = false;
  private jobs = 0;

  constructor(
    private readonly config: FaultConfig,
    private readonly crash: () => void = () => process.kill(process.pid, 'SIGKILL'),
  ) {}

  /** The emitter for one job; `abort` stops the job's work when a fault ends it early. */
  wrap(job: string, emit: Emit, abort: () => void): Emit {
    const n = ++this.jobs;
    if ((n - 1) % this.config.every !== 0) return emit;
    const { failAfterFrames, crashAfterFrames, hangAfterFrames } = this.config;
    let frames = 0;
    let dead = false;
    return (frame) => {
      if (dead) return;
      if (crashAfterFrames !== null && frames === crashAfterFrames) return this.crash();
      if (hangAfterFrames !== null && frames === hangAfterFrames) {
        this.muted = true;
        dead = true;
        return;
      }
      if (failAfterFrames !== null && frames === failAfterFrames) {
        dead = true;
        emit({ t: 'fail', job, code: 'injected', message: `injected fault after ${frames} frame(s)` });
        abort();
        return;
      }
      frames++;
      emit(frame);
    };
  }
}
