/** Worker process entry: `npm run worker` (configuration: PARLEY_* environment variables). */
import pino from 'pino';
import { loadWorkerConfig, WorkerConfigError } from './config/worker-config.js';
import { startWorker } from './worker.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (err) {
    if (err instanceof WorkerConfigError) {
      console.error(`parley-worker: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ name: 'parley-worker', level: config.logLevel, base: { pid: process.pid, worker: config.id } }, pino.destination(2));
  const worker = await startWorker(config, log).catch((err: unknown) => {
    console.error(`parley-worker: failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  console.log(JSON.stringify({ event: 'started', worker: config.id, gateways: config.gatewayUrls }));
  const onSignal = (signal: string) => {
    log.info({ signal }, 'draining');
    void worker.drain().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

void main();
