import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { estimateMemoryBytes } from '../train/memory';

const MiB = 1024 * 1024;

/**
 * The memory rule of a search (paper section 4.4), owned by the search loop whatever executor runs
 * the trials: a candidate whose estimated training memory (`estimateMemoryBytes` at the search's
 * batch size) exceeds the budget is not trained; after a trial fails out of memory (even at half its
 * batch), the budget drops to that candidate's estimate minus one byte, so nothing that size or
 * larger is tried again.
 *
 * @example
 * ```ts
 * const memory = new MemoryBudget(2 * 1024 ** 3, 128);
 * memory.admit(graph);       // null, or why the graph is not trained
 * memory.outOfMemory(graph); // after its trial failed out of memory
 * ```
 */
export class MemoryBudget {
  constructor(private bytes: number, private readonly batchSize: number) {
    if (!(bytes > 0)) invalidArgument('memoryBudget', 'a positive number of bytes', bytes);
  }

  /** The budget in bytes now. */
  get budget(): number {
    return this.bytes;
  }

  /** Null when `graph` may be trained; otherwise the reason, recorded as the trial's error. */
  admit(graph: Graph): string | null {
    const need = estimateMemoryBytes(graph, this.batchSize);
    return need > this.bytes ? `estimated memory ${(need / MiB).toFixed(0)} MiB exceeds the budget of ${(this.bytes / MiB).toFixed(0)} MiB` : null;
  }

  /** Lowers the budget below `graph`'s estimate (its trial failed out of memory). */
  outOfMemory(graph: Graph): void {
    this.bytes = Math.min(this.bytes, estimateMemoryBytes(graph, this.batchSize) - 1);
  }
}
