/**
 * The worker's connection to one gateway: dial `/v1/worker`, register, heartbeat, run the
 * jobs the gateway sends, answer text-to-speech requests, and redial with backoff and
 * jitter when the link drops (the gateway restarts, the network blips).
 */
import WebSocket from 'ws';
import { decodeGatewayToWorkerFrame, encodeFrame, int16ToPcmBytes, WORKER_PROTOCOL_VERSION, type JobFrame, type ModelLoad, type WorkerToGatewayFrame } from '@parley/protocol';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config/worker-config.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { UnknownVoiceError, listVoices, type Speaker } from '../speech/index.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { SummaryRequest } from '../dialogue/backend.js';

export interface GatewayLinkDeps {
  config: WorkerConfig;
  runner: JobRunner;
  speech: Speaker;
  log: Logger;
  /** Whether the worker is draining (then new jobs are refused). */
  isDraining(): boolean;
  /** Test/drill fault injection (absent in production). */
  faults?: FaultInjector;
  /** The dialogue backend's summarizer, for the gateway's memory store. */
  summarize?: (req: SummaryRequest) => Promise<string>;
  /** The in-process model's load, sent with heartbeats (model workers only). */
  modelLoad?: () => Promise<ModelLoad>;
}

/** A model step can hold the model thread this long; a stats answer later than this is skipped. */
const MODEL_LOAD_TIMEOUT_MS = 2000;

export class GatewayLink {
  private ws: WebSocket | null = null;
  /** The model's load as last read (sent with the next heartbeat, so a busy model thread never delays one). */
  private model: ModelLoad | undefined;
  private modelLoadPending = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = false;
  registered = false;
  /** Jobs this link's gateway gave us that are still running. */
  private readonly jobs = new Set<string>();

  constructor(
    readonly url: string,
    private readonly deps: GatewayLinkDeps,
  ) {}

  get activeJobs(): number {
    return this.jobs.size;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  private connect(): void {
    const { config, log } = this.deps;
    const ws = new WebSocket(this.url, { perMessageDeflate: false, handshakeTimeout: 5000 });
    this.ws = ws;
    ws.on('open', () => {
      this.send({ t: 'register', v: WORKER_PROTOCOL_VERSION, key: config.key, worker: { id: config.id, tiers: config.scripted ? [...config.tiers, 'scripted'] : config.tiers, slots: config.slots, voices: listVoices().map((x) => x.id), backend: config.backend, version: '0.1.0' } });
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const r = decodeGatewayToWorkerFrame(data as Buffer);
      if (!r.ok) return log.warn({ gateway: this.url, err: r.error.message }, 'bad frame from gateway');
      const f = r.frame;
      switch (f.t) {
        case 'registered':
          this.registered = true;
          this.attempt = 0;
          log.info({ gateway: this.url, gatewayId: f.gateway }, 'registered with gateway');
          if (this.deps.isDraining()) this.send({ t: 'draining' });
          this.refreshModelLoad();
          this.heartbeat = setInterval(() => this.sendHeartbeat(), Math.max(100, f.heartbeatMs));
          return;
        case 'refused':
          log.error({ gateway: this.url, code: f.code }, `gateway refused this worker: ${f.message}`);
          return;
        case 'job':
          return this.onJob(f);
        case 'abort':
          if (this.jobs.has(f.job)) this.deps.runner.abort(f.job);
          return;
        case 'tts':
          return void this.onTts(f.req, f.text, f.voice);
        case 'summarize':
          return void this.onSummarize(f.req, { npc: f.npc, turns: f.turns, ...(f.maxTokens ? { maxTokens: f.maxTokens } : {}) });
      }
    });
    ws.on('close', () => this.onClose());
    ws.on('error', (err) => log.debug({ gateway: this.url, err: err.message }, 'gateway link error'));
  }

  private onJob(job: JobFrame): void {
    if (this.deps.isDraining()) {
      this.send({ t: 'fail', job: job.job, code: 'draining', message: 'the worker is draining' });
      return;
    }
    // Slots are shared by every gateway this worker serves; a gateway that has not yet seen
    // the others' load in a heartbeat may over-ask. `busy` sends the turn elsewhere.
    if (this.deps.runner.inFlight >= this.deps.config.slots) {
      this.send({ t: 'fail', job: job.job, code: 'busy', message: `all ${this.deps.config.slots} slots are taken` });
      return;
    }
    this.jobs.add(job.job);
    const send = (frame: WorkerToGatewayFrame) => this.send(frame);
    const emit = this.deps.faults ? this.deps.faults.wrap(job.job, send, () => this.deps.runner.abort(job.job)) : send;
    void this.deps.runner.run(job, emit).finally(() => this.jobs.delete(job.job));
  }

  private async onSummarize(req: string, request: SummaryRequest): Promise<void> {
    try {
      if (!this.deps.summarize) throw new Error('this worker has no summarizer');
      const text = await this.deps.summarize(request);
      this.send({ t: 'summary_ok', req, text: text.slice(0, 4000) });
    } catch (err) {
      this.send({ t: 'summary_fail', req, code: 'internal', message: (err instanceof Error ? err.message : String(err)).slice(0, 1000) });
    }
  }

  private async onTts(req: string, text: string, voice: string | undefined): Promise<void> {
    try {
      const r = await this.deps.speech.speak(text, voice);
      this.send({ t: 'tts_ok', req, sampleRate: r.sampleRate, pcm: int16ToPcmBytes(r.pcm), durationMs: r.durationMs, phonemes: r.phonemes, visemes: r.visemes.map((x) => ({ v: x.v, startMs: x.startMs, endMs: x.endMs })) });
    } catch (err) {
      const code = err instanceof UnknownVoiceError ? 'unknown_voice' : 'internal';
      this.send({ t: 'tts_fail', req, code, message: err instanceof Error ? err.message : String(err) });
    }
  }

  private sendHeartbeat(): void {
    this.send({ t: 'hb', inFlight: this.deps.runner.inFlight, ts: Date.now(), ...(this.model ? { model: this.model } : {}) });
    this.refreshModelLoad();
  }

  /** Asks the model thread for its load, one question at a time; the answer rides on the next heartbeat. */
  private refreshModelLoad(): void {
    const read = this.deps.modelLoad;
    if (!read || this.modelLoadPending) return;
    this.modelLoadPending = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('model load: no answer')), MODEL_LOAD_TIMEOUT_MS)));
    Promise.race([read(), late])
      .then((m) => void (this.model = m), () => {})
      .finally(() => {
        clearTimeout(timer);
        this.modelLoadPending = false;
      });
  }

  send(frame: WorkerToGatewayFrame): void {
    if (this.deps.faults?.muted) return;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeFrame(frame));
  }

  /** Drain deadline: answer every job still running with `fail` (the gateway retries those that sent nothing yet). */
  failRemaining(code: string, message: string): void {
    for (const job of this.jobs) this.send({ t: 'fail', job, code, message });
  }

  private onClose(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const wasRegistered = this.registered;
    this.registered = false;
    // The gateway re-homes or fails these turns itself; stop spending work on them.
    for (const job of this.jobs) this.deps.runner.abort(job);
    if (this.stopped) return;
    if (wasRegistered) this.deps.log.warn({ gateway: this.url }, 'lost the gateway; reconnecting');
    // Exponential backoff with full jitter, capped at 5 s: a restarted gateway gets its workers back quickly.
    const delay = Math.random() * Math.min(5000, 100 * 2 ** this.attempt++);
    this.retry = setTimeout(() => this.connect(), delay);
  }

  /** Sends `draining` so the gateway stops routing new turns here. */
  announceDrain(deadlineMs: number): void {
    this.send({ t: 'draining', deadlineMs });
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.ws?.close(1001, 'worker stopping');
  }
}
