import { describe, expect, it } from 'vitest';
import type { ServedTier, Tier } from '@parley/protocol';
import { TierScheduler, type Decision, type PolicyOptions, type SlotHolder } from './tier-scheduler.js';

class FakeWorker implements SlotHolder {
  inFlight = 0;
  draining = false;
  readonly tiers: ReadonlySet<ServedTier>;
  constructor(readonly id: string, tiers: ServedTier[], readonly slots: number) {
    this.tiers = new Set(tiers);
  }
  get free() {
    return this.draining ? 0 : this.slots - this.inFlight;
  }
}

interface Item { name: string; tier: Tier; key: string }
const ALL: ServedTier[] = ['gold', 'silver', 'bronze', 'scripted'];

function setup(opts: Partial<PolicyOptions> = {}, workers: FakeWorker[] = []) {
  const core = new TierScheduler<Item, FakeWorker>({ maxQueue: 100, queueTimeoutMs: 5000, reservedShares: { gold: 0, silver: 0, bronze: 0 }, agingMs: 1000, fallbackAfterMs: 250, affinityBalance: 1.25, ...opts });
  for (const w of workers) core.addWorker(w);
  const placed = new Map<Item, FakeWorker>();
  const apply = (d: Decision<Item, FakeWorker> | null) => {
    if (d?.kind === 'place') {
      d.worker.inFlight++;
      placed.set(d.item, d.worker);
    }
    return d;
  };
  let n = 0;
  const submit = (tier: Tier, now = 0, key = `k${n}`) => {
    const item = { name: `${tier}-${n++}`, tier, key };
    return apply(core.submit(item, tier, key, now));
  };
  const finish = (item: Item, now = 0) => {
    placed.get(item)!.inFlight--;
    placed.delete(item);
    core.release(item, now);
  };
  const next = (now = 0) => apply(core.next(now));
  return { core, submit, finish, next, placed };
}

const itemOf = (d: Decision<Item, FakeWorker> | null) => (d && 'item' in d ? d.item : null);

describe('TierScheduler priority and aging', () => {
  it('serves gold, then silver, then bronze when a slot frees', () => {
    const { submit, finish, next } = setup({}, [new FakeWorker('w', ALL, 1)]);
    const busy = itemOf(submit('bronze'))!;
    const b = itemOf(submit('bronze'))!, s = itemOf(submit('silver'))!, g = itemOf(submit('gold'))!;
    expect(next()).toBeNull();
    finish(busy);
    expect(itemOf(next())).toBe(g);
    finish(g);
    expect(itemOf(next())).toBe(s);
    finish(s);
    expect(itemOf(next())).toBe(b);
  });

  it('ages a waiting bronze turn past newer gold turns', () => {
    const { submit, finish, next } = setup({ agingMs: 1000, queueTimeoutMs: 60_000 }, [new FakeWorker('w', ALL, 1)]);
    const busy = itemOf(submit('gold', 0))!;
    const bronze = itemOf(submit('bronze', 0))!; // effective time 0 + 2 × 1000
    const early = itemOf(submit('gold', 1500))!; // 1500 < 2000: still ahead
    const late = itemOf(submit('gold', 2500))!; // 2500 > 2000: behind the bronze turn
    finish(busy, 3000);
    expect(itemOf(next(3000))).toBe(early);
    finish(early, 3000);
    expect(itemOf(next(3000))).toBe(bronze);
    finish(bronze, 3000);
    expect(itemOf(next(3000))).toBe(late);
  });

  it('never starves bronze under a constant gold flood', () => {
    const { submit, finish, next, placed } = setup({ agingMs: 500, queueTimeoutMs: 60_000 }, [new FakeWorker('w', ALL, 2)]);
    submit('gold', 0);
    submit('gold', 0);
    const bronze = itemOf(submit('bronze', 0))!;
    let servedAt = -1;
    // Two gold turns arrive every 100 ms, each runs 100 ms: gold alone saturates the worker.
    for (let now = 100; now < 5000 && servedAt < 0; now += 100) {
      for (const item of [...placed.keys()]) finish(item, now);
      submit('gold', now);
      submit('gold', now);
      for (let d = next(now); d; d = next(now)) if (itemOf(d) === bronze) servedAt = now;
      if (placed.has(bronze)) servedAt = now;
    }
    expect(servedAt).toBeGreaterThan(0);
    expect(servedAt).toBeLessThanOrEqual(2 * 500 + 200);
  });
});

describe('TierScheduler reservation and borrowing', () => {
  it('gives a tier below its reserved share the next free slots', () => {
    const w = new FakeWorker('w', ALL, 10);
    const { submit, finish, next, core } = setup({ reservedShares: { gold: 0.5, silver: 0, bronze: 0.2 }, agingMs: 1e9 }, [w]);
    const golds = Array.from({ length: 10 }, () => itemOf(submit('gold'))!);
    for (let i = 0; i < 5; i++) submit('gold');
    for (let i = 0; i < 5; i++) submit('bronze');
    expect(core.runningOf('gold')).toBe(10);
    const servedTiers: Tier[] = [];
    for (const g of golds.slice(0, 4)) {
      finish(g);
      servedTiers.push(itemOf(next())!.tier);
    }
    // Bronze reserved floor(0.2 × 10) = 2 slots: it gets the first two, then gold's priority applies.
    expect(servedTiers).toEqual(['bronze', 'bronze', 'gold', 'gold']);
  });

  it('lets a tier borrow the idle reservation of others', () => {
    const { submit, core } = setup({ reservedShares: { gold: 0.5, silver: 0.3, bronze: 0.1 } }, [new FakeWorker('w', ALL, 10)]);
    for (let i = 0; i < 10; i++) expect(submit('bronze')?.kind).toBe('place');
    expect(core.runningOf('bronze')).toBe(10);
  });

  it('holds a free slot for a waiting tier below its share instead of lending it', () => {
    const a = new FakeWorker('a', ['gold', 'bronze'], 2);
    const { submit, next, core } = setup({ reservedShares: { gold: 0.5, silver: 0, bronze: 0 } }, [a]);
    const g = itemOf(submit('gold'))!;
    // The gold turn's worker fails it; it may not go back to the same worker, so it waits.
    expect(core.retry(g, 'a', 0)?.kind).toBe('queued');
    a.inFlight--;
    // Gold holds floor(0.5 × 2) = 1 slot: with 2 free, a bronze turn may take one...
    expect(submit('bronze')?.kind).toBe('queued');
    expect(next()).toMatchObject({ kind: 'place', tier: 'bronze' });
    // ...but the last free slot is held for the waiting gold turn.
    expect(submit('bronze')?.kind).toBe('queued');
    expect(next()).toBeNull();
  });
});

describe('TierScheduler deadlines, bounds and fallback', () => {
  it('rejects a turn that waited past its deadline when it is dequeued', () => {
    const { submit, next, core } = setup({ queueTimeoutMs: 1000 }, [new FakeWorker('w', ['gold'], 1)]);
    submit('gold', 0);
    const waiting = itemOf(submit('gold', 10))!;
    expect(core.nextWakeAt(10)).toBe(260); // its fallback point comes first
    expect(next(500)).toBeNull(); // no lower tier to fall back to
    expect(core.nextWakeAt(500)).toBe(1010);
    const d = next(1010);
    expect(d).toMatchObject({ kind: 'reject', reason: 'deadline', item: waiting, waitedMs: 1000 });
    expect(d?.kind === 'reject' && d.retryAfterMs).toBeGreaterThanOrEqual(250);
    expect(core.queued).toBe(0);
  });

  it('bounds the queue', () => {
    const { submit } = setup({ maxQueue: 2 }, [new FakeWorker('w', ['gold'], 1)]);
    submit('gold');
    expect(submit('gold')?.kind).toBe('queued');
    expect(submit('gold')?.kind).toBe('queued');
    expect(submit('gold')).toMatchObject({ kind: 'reject', reason: 'queue_full' });
  });

  it('falls back gold → silver → bronze → scripted once a turn waited fallbackAfterMs', () => {
    const gold = new FakeWorker('g', ['gold'], 1), silver = new FakeWorker('s', ['silver'], 1), bronze = new FakeWorker('b', ['bronze'], 1), scripted = new FakeWorker('x', ['scripted'], 1);
    const { submit, next } = setup({ fallbackAfterMs: 250 }, [gold, silver, bronze, scripted]);
    expect(submit('gold', 0)).toMatchObject({ tier: 'gold', degraded: false });
    const served: (ServedTier | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      expect(submit('gold', 0)?.kind).toBe('queued');
      expect(next(100)).toBeNull(); // too early to degrade
      const d = next(250);
      served.push(d?.kind === 'place' ? d.tier : undefined);
      expect(d).toMatchObject({ degraded: true });
    }
    expect(served).toEqual(['silver', 'bronze', 'scripted']);
  });

  it('falls back at once when no worker serves the tier, and uses a scripted worker as the last resort at the deadline', () => {
    const silver = new FakeWorker('s', ['silver'], 1);
    const { submit, next, core } = setup({ fallbackAfterMs: 10_000, queueTimeoutMs: 1000 }, [silver]);
    expect(submit('gold', 0)).toMatchObject({ kind: 'place', tier: 'silver', degraded: true });
    expect(submit('silver', 0)?.kind).toBe('queued');
    core.addWorker(new FakeWorker('x', ['scripted'], 1));
    expect(next(500)).toBeNull();
    expect(next(1000)).toMatchObject({ kind: 'place', tier: 'scripted', degraded: true });
  });
});

describe('TierScheduler affinity', () => {
  const fleet = (n: number, slots = 16) => Array.from({ length: n }, (_, i) => new FakeWorker(`w${i}`, ALL, slots));

  it('sends every turn of a conversation to the same worker while it has room', () => {
    const { core, submit, finish, placed } = setup({}, fleet(5));
    for (let c = 0; c < 50; c++) {
      const seen = new Set<string>();
      for (let t = 0; t < 5; t++) {
        const d = submit('silver', 0, `npc-${c}|player`);
        expect(d).toMatchObject({ kind: 'place', home: true });
        seen.add(placed.get(itemOf(d)!)!.id);
        finish(itemOf(d)!);
      }
      expect(seen.size).toBe(1);
    }
    expect(core.queued).toBe(0);
  });

  it('moves only the conversations of a worker that left', () => {
    const workers = fleet(5);
    const { core, submit, finish, placed } = setup({}, workers);
    const homeOf = () => {
      const m = new Map<string, string>();
      for (let c = 0; c < 500; c++) {
        const d = submit('silver', 0, `conv-${c}`)!;
        m.set(`conv-${c}`, placed.get(itemOf(d)!)!.id);
        finish(itemOf(d)!);
      }
      return m;
    };
    const before = homeOf();
    core.removeWorker(workers[2]!);
    const after = homeOf();
    let moved = 0;
    for (const [k, w] of before) {
      if (w === 'w2') expect(after.get(k)).not.toBe('w2');
      else if (after.get(k) !== w) moved++;
    }
    expect(moved).toBe(0);
    expect(new Set(after.values()).size).toBe(4);
  });

  it('bounds the load a hot conversation puts on one worker', () => {
    const workers = fleet(4, 100);
    const { submit } = setup({ affinityBalance: 1.25 }, workers);
    for (let i = 0; i < 200; i++) submit('bronze', 0, 'the-same-conversation');
    const avg = 200 / 4;
    for (const w of workers) expect(w.inFlight).toBeLessThanOrEqual(Math.ceil(1.25 * avg) + 1);
  });
});

describe('TierScheduler retries and cancellation', () => {
  it('retries on another worker, ahead of new turns', () => {
    const a = new FakeWorker('a', ALL, 1), b = new FakeWorker('b', ALL, 1);
    const { core, submit, next, placed, finish } = setup({}, [a, b]);
    const first = itemOf(submit('bronze', 0, 'k'))!;
    const other = itemOf(submit('bronze', 0, 'k2'))!;
    const failedOn = placed.get(first)!;
    const newer = itemOf(submit('bronze', 1))!;
    expect(core.stateOf(newer)).toBe('queued');
    failedOn.inFlight--;
    expect(core.retry(first, failedOn.id, 2)?.kind).toBe('queued'); // the other worker is busy
    finish(other, 3);
    expect(itemOf(next(3))).toBe(first);
    expect(placed.get(first)).not.toBe(failedOn);
  });

  it('forgets a cancelled queued turn', () => {
    const { core, submit, finish, next } = setup({}, [new FakeWorker('w', ALL, 1)]);
    const busy = itemOf(submit('gold'))!;
    const q = itemOf(submit('gold'))!;
    expect(core.cancel(q)).toBe('queued');
    expect(core.queued).toBe(0);
    finish(busy);
    expect(next()).toBeNull();
    expect(core.cancel(busy)).toBe('unknown');
  });
});
