import { SearchError } from '../errors';
import type { Graph } from '../graph/graph';
import type { TrialStore } from '../search/search-loop';
import type { TrialResult } from '../search/trial';

/** A TrialStore in memory, for searches without a directory. */
export class MemoryTrialStore implements TrialStore {
  private trained = new Map<number, Graph>();

  async trainedGraph(id: number): Promise<Graph> {
    const g = this.trained.get(id);
    if (!g) throw new SearchError(`Trial ${id} has no trained weights in memory`);
    return g;
  }

  async saveTrial(summary: TrialResult, trained: Graph | undefined): Promise<void> {
    if (trained && summary.status === 'ok') this.trained.set(summary.id, trained);
  }
}
