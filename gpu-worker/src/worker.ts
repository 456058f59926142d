/** Assembles a worker: speech thread pool, job runner, and one link per gateway. */
import type { Logger } from 'pino';
import type { WorkerConfig } from './config/worker-config.js';
import { JobRunner } from './jobs/job-runner.js';
import { GatewayLink } from './link/gateway-link.js';
import { SpeechPool } from './speech/index.js';

export interface RunningWorker {
  readonly links: GatewayLink[];
  readonly runner: JobRunner;
  /** Stop taking turns, finish in-flight ones (up to the drain deadline), then close. */
  drain(): Promise<void>;
}

export async function startWorker(config: WorkerConfig, log: Logger): Promise<RunningWorker> {
  const speech = new SpeechPool({ threads: config.ttsThreads });
  await speech.start();
  const runner = new JobRunner({ speech, audioChunkMs: config.audioChunkMs, sentenceDelayMs: config.faultSentenceDelayMs });
  let draining = false;
  const links = config.gatewayUrls.map((url) => new GatewayLink(url, { config, runner, speech, log, isDraining: () => draining }));
  for (const link of links) link.start();
  log.info({ gateways: config.gatewayUrls, tiers: config.tiers, slots: config.slots, ttsThreads: config.ttsThreads }, 'worker started');

  return {
    links,
    runner,
    async drain() {
      if (draining) return;
      draining = true;
      for (const link of links) link.announceDrain(config.drainTimeoutMs);
      const deadline = Date.now() + config.drainTimeoutMs;
      while (runner.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (runner.inFlight > 0) {
        log.warn({ inFlight: runner.inFlight }, 'drain deadline passed; aborting remaining turns');
        runner.abortAll();
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const link of links) link.stop();
      await speech.close();
      log.info('worker drained');
    },
  };
}
