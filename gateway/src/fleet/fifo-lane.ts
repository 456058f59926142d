/**
 * A FIFO with O(1) push/shift and lazy removal: a cancelled entry is flagged `removed` and
 * skipped when it reaches the head, so cancelling a queued turn never scans the queue.
 */
export class FifoLane<E extends { removed: boolean }> {
  private items: E[] = [];
  private head = 0;

  push(e: E): void {
    this.items.push(e);
  }

  /** The first entry that was not removed (dropping removed ones on the way). */
  peek(): E | undefined {
    while (this.head < this.items.length) {
      const e = this.items[this.head]!;
      if (!e.removed) return e;
      this.head++;
    }
    this.compact();
    return undefined;
  }

  shift(): E | undefined {
    const e = this.peek();
    if (e) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
    return e;
  }

  /** Live entries in order (for snapshots and sweeps; O(n)). */
  *live(): IterableIterator<E> {
    for (let i = this.head; i < this.items.length; i++) if (!this.items[i]!.removed) yield this.items[i]!;
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.head = 0;
  }
}
