/** Assembles a worker: speech thread pool, job runner, and one link per gateway. */
import type { Logger } from 'pino';
import type { WorkerConfig } from './config/worker-config.js';
import { createDialogueBackend } from './dialogue/create-backend.js';
import { JobRunner } from './jobs/job-runner.js';
import type { FaultConfig } from './faults/fault-config.js';
import { FaultInjector } from './faults/fault-injector.js';
import { GatewayLink } from './link/gateway-link.js';
import { SpeechCache, SpeechPool, type Speaker } from './speech/index.js';

export interface RunningWorker {
  readonly links: GatewayLink[];
  readonly runner: JobRunner;
  /**
   * Stop taking turns, tell every gateway, finish in-flight ones for at most `deadlineMs`
   * (default PARLEY_DRAIN_TIMEOUT_MS), then close.
   */
  drain(opts?: { deadlineMs?: number; reason?: string }): Promise<void>;
}

export async function startWorker(config: WorkerConfig, log: Logger, opts: { faults?: FaultConfig } = {}): Promise<RunningWorker> {
  const speech = new SpeechPool({ threads: config.ttsThreads });
  await speech.start();
  // Load the model (or reach the upstream) before registering: a worker takes turns only when it can answer them.
  const backend = await createDialogueBackend(config.dialogue, log).catch(async (e: unknown) => {
    await speech.close();
    throw e;
  });
  const speaker: Speaker = config.ttsCacheMb > 0 ? new SpeechCache(speech, { maxBytes: config.ttsCacheMb * 1024 * 1024 }) : speech;
  const runner = new JobRunner({
    speech: speaker,
    audioChunkMs: config.audioChunkMs,
    sentenceDelayMs: config.faultSentenceDelayMs,
    backend,
    scriptedFallback: config.dialogue.scriptedFallback,
    onFallback: (job, err) => log.warn({ job, backend: backend.name, err: err instanceof Error ? err.message : String(err) }, 'dialogue backend failed before its first word; the scripted composer answered'),
  });
  let draining = false;
  const faults = opts.faults ? new FaultInjector(opts.faults) : undefined;
  if (faults) log.warn({ faults: opts.faults }, 'fault injection is on (tests and drills only)');
  const links = config.gatewayUrls.map((url) => new GatewayLink(url, { config, runner, speech: speaker, summarize: (req) => backend.summarize(req), ...(backend.modelLoad ? { modelLoad: () => backend.modelLoad!() } : {}), log, isDraining: () => draining, ...(faults ? { faults } : {}) }));
  for (const link of links) link.start();
  log.info({ gateways: config.gatewayUrls, tiers: config.tiers, slots: config.slots, ttsThreads: config.ttsThreads, ttsCacheMb: config.ttsCacheMb }, 'worker started');

  return {
    links,
    runner,
    async drain(drainOpts = {}) {
      if (draining) return;
      draining = true;
      const deadlineMs = drainOpts.deadlineMs ?? config.drainTimeoutMs;
      log.info({ reason: drainOpts.reason, deadlineMs, inFlight: runner.inFlight }, 'drain started');
      for (const link of links) link.announceDrain(deadlineMs);
      const deadline = Date.now() + deadlineMs;
      while (runner.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (runner.inFlight > 0) {
        log.warn({ inFlight: runner.inFlight }, 'drain deadline passed; aborting remaining turns');
        for (const link of links) link.failRemaining('drain_deadline', 'the worker reached its drain deadline');
        runner.abortAll();
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const link of links) link.stop();
      await speech.close();
      await backend.close();
      log.info('worker drained');
    },
  };
}
