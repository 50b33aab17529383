export { UpperConfidenceBound } from './ucb';
export type { AcquisitionFunction, UpperConfidenceBoundOptions } from './ucb';
export { TreeSearchOptimizer } from './tree-search';
export type { TrainedArchitecture, TreeSearchOptions, TreeSearchRun, TreeSearchResult } from './tree-search';
export { PriorityQueue } from './priority-queue';
