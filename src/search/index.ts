export type {
  MetricDirection, TrialRecord, Proposal, ProposeContext, SearchBudget, MorphChild, NeighbourFn, SearcherConfig, JsonValue, Searcher, SearcherFactory,
} from './types';
export { MorphSearcher, trainingCost } from './base';
export { BayesianSearcher } from './bayesian';
export { RandomSearcher } from './random';
export { GreedySearcher } from './greedy';
export { TrialSurrogate } from './surrogate-state';
export type { Liar } from './surrogate-state';
export { registerSearcher, createSearcher, listSearchers, searcherOptionKeys } from './registry';
export { checkOptionKeys, OPTION_KEYS } from './config';
export type { MorphSearcherOptions, SurrogateSearcherOptions, BayesianSearcherOptions, RandomSearcherOptions } from './config';
export { beats, bestTrial, isBetter, noTimeForTrial, searchBudget, finiteOrFailed } from './search-loop';
export type { TrialSummary, SearchEvents, TrialStore } from './search-loop';
export { trialResult, definedOnly } from './trial';
export type { TrialResult, TrialOutcome } from './trial';
export { ThreadedSearcher } from './threaded';
export type { ThreadedSearcherSpec } from './thread-protocol';
export { SurrogateSearcher } from './surrogate-searcher';
