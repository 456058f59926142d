/**
 * Consistent-hash ring for conversation affinity. Each worker owns `vnodes` points on a
 * 32-bit ring; a conversation key walks clockwise from its hash and meets workers in a stable
 * order, so the same (npc, player) lands on the same worker, and only the keys of a worker
 * that joins or leaves move. The load bound (Mirrokni et al., "consistent hashing with
 * bounded loads") is applied by the caller while it walks.
 */

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so near-identical keys spread. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class AffinityRing<W extends { readonly id: string }> {
  private points = new Uint32Array(0);
  /** Index into `members` for each point. */
  private owners = new Uint16Array(0);
  private members: W[] = [];
  private seen = new Uint32Array(0);
  private stamp = 0;

  constructor(private readonly vnodes = 64) {}

  get size(): number {
    return this.members.length;
  }

  get workers(): readonly W[] {
    return this.members;
  }

  /** Rebuilds the ring for this set of workers (on join/leave/drain: rare compared with lookups). */
  set(workers: Iterable<W>): void {
    this.members = [...workers].slice(0, 0xffff);
    const pts: Array<[number, number]> = [];
    this.members.forEach((w, i) => {
      for (let v = 0; v < this.vnodes; v++) pts.push([hash32(`${w.id}#${v}`), i]);
    });
    pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.points = Uint32Array.from(pts, (p) => p[0]);
    this.owners = Uint16Array.from(pts, (p) => p[1]);
    this.seen = new Uint32Array(this.members.length);
    this.stamp = 0;
  }

  /**
   * Calls `accept` on each distinct worker in ring order from the key's hash; returns the first
   * accepted one and whether it is the key's home (first) worker.
   */
  find(key: string, accept: (w: W) => boolean): { worker: W; home: boolean } | null {
    const n = this.points.length;
    if (n === 0) return null;
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const h = hash32(key);
    // First point ≥ h (binary search), wrapping to 0.
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    let distinct = 0;
    for (let k = 0; k < n && distinct < this.members.length; k++) {
      const owner = this.owners[(lo + k) % n]!;
      if (this.seen[owner] === this.stamp) continue;
      this.seen[owner] = this.stamp;
      const w = this.members[owner]!;
      if (accept(w)) return { worker: w, home: distinct === 0 };
      distinct++;
    }
    return null;
  }

  /** The key's home worker (ignoring load). */
  home(key: string): W | null {
    return this.find(key, () => true)?.worker ?? null;
  }
}
