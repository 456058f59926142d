/**
 * Scheduling overhead per turn: the full policy (tier priority, reservation, aging,
 * deadlines, fallback, bounded-load affinity over a hash ring) against a plain FIFO with
 * first-free-worker placement, both driven through the same steady-state loop in this run:
 * a fleet at ~95 % of its slots, each step ending one random running turn and submitting
 * one new turn in the tier mix of a region (gold 20 %, silver 35 %, bronze 45 %).
 */
import { performance } from 'node:perf_hooks';
import type { ServedTier, Tier } from '@parley/protocol';
import { TierScheduler, type SlotHolder } from '../../gateway/src/fleet/tier-scheduler.js';
import { DEFAULT_FLEET_POLICY } from '../../gateway/src/fleet/fleet-config.js';
import { mulberry32 } from '../../gpu-worker/src/util/mulberry32.js';

export interface SchedulerBenchResult {
  workers: number;
  slotsPerWorker: number;
  conversations: number;
  turns: number;
  /** µs per turn: submit + dispatch + release, full policy. */
  parleyUsPerTurn: number;
  /** µs per turn: the same loop with a plain FIFO. */
  fifoUsPerTurn: number;
  ratio: number;
  /** Share of turns that stayed on their conversation's home worker. */
  affinityHome: number;
}

class BenchWorker implements SlotHolder {
  inFlight = 0;
  readonly draining = false;
  readonly tiers: ReadonlySet<ServedTier> = new Set(['gold', 'silver', 'bronze', 'scripted']);
  constructor(readonly id: string, readonly slots: number) {}
  get free() {
    return this.slots - this.inFlight;
  }
}

interface Item { tier: Tier; key: string; worker: BenchWorker | null }

/** Deterministic PRNG so both loops see the same sequence. */
const rng = mulberry32;

const tierOf = (x: number): Tier => (x < 0.2 ? 'gold' : x < 0.55 ? 'silver' : 'bronze');

interface Policy {
  submit(item: Item, now: number): void;
  release(item: Item, now: number): void;
}

function runLoop(policy: Policy, running: Item[], opts: { conversations: number; turns: number }, keys: string[]): number {
  const rand = rng(42);
  let now = 0;
  const t0 = performance.now();
  for (let i = 0; i < opts.turns; i++) {
    now += 0.1;
    if (running.length > 0) {
      const j = Math.floor(rand() * running.length);
      const done = running[j]!;
      running[j] = running[running.length - 1]!;
      running.pop();
      policy.release(done, now);
    }
    const item: Item = { tier: tierOf(rand()), key: keys[Math.floor(rand() * opts.conversations)]!, worker: null };
    policy.submit(item, now);
  }
  return ((performance.now() - t0) * 1000) / opts.turns;
}

export function benchScheduler(opts: { workers?: number; slotsPerWorker?: number; conversations?: number; turns?: number } = {}): SchedulerBenchResult {
  const workers = opts.workers ?? 64, slotsPerWorker = opts.slotsPerWorker ?? 16, conversations = opts.conversations ?? 1000, turns = opts.turns ?? 200_000;
  const keys = Array.from({ length: conversations }, (_, i) => `npc-${i % 50}\u0000player-${i}`);
  const fill = Math.floor(workers * slotsPerWorker * 0.95);

  // Full policy.
  const fleet = Array.from({ length: workers }, (_, i) => new BenchWorker(`w${i}`, slotsPerWorker));
  const core = new TierScheduler<Item, BenchWorker>({ maxQueue: 2000, queueTimeoutMs: 5000, ...DEFAULT_FLEET_POLICY });
  for (const w of fleet) core.addWorker(w);
  let running: Item[] = [];
  let home = 0, placed = 0;
  const apply = (d: ReturnType<typeof core.submit> | null) => {
    if (d?.kind !== 'place') return;
    d.item.worker = d.worker;
    d.worker.inFlight++;
    running.push(d.item);
    placed++;
    if (d.home) home++;
  };
  const parley: Policy = {
    submit(item, now) {
      apply(core.submit(item, item.tier, item.key, now));
      for (let d = core.next(now); d; d = core.next(now)) apply(d);
    },
    release(item, now) {
      item.worker!.inFlight--;
      core.release(item, now);
      for (let d = core.next(now); d; d = core.next(now)) apply(d);
    },
  };
  for (let i = 0; i < fill; i++) parley.submit({ tier: tierOf(i / fill), key: keys[i % conversations]!, worker: null }, 0);
  runLoop(parley, running, { conversations, turns: Math.min(turns, 20_000) }, keys); // warm up
  home = placed = 0;
  const parleyUs = runLoop(parley, running, { conversations, turns }, keys);
  const affinityHome = placed ? home / placed : 0;

  // Baseline: one FIFO, first worker with a free slot (scanning from a rotating start).
  const fleet2 = Array.from({ length: workers }, (_, i) => new BenchWorker(`w${i}`, slotsPerWorker));
  const queue: Item[] = [];
  let rr = 0;
  running = [];
  const place = (item: Item) => {
    for (let k = 0; k < fleet2.length; k++) {
      const w = fleet2[(rr + k) % fleet2.length]!;
      if (w.free > 0) {
        rr = (rr + k + 1) % fleet2.length;
        w.inFlight++;
        item.worker = w;
        running.push(item);
        return true;
      }
    }
    return false;
  };
  const fifo: Policy = {
    submit(item) {
      if (queue.length > 0 || !place(item)) queue.push(item);
    },
    release(item) {
      item.worker!.inFlight--;
      while (queue.length > 0 && place(queue[0]!)) queue.shift();
    },
  };
  for (let i = 0; i < fill; i++) fifo.submit({ tier: tierOf(i / fill), key: '', worker: null }, 0);
  runLoop(fifo, running, { conversations, turns: Math.min(turns, 20_000) }, keys);
  const fifoUs = runLoop(fifo, running, { conversations, turns }, keys);

  return { workers, slotsPerWorker, conversations, turns, parleyUsPerTurn: parleyUs, fifoUsPerTurn: fifoUs, ratio: parleyUs / fifoUs, affinityHome };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const w of [8, 64, 256]) {
    const r = benchScheduler({ workers: w });
    console.log(`${w} workers × ${r.slotsPerWorker} slots, ${r.conversations} conversations: parley ${r.parleyUsPerTurn.toFixed(2)} µs/turn, plain FIFO ${r.fifoUsPerTurn.toFixed(2)} µs/turn (${r.ratio.toFixed(1)}×), home-worker share ${(r.affinityHome * 100).toFixed(1)} %`);
  }
}
