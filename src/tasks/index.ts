export { AutoModel } from './auto-model';
export type { FitOptions, FinalFitOptions, FinalFitReport, SearchSummary } from './auto-model';
export { ImageClassifier } from './image-classifier';
export { ImageRegressor } from './image-regressor';
export type { AutoModelOptions, OptimizerOption, BackendOption, ResolvedOptions } from './options';
export { checkFitOptions, checkFinalFitOptions, EVENT_NAMES } from './options';
export type { AutoModelEvents, SearchStartEvent } from './events';
export type { TaskSpec } from './task-spec';
export type { TargetLike, BatchDataset } from './data';
