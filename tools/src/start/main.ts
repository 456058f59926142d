/**
 * `npm start`: Parley on this machine with embedded defaults — a gateway on 127.0.0.1:8787
 * (PARLEY_PORT) and one worker (PARLEY_WORKERS), as separate processes over real sockets.
 * Writes the development URL and token to .parley/dev.json so `npm run chat` finds them.
 */
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, startStack } from './stack.js';

const workers = Number(process.env.PARLEY_WORKERS ?? '1');
if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
  console.error(`PARLEY_WORKERS=${process.env.PARLEY_WORKERS}: must be a whole number from 1 to 64`);
  process.exit(2);
}
const port = Number(process.env.PARLEY_PORT ?? '8787');
const devFile = join(REPO_ROOT, '.parley', 'dev.json');

console.error(`parley: starting a gateway and ${workers} worker(s)…`);
const stack = await startStack({ workers, port, stdio: 'inherit', ...(process.env.PARLEY_DEV_TOKEN ? { token: process.env.PARLEY_DEV_TOKEN } : {}) }).catch((err: unknown) => {
  console.error(`parley: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
mkdirSync(join(REPO_ROOT, '.parley'), { recursive: true });
const apiKeys = process.env.PARLEY_API_KEYS;
writeFileSync(devFile, JSON.stringify({ url: stack.wsUrl, http: stack.url, token: apiKeys ? null : stack.token }, null, 2));

console.log(`
Parley is running.
  WebSocket  ${stack.wsUrl}
  HTTP       ${stack.url}  (/healthz, /readyz, /metrics, /v1/npcs, /api/tts/generate)
  Token      ${apiKeys ? '(one of PARLEY_API_KEYS)' : stack.token}

Talk to an NPC from another terminal:
  npm run chat -- --npc vampire-lord

Stop with Ctrl-C.
`);

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  rmSync(devFile, { force: true });
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
for (const child of [stack.gateway, ...stack.workers]) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`parley: a Parley process exited unexpectedly (code ${code}, signal ${signal}); stopping`);
    void stop(1);
  });
}
