/** Messages between the coordinator and forked load-generator processes. */
import type { ConnectSummary, WorkerInit, WorkerProgress, WorkerReport } from './worker.js';

export type ToWorker = { type: 'init'; init: WorkerInit } | { type: 'start'; startAtEpochMs: number } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; summary: ConnectSummary; conversations: number }
  | { type: 'progress'; progress: WorkerProgress }
  | { type: 'result'; report: WorkerReport }
  | { type: 'failed'; message: string };
