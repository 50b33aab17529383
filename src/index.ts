/**
 * autokeras-ts: neural architecture search by network morphism guided by Bayesian optimisation
 * (Auto-Keras, Jin, Song & Hu, KDD 2019) for Node.js, with TensorFlow.js models out.
 *
 * Start with {@link ImageClassifier} or {@link ImageRegressor} (images), {@link StructuredDataClassifier} (rows) or
 * {@link TextClassifier} (texts). The root also exports what a searcher,
 * generator or executor author needs: the {@link Searcher} contract and the built-in searchers with their
 * registry, the initial-architecture generators, the {@link Graph} IR, and the {@link TrialExecutor}
 * contract. Everything else (the kernel, the Gaussian process, the morph operations, the trainer, the
 * search-directory records, ...) is in `autokeras-ts/internals`, whose names may change in any release.
 *
 * @example
 * ```ts
 * import { ImageClassifier, loadFashionMnistSample } from 'autokeras-ts';
 *
 * const { train, test } = await loadFashionMnistSample();
 * const clf = new ImageClassifier({ seed: 1 });
 * await clf.fit(train.x, train.y, { timeLimit: 60 });
 * console.log(await clf.evaluate(test.x, test.y));
 * ```
 *
 * @packageDocumentation
 */

// Tasks: what a user fits, predicts with and exports.
export { AutoModel, ImageClassifier, ImageRegressor } from './tasks';
export { StructuredDataClassifier, StructuredDataRegressor } from './tasks';
export type { StructuredDataOptions, StructuredInput, StructuredTarget } from './tasks';
export { TextClassifier, TextRegressor } from './tasks';
export type { TextOptions, TextInput, TextTarget } from './tasks';
export type {
  AutoModelOptions, AutoModelEvents, FitOptions, FinalFitOptions, FinalFitReport, SearchSummary, TargetLike, BatchDataset,
} from './tasks';

// Errors, defaults, randomness.
export {
  AutoKerasError, ArgumentError, InputDataError, GraphError, NotFittedError, UnsupportedError, SearchError,
} from './errors';
export { DEFAULTS } from './options';
export type { Defaults } from './options';
export { Rng } from './util/rng';

// Training settings a user passes in the options.
export type { AugmentSettings } from './data/augment';
export type { Metric, CustomMetric } from './train/metrics';

// Data loaders and the exported-model loader.
export { loadData, loadCsvImages, loadImageFolder, loadFashionMnistSample } from './data';
export type { ImageList } from './data';
export { loadExportedModel } from './persist';
export { writeSearchReport } from './report';

// Backend.
export { selectBackend } from './backend';
export type { BackendName } from './backend';

// The architecture IR.
export { Graph, graphToJSON, graphFromJSON } from './graph';
export type { GraphJSON, LayerSpec } from './graph';
export { compileGraph } from './compile';
export type { MorphOp } from './morph';

// Initial architectures.
export { CnnGenerator, ResNetGenerator, DenseNetGenerator, MlpGenerator, defaultGenerators } from './generators';
export type { GraphGenerator } from './generators';

// Searchers: the contract, the built-ins and the registry.
export type {
  Searcher, SearcherConfig, SearcherFactory, Proposal, ProposeContext, SearchBudget, TrialRecord, JsonValue, TrialResult, TrialOutcome,
} from './search';
export {
  MorphSearcher, BayesianSearcher, RandomSearcher, GreedySearcher, registerSearcher, createSearcher, listSearchers,
} from './search';

// Executors: the contract and the worker of the BullMQ executor.
export type { ExecutorOption, TrialExecutor, TrialListener, TrialSpec, WorkerResult } from './execute';
export { runWorker } from './execute';
