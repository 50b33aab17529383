export type {
  MetricDirection, TrialRecord, Proposal, ProposeContext, SearchBudget, MorphChild, NeighbourFn, SearcherConfig, JsonValue, Searcher, SearcherFactory,
} from './types';
export { MorphSearcher, trainingCost } from './base';
export { BayesianSearcher } from './bayesian';
export { RandomSearcher } from './random';
export { GreedySearcher } from './greedy';
export { TrialSurrogate } from './surrogate-state';
export type { Liar } from './surrogate-state';
export { registerSearcher, createSearcher, listSearchers } from './registry';
export { runSearchLoop, bestTrial, isBetter, noTimeForTrial, searchBudget, trialOutcome, finiteOrFailed } from './search-loop';
export type { TrialJob, TrialOutcome, TrialSummary, SearchEvents, TrialStore, SearchLoopOptions } from './search-loop';
export { ThreadedSearcher } from './threaded';
export type { ThreadedSearcherSpec } from './thread-protocol';
export { SurrogateSearcher } from './surrogate-searcher';
