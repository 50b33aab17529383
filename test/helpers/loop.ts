import type { TrialExecutor, TrialSpec } from '../../src/execute/types';
import type { Graph } from '../../src/graph';
import { graphFromJSON, graphToJSON } from '../../src/graph/json';
import type { TrialStore } from '../../src/search/search-loop';
import type { TrialOutcome } from '../../src/search/trial';
import type { Proposal } from '../../src/search/types';

/** One trial as a test's fake runner sees it: the architecture, and the trained parent from the store. */
export interface FakeJob {
  trialId: number;
  graph: Graph;
  parent: Graph | null;
  parentId: number | null;
  deadline: number;
}

/** The spec of a proposal, for loops whose executor runs in memory. */
export function memorySpec(trialId: number, p: Proposal, deadline: number): TrialSpec {
  return {
    trialId, key: `t-${trialId}`, directory: '', graph: graphToJSON(p.graph, false), parentId: p.parentId, parent: null, ops: p.ops,
    train: { task: 'classification', epochs: 1, patience: 1, batchSize: 8, optimizer: { name: 'adam' }, augment: false }, seed: trialId, deadline, data: { directory: '' },
  };
}

/** A capacity-`capacity` executor that runs `run` on each spec (the parent read from `store`), for loop tests without training. */
export function fakeExecutor(store: TrialStore, run: (job: FakeJob) => Promise<TrialOutcome>, capacity = 1): TrialExecutor & { toSpec: typeof memorySpec } {
  return {
    capacity,
    toSpec: memorySpec,
    async run(spec: TrialSpec) {
      const parent = spec.parentId === null ? null : await store.trainedGraph(spec.parentId);
      return run({ trialId: spec.trialId, graph: graphFromJSON(spec.graph), parent, parentId: spec.parentId, deadline: spec.deadline });
    },
    async close() {},
  };
}
