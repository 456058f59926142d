/**
 * `npm run bench`: prints Parley's numbers next to a baseline measured in the same run.
 * Results also go to out/bench.json. Record notable runs in docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchCodec } from './codec.bench.js';
import { benchTurns } from './turns.bench.js';
import { benchScheduler } from './scheduler.bench.js';
import { benchMemory } from './memory.bench.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`Parley bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log('Codec: encode + validated decode per second (one core), vs JSON encode + parse (audio as base64); ratio = parley ÷ json');
const codec = benchCodec();
console.table(codec.map((r) => ({ frame: r.frame, 'parley/s': fmt(r.parleyPerSec), 'json/s': fmt(r.jsonPerSec), 'msgpack unvalidated/s': fmt(r.rawPerSec), ratio: `${r.ratio.toFixed(2)}×`, 'parley bytes': r.parleyBytes, 'json bytes': r.jsonBytes })));

console.log('\nScheduler: overhead per turn (submit + dispatch + release) at 95% fleet load, vs a plain FIFO in the same run (target < 50 µs)');
const scheduler = [8, 64, 256].map((workers) => benchScheduler({ workers }));
console.table(scheduler.map((r) => ({ workers: r.workers, 'slots/worker': r.slotsPerWorker, 'parley µs/turn': r.parleyUsPerTurn.toFixed(2), 'fifo µs/turn': r.fifoUsPerTurn.toFixed(2), 'kept on home worker': `${(r.affinityHome * 100).toFixed(0)}%` })));

console.log('\nMemory: hot-context read at 1,000 (npc, player) pairs (target p99 < 2 ms on loopback Redis), archive batched vs one INSERT per turn (target ≥ 10×)');
const memory = await benchMemory();
console.table(memory.hotRead.map((r) => ({ what: r.what, 'rate/s': Math.round(r.ratePerSec), reads: r.reads, 'p50 ms': r.p50Ms.toFixed(2), 'p99 ms': r.p99Ms.toFixed(2), 'max/s': Math.round(r.maxPerSec) })));
console.table(memory.archive.map((r) => ({ what: r.what, turns: r.turns, 'turns/s': Math.round(r.turnsPerSec) })));
if (memory.archiveRatio !== null) console.log(`Archive batched vs per-turn: ${memory.archiveRatio.toFixed(1)}×`);
for (const n of memory.notes) console.log(`note: ${n}`);

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
console.log(`\nTurns through gateway + worker processes on loopback (closed loop, ${seconds} s each, scripted dialogue + eSpeak NG speech)`);
const turns = [];
// The scripted backend repeats phrases and the bench repeats 5 lines, so the sentence cache
// hits often; the cache-off rows show the cost of synthesizing every sentence.
const noCache = { PARLEY_TTS_CACHE_MB: '0' };
for (const cfg of [
  { label: 'no cache', workers: 1, concurrency: 1, connections: 1, workerEnv: noCache },
  { label: 'no cache', workers: 1, concurrency: 16, connections: 4, workerEnv: noCache },
  { label: 'cache', workers: 1, concurrency: 1, connections: 1 },
  { label: 'cache', workers: 1, concurrency: 16, connections: 4 },
  { label: 'cache', workers: 2, concurrency: 32, connections: 8 },
]) {
  const r = await benchTurns({ ...cfg, seconds });
  turns.push(r);
}
console.table(turns.map((r) => ({ speech: r.label, workers: r.workers, concurrency: r.concurrency, 'turns/s': r.turnsPerSec.toFixed(1), 'audio s/s': r.audioSecondsPerSec.toFixed(1), 'first audio p50 ms': r.firstAudioMs.p50.toFixed(1), 'first audio p99 ms': r.firstAudioMs.p99.toFixed(1), 'turn p99 ms': r.totalMs.p99.toFixed(1), errors: r.errors })));
console.log(`Sentence cache at 16 conversations: ${(turns[3]!.turnsPerSec / turns[1]!.turnsPerSec).toFixed(2)}× the turns/s of synthesizing every sentence`);

mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', JSON.stringify({ date: new Date().toISOString(), codec, scheduler, memory, turns }, null, 2));
console.log('\nwrote out/bench.json');

// Model backends (continuous batching vs one at a time) and memory have their own benches;
// run them here so `npm run bench` prints every number. BENCH_ONLY=core skips them.
if (process.env.BENCH_ONLY !== 'core') {
  console.log('\n── model backends (npm run bench:models -w @parley/gpu-worker) ──');
  spawnSync('npm', ['run', 'bench:models', '-w', '@parley/gpu-worker'], { stdio: 'inherit' });
}
