/**
 * A max-priority queue (binary heap); equal priorities come out first-in first-out, so a search over it
 * is deterministic.
 *
 * @example
 * ```ts
 * const q = new PriorityQueue<string>();
 * q.push('a', 1); q.push('b', 3);
 * q.pop(); // { item: 'b', priority: 3 }
 * ```
 */
export class PriorityQueue<T> {
  private heap: { item: T; priority: number; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(item: T, priority: number): void {
    this.heap.push({ item, priority, seq: this.seq++ });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the entry of highest priority; undefined when empty. */
  pop(): { item: T; priority: number } | undefined {
    const top = this.heap[0];
    if (!top) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.sink(0);
    }
    return { item: top.item, priority: top.priority };
  }

  private sink(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && this.before(l, m)) m = l;
      if (r < this.heap.length && this.before(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.priority > y.priority || (x.priority === y.priority && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }
}
