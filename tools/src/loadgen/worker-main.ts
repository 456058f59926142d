/**
 * Entry of a forked load-generator process. Talks to the coordinator over IPC:
 *   ← init {WorkerInit}     → ready {ConnectSummary}
 *   ← start {startAtEpochMs} → progress {WorkerProgress} every second … → result {WorkerReport}
 *   ← stop                   (end the send phase now; drain and report)
 */
import { LoadWorker, type WorkerInit } from './worker.js';
import type { ToWorker, FromWorker } from './ipc.js';

if (!process.send) {
  console.error('worker-main.ts is started by the load generator (child_process.fork), not directly');
  process.exit(2);
}

const send = (msg: FromWorker): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(msg, undefined, {}, () => resolve());
  });

// Ctrl-C reaches the whole process group: the coordinator decides what happens.
process.on('SIGINT', () => {});
process.on('disconnect', () => process.exit(1));

let worker: LoadWorker | null = null;

process.on('message', (msg: ToWorker) => {
  void (async () => {
    try {
      if (msg.type === 'init') {
        worker = new LoadWorker(msg.init as WorkerInit);
        const summary = await worker.connect();
        await send({ type: 'ready', summary, conversations: worker.conversationCount });
      } else if (msg.type === 'start') {
        if (!worker) throw new Error('start before init');
        const report = await worker.run(msg.startAtEpochMs, (p) => void send({ type: 'progress', progress: p }));
        await send({ type: 'result', report });
        process.disconnect();
        setTimeout(() => process.exit(0), 1000).unref();
      } else if (msg.type === 'stop') {
        worker?.stop();
      }
    } catch (err) {
      await send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
      process.exit(1);
    }
  })();
});
