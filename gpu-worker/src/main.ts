/** Worker process entry: `npm run worker` (configuration: PARLEY_* environment variables). */
import pino from 'pino';
import { loadWorkerConfig, WorkerConfigError } from './config/worker-config.js';
import { startWorker } from './worker.js';
import { loadFaultConfig, faultsEnabled } from './faults/fault-config.js';
import { loadSpotConfig } from './drain/drain-config.js';
import { installDrainTriggers } from './drain/drain-triggers.js';

async function main(): Promise<void> {
  let config, faults, spot;
  try {
    config = loadWorkerConfig();
    faults = loadFaultConfig();
    spot = loadSpotConfig();
  } catch (err) {
    if (err instanceof WorkerConfigError) {
      console.error(`parley-worker: configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ name: 'parley-worker', level: config.logLevel, base: { pid: process.pid, worker: config.id } }, pino.destination(2));
  const worker = await startWorker(config, log, faultsEnabled(faults) ? { faults } : {}).catch((err: unknown) => {
    console.error(`parley-worker: failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  console.log(JSON.stringify({ event: 'started', worker: config.id, gateways: config.gatewayUrls }));
  // SIGTERM/SIGINT and spot interruption/rebalance notices drain the worker, then it exits 0.
  installDrainTriggers({ worker, spot, log, exit: (code) => process.exit(code) });
}

void main();
