import { BACKEND_NAMES } from '../backend/select';
import type { BackendName } from '../backend/select';
import { checkAugmentSettings } from '../data/augment';
import { checkImageSize } from '../data/resize';
import type { AugmentSettings } from '../data/augment';
import { invalidArgument } from '../errors';
import type { LrSchedule } from '../train/types';
import { DEFAULTS } from '../options';
import { checkPathText } from '../persist/paths';
import type { ExecutorOption } from '../execute/facade';
import { checkExecutorOption } from '../execute/facade';
import type { GraphGenerator } from '../generators/common';
import { checkOptionKeys } from '../search/config';
import { searcherOptionKeys } from '../search/registry';
import type { JsonValue, Searcher, SearcherFactory } from '../search/types';
import type { Metric } from '../train/metrics';
import { metricNames, resolveMetric } from '../train/metrics';

/** Optimiser of each trial: Adam (the CPU-friendly default of Auto-Keras 0.2) or SGD with momentum (0.3). */
export type OptimizerOption =
  | { name: 'adam'; learningRate?: number }
  | { name: 'sgd'; learningRate?: number; momentum?: number };

/** Backends `selectBackend` can pick, or `'auto'` for the default order. */
export type BackendOption = 'auto' | BackendName;

/**
 * Options of {@link ImageClassifier} and {@link ImageRegressor}; every field is optional.
 *
 * @example
 * ```ts
 * const clf = new ImageClassifier({ directory: './ak-run', seed: 1, maxTrials: 20, verbose: true });
 * ```
 */
export interface AutoModelOptions {
  /** Search directory (history, trials, searcher state). Without one the search is kept in memory only. */
  directory?: string;
  /** Replace an existing search in `directory` (default true). With false, an existing search is an error. */
  overwrite?: boolean;
  /**
   * Continue the search found in `directory` (default false). When `directory` is missing or holds no
   * search, a new search is started there, as Keras Tuner and AutoKeras do with `overwrite=False` (so one
   * script serves the first run and every rerun); the `searchStart` event then carries a `notice` saying
   * so (printed when `verbose`), and `resumed: false`.
   */
  resume?: boolean;
  /** Seed of every random choice (default `DEFAULTS.search.seed`, 0). */
  seed?: number;
  /** `'bayesian'` (default), `'random'`, `'greedy'`, a registered name, a factory, or a Searcher instance. */
  searcher?: string | SearcherFactory | Searcher;
  /**
   * Options of a searcher given by name or factory (its `config.options`), e.g. `{ beta: 1.5 }` or
   * `{ minTrialEpochs: 3 }` for `'bayesian'` (`BayesianSearcherOptions`; `RandomSearcherOptions` for
   * `'random'`); JSON values only. A key the named searcher does not declare is an ArgumentError naming
   * the ones it does. Default none.
   */
  searcherOptions?: Record<string, JsonValue>;
  /** Most trials (default 1000). */
  maxTrials?: number;
  /** Fraction of the training data held out for validation (default 0.08333, at most 500 samples). */
  validationSplit?: number;
  /**
   * Image augmentation during training, for 2D images: `true` (default) shifts by up to 1/14 of the
   * image side (`DEFAULTS.data`), `false` turns it off, {@link AugmentSettings} choose the shift, flips
   * and cutout.
   */
  augment?: boolean | AugmentSettings;
  /** Learning-rate schedule of every training run (default `'cosine'` over the run's epochs or time, whichever ends first). */
  lrSchedule?: LrSchedule;
  /** Backend preference (default `'auto'`: tfjs-node-gpu, tfjs-node, wasm, cpu; the `AUTOKERAS_BACKEND` environment variable applies under `'auto'`). */
  backend?: BackendOption;
  /** Print progress (default false). */
  verbose?: boolean;
  /** Most epochs of one trial (default 30). */
  epochsPerTrial?: number;
  /**
   * Run a built-in searcher in a worker thread that proposes the next architecture while the current one
   * trains (paper section 4.3; default true). The proposal then does not know the running trial's result.
   */
  searchThread?: boolean;
  /** Seconds one trial may train (default: 20% of `fit`'s time limit, at least 20 s). */
  trialTimeLimit?: number;
  /** Early-stopping patience during the search (default 5). */
  patience?: number;
  /** Batch size (default 128, lowered for small data). */
  batchSize?: number;
  /** Optimiser (default Adam, learning rate `DEFAULTS.train.learningRate`, 2e-3). */
  optimizer?: OptimizerOption;
  /** Memory budget of one candidate in bytes (default `DEFAULTS.search.memoryBudget`, 2 GiB): larger candidates are skipped. */
  memoryBudget?: number;
  /** The initial architectures' generators (default: CNN, ResNet, DenseNet for images; MLP for vectors). */
  generators?: GraphGenerator[];
  /**
   * Where trials run (default `'auto'`: a process pool with one worker per core, `os.availableParallelism()`,
   * when there are two or more and the data are in memory; in this process otherwise): `'in-process'`,
   * `{ type: 'process-pool', workers }`, `{ type: 'bullmq', redis, queue, workers }` or a TrialExecutor.
   * A process pool without `directory` works in a temporary folder removed after the search; BullMQ and
   * an executor instance need `directory` (the storage their workers share).
   */
  executor?: ExecutorOption;
  /**
   * Most trials averaged into the final model (default `DEFAULTS.search.ensembleSize`): after the
   * search, trials are added to the best one greedily while they lower the validation loss, and the
   * ensemble replaces the best trial only when it scores better on validation. It is one Graph (the
   * members side by side, their heads merged into one dense layer), so finalFit, export and load treat
   * it as any model. `1` keeps the best trial alone. `searchSummary.ensemble` says what was chosen.
   * Above 1 it is an ArgumentError with `multiLabel` or an `objective` other than accuracy / MSE
   * (the selection scores members on those).
   */
  ensemble?: number;
  /**
   * What the search optimises (Keras Tuner / AutoKeras `objective`): the metric the searcher's Gaussian
   * process models, the best trial is chosen by, early stopping monitors on the validation data, and
   * `evaluate` returns. Classification: `'accuracy'` (default), `'auc'`, `'f1'`, `'precision'`,
   * `'recall'` (macro averages over the classes), `'crossentropy'`; regression: `'mse'` (default),
   * `'mae'`, `'rmse'`, `'r2'`; or a {@link CustomMetric} `{ name, direction, fn }`. Without it, early
   * stopping monitors the validation loss (Keras's default) and the search ranks by the default metric.
   *
   * A `CustomMetric` (a function) cannot cross a process boundary: under `executor: 'auto'` such a
   * search trains in this process; with a process pool, BullMQ or an executor instance it is an
   * ArgumentError naming the option.
   */
  objective?: Metric;
  /**
   * More metrics computed on the validation data after every epoch (the history's `valMetrics`, each
   * trial's `metrics`, the report) and by `evaluate(x, y, { returnDict: true })` (default none). Names
   * and functions as for `objective`.
   */
  metrics?: Metric[];
  /**
   * Classification: the weight of each class's samples in the training loss (Keras `class_weight`),
   * for imbalanced data. `'balanced'` weighs class `k` by `n / (K * n_k)` over the training part
   * (scikit-learn's `'balanced'`); an object maps labels (as `String(label)`; class indices for one-hot
   * `y`) to non-negative weights, classes left out weigh 1. Validation losses and metrics are not
   * weighted. Default: every sample weighs 1.
   */
  classWeight?: 'balanced' | Record<string, number>;
  /**
   * Classification: `y` holds multi-hot rows `[N, K]` (any number of labels per sample; default false).
   * The networks end in a sigmoid per label and train on binary cross-entropy; after the search (and
   * `finalFit`) each label's threshold is chosen on the validation data (the one of best F1), saved
   * with the model and its export; `predict` returns multi-hot rows. Accuracy is then the share of
   * correct label decisions (Keras `binary_accuracy`), F1, precision, recall and AUC macro averages
   * over the labels.
   */
  multiLabel?: boolean;
  /**
   * `[height, width]` 2D images are resized to in `fit` (default: the median height and width of the
   * training images, each capped at `DEFAULTS.data.maxImageSize`, 128; images of one size within the cap
   * are kept as they are). `fit` accepts images of mixed sizes as an array of images ({@link ImageList}).
   */
  imageSize?: [number, number];
  /**
   * Resize 2D images of another size (default true): in `fit` to `imageSize`, in `predict` / `evaluate`
   * to the model's size, each time reported by a `resized` event. false: such images are an
   * InputDataError instead.
   */
  resize?: boolean;
  /**
   * Spatial axes of a sample (image tasks): 2 for images `[N, H, W(, C)]` (default), 1 for sequences
   * `[N, L(, C)]`, 3 for volumes `[N, D, H, W(, C)]` (Auto-Keras 0.3's ImageClassifier1D / 3D). The
   * generators and morphs follow the rank (conv1d / conv3d); `augment` defaults to false for 1 and 3
   * (its shifts and flips are 2D) and may not be turned on; mixed sizes are resized for 2D only.
   */
  rank?: 1 | 2 | 3;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<AutoModelOptions, 'directory' | 'searcher' | 'generators' | 'trialTimeLimit' | 'objective' | 'classWeight' | 'imageSize'>>
  & Pick<AutoModelOptions, 'directory' | 'generators' | 'trialTimeLimit' | 'objective' | 'classWeight' | 'imageSize'> & { searcher: string | SearcherFactory | Searcher };

const BACKENDS: readonly BackendOption[] = ['auto', ...BACKEND_NAMES];
/** Every option name: the compiler keeps it equal to the keys of {@link AutoModelOptions}. */
const OPTION_NAMES: Record<keyof AutoModelOptions, true> = {
  directory: true, overwrite: true, resume: true, seed: true, searcher: true, maxTrials: true, validationSplit: true, augment: true, lrSchedule: true,
  backend: true, verbose: true, epochsPerTrial: true, patience: true, batchSize: true, optimizer: true, memoryBudget: true, generators: true, executor: true,
  trialTimeLimit: true, searchThread: true, searcherOptions: true, ensemble: true, objective: true, metrics: true, classWeight: true, multiLabel: true,
  imageSize: true, resize: true, rank: true,
};
const KNOWN = new Set(Object.keys(OPTION_NAMES));

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) invalidArgument(name, 'a positive integer', v);
}

/**
 * Rejects keys of an options object that are not in `known`, naming the known keys (and the likely
 * intended one for a case slip such as `timelimit`): a typo must never be ignored silently.
 */
function checkKnownKeys(options: object, known: ReadonlySet<string>, of: string): void {
  for (const key of Object.keys(options)) {
    if (known.has(key)) continue;
    const near = [...known].find((k) => k.toLowerCase() === key.toLowerCase());
    invalidArgument(key, `a known option of ${of} (${[...known].join(', ')})${near ? `; did you mean \`${near}\`?` : ''}`, (options as Record<string, unknown>)[key]);
  }
}

/** Event names a `callbacks` object of `fit` may hold. */
export const EVENT_NAMES: readonly string[] = ['searchStart', 'trialStart', 'epochEnd', 'trialEnd', 'newBest', 'searchEnd', 'resized'];
const FIT_KNOWN = new Set(['timeLimit', 'validationData', 'callbacks', 'signal']);
const FINAL_FIT_KNOWN = new Set(['retrain', 'timeLimit', 'epochs', 'patience', 'validationData']);

function checkTimeLimit(v: unknown): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) invalidArgument('timeLimit', 'a positive, finite number of seconds', v);
}

function checkValidationData(v: unknown): void {
  if (v !== undefined && !(Array.isArray(v) && v.length === 2 && v[0] != null && v[1] != null)) invalidArgument('validationData', 'a pair [x, y]', v);
}

/**
 * Checks the options object of `fit` as strictly as the constructor's: unknown keys (a typo such as
 * `timelimit`), a non-positive or non-finite `timeLimit`, a `validationData` that is not `[x, y]`, a
 * `signal` that is not an AbortSignal, or
 * `callbacks` that are not functions of known events are {@link ArgumentError}s.
 *
 * @example
 * ```ts
 * checkFitOptions({ timelimit: 2 }); // ArgumentError: ... a known option of fit (timeLimit, ...); did you mean `timeLimit`?
 * ```
 */
export function checkFitOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalidArgument('fitOptions', 'an object such as { timeLimit: 600 }', options);
  checkKnownKeys(options, FIT_KNOWN, 'fit');
  const o = options as { timeLimit?: unknown; validationData?: unknown; callbacks?: unknown };
  checkTimeLimit(o.timeLimit);
  checkValidationData(o.validationData);
  const signal = (options as { signal?: unknown }).signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) invalidArgument('signal', 'an AbortSignal (e.g. new AbortController().signal, AbortSignal.timeout(ms))', signal);
  if (o.callbacks !== undefined) {
    if (typeof o.callbacks !== 'object' || o.callbacks === null || Array.isArray(o.callbacks)) invalidArgument('callbacks', `an object of listeners (${EVENT_NAMES.join(', ')})`, o.callbacks);
    for (const [event, fn] of Object.entries(o.callbacks)) {
      if (!EVENT_NAMES.includes(event)) invalidArgument(`callbacks.${event}`, `a listener of a known event (${EVENT_NAMES.join(', ')})`, fn);
      if (typeof fn !== 'function') invalidArgument(`callbacks.${event}`, 'a function', fn);
    }
  }
}

/**
 * Checks the options object of `finalFit` as strictly as the constructor's (unknown keys, `timeLimit`,
 * `epochs`, `patience`, `retrain`, `validationData`); problems are {@link ArgumentError}s.
 *
 * @example
 * ```ts
 * checkFinalFitOptions({ epoch: 10 }); // ArgumentError: ... a known option of finalFit (...); did you mean ...
 * ```
 */
export function checkFinalFitOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalidArgument('options', 'an object such as { timeLimit: 600 }', options);
  checkKnownKeys(options, FINAL_FIT_KNOWN, 'finalFit');
  const o = options as { retrain?: unknown; timeLimit?: unknown; epochs?: unknown; patience?: unknown; validationData?: unknown };
  checkTimeLimit(o.timeLimit);
  checkValidationData(o.validationData);
  if (o.retrain !== undefined && typeof o.retrain !== 'boolean') invalidArgument('retrain', 'a boolean', o.retrain);
  if (o.epochs !== undefined) positiveInt('epochs', o.epochs as number);
  if (o.patience !== undefined) positiveInt('patience', o.patience as number);
}

/** Whether a metric option holds a function (which cannot cross a process boundary). */
export function hasCustomMetric(o: Pick<AutoModelOptions, 'objective' | 'metrics'>): boolean {
  return [o.objective, ...(o.metrics ?? [])].some((m) => typeof m === 'object' && m !== null);
}

/**
 * `objective`, `metrics` and `classWeight` as far as they can be checked without the task (which the
 * subclass fixes; `fit` checks the names against it): known names or `{ name, direction, fn }`, and
 * no function with an executor whose workers run in other processes.
 */
function checkMetricOptions(o: ResolvedOptions): void {
  const check = (m: unknown, name: string) => {
    if (typeof m === 'string' && metricNames('regression').includes(m as never)) return;
    resolveMetric(m, 'classification', name);
  };
  if (o.objective !== undefined) check(o.objective, 'objective');
  if (!Array.isArray(o.metrics)) invalidArgument('metrics', 'an array of metrics', o.metrics);
  o.metrics.forEach((m, i) => check(m, `metrics[${i}]`));
  const remote = o.executor !== 'auto' && o.executor !== 'in-process';
  if (remote && hasCustomMetric(o)) {
    const name = typeof o.objective === 'object' ? 'objective' : `metrics[${o.metrics.findIndex((m) => typeof m === 'object')}]`;
    invalidArgument(name, "a built-in metric name when `executor` runs trials in other processes (a function cannot cross a process boundary; use executor 'in-process' or 'auto', which then trains in this process)", 'a CustomMetric');
  }
  const w = o.classWeight;
  if (w !== undefined && w !== 'balanced') {
    if (typeof w !== 'object' || w === null || Array.isArray(w)) invalidArgument('classWeight', "'balanced' or an object { label: weight }", w);
    for (const [label, v] of Object.entries(w)) if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) invalidArgument(`classWeight.${label}`, 'a finite, non-negative number', v);
  }
  if (w !== undefined && o.multiLabel === true) invalidArgument('classWeight', 'to be left out with multiLabel: true (weights per class apply to single-label classification)', w);
  // Ensemble selection scores members on the validation loss and accuracy / MSE of softmax or linear heads.
  if (o.ensemble > 1 && o.multiLabel === true) invalidArgument('ensemble', '1 with multiLabel: true (sigmoid heads are not averaged yet)', o.ensemble);
  if (o.ensemble > 1 && o.objective !== undefined && o.objective !== 'accuracy' && o.objective !== 'mse') {
    invalidArgument('ensemble', "1 with an objective other than 'accuracy' / 'mse' (ensemble selection keeps accuracy / MSE at least the best trial's; it does not score other objectives yet)", o.ensemble);
  }
}

/**
 * Checks the options object of `evaluate`: only `returnDict`, a boolean; anything else is an
 * {@link ArgumentError}.
 *
 * @example
 * ```ts
 * checkEvaluateOptions({ return_dict: true }); // ArgumentError: ... a known option of evaluate (returnDict)
 * ```
 */
export function checkEvaluateOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalidArgument('options', 'an object such as { returnDict: true }', options);
  checkKnownKeys(options, new Set(['returnDict']), 'evaluate');
  const r = (options as { returnDict?: unknown }).returnDict;
  if (r !== undefined && typeof r !== 'boolean') invalidArgument('returnDict', 'a boolean', r);
}

/**
 * `ensemble` when not given: `DEFAULTS.search.ensembleSize`, or 1 where ensemble selection does not
 * apply yet (multi-label heads, objectives other than accuracy / MSE), so that a default never refuses.
 */
function defaultEnsemble(options: AutoModelOptions): number {
  const plain = options.objective === undefined || options.objective === 'accuracy' || options.objective === 'mse';
  return options.multiLabel === true || !plain ? 1 : DEFAULTS.search.ensembleSize;
}

/** Checks options and fills defaults (scikit-learn: the constructor checks and stores). */
export function resolveOptions(options: AutoModelOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object', options);
  checkKnownKeys(options, KNOWN, 'the constructor');
  const o: ResolvedOptions = {
    directory: options.directory, overwrite: options.overwrite ?? true, resume: options.resume ?? false,
    seed: options.seed ?? DEFAULTS.search.seed, searcher: options.searcher ?? DEFAULTS.search.searcher, maxTrials: options.maxTrials ?? DEFAULTS.search.maxTrials,
    validationSplit: options.validationSplit ?? DEFAULTS.search.validationSplit, augment: options.augment ?? (options.rank ?? 2) === 2, lrSchedule: options.lrSchedule ?? DEFAULTS.train.lrSchedule,
    backend: options.backend ?? 'auto', verbose: options.verbose ?? false, epochsPerTrial: options.epochsPerTrial ?? DEFAULTS.train.maxEpochs,
    patience: options.patience ?? DEFAULTS.train.patience, batchSize: options.batchSize ?? DEFAULTS.train.maxBatchSize,
    optimizer: options.optimizer ?? { name: DEFAULTS.optimizer.name, learningRate: DEFAULTS.train.learningRate }, memoryBudget: options.memoryBudget ?? DEFAULTS.search.memoryBudget, generators: options.generators, executor: options.executor ?? DEFAULTS.execute.executor,
    trialTimeLimit: options.trialTimeLimit, searchThread: options.searchThread ?? DEFAULTS.search.searchThread, searcherOptions: options.searcherOptions ?? {}, ensemble: options.ensemble ?? defaultEnsemble(options),
    objective: options.objective, metrics: options.metrics ?? [], classWeight: options.classWeight, multiLabel: options.multiLabel ?? false,
    imageSize: options.imageSize, resize: options.resize ?? true, rank: options.rank ?? 2,
  };
  if (![1, 2, 3].includes(o.rank)) invalidArgument('rank', '1 (sequences [N, L, C]), 2 (images [N, H, W, C]) or 3 (volumes [N, D, H, W, C])', o.rank);
  if (o.rank !== 2 && o.augment !== false) invalidArgument('augment', `false for rank ${o.rank} data (augmentation shifts and flips 2D images)`, o.augment);
  if (o.rank !== 2 && o.imageSize !== undefined) invalidArgument('imageSize', `unset for rank ${o.rank} data (only 2D images are resized)`, o.imageSize);
  if (o.imageSize !== undefined) checkImageSize(o.imageSize, 'imageSize');
  if (o.trialTimeLimit !== undefined && !(typeof o.trialTimeLimit === 'number' && o.trialTimeLimit > 0)) invalidArgument('trialTimeLimit', 'a positive number of seconds', o.trialTimeLimit);
  if (o.directory !== undefined) checkPathText('directory', o.directory);
  checkAugmentSettings(o.augment, 'augment');
  if (o.lrSchedule !== 'cosine' && o.lrSchedule !== 'constant') invalidArgument('lrSchedule', "'cosine' or 'constant'", o.lrSchedule);
  for (const k of ['overwrite', 'resume', 'verbose', 'searchThread', 'multiLabel', 'resize'] as const) if (typeof o[k] !== 'boolean') invalidArgument(k, 'a boolean', o[k]);
  if (o.resume && o.directory === undefined) invalidArgument('resume', 'to be used with a `directory` to resume from', o.resume);
  if (!Number.isFinite(o.seed)) invalidArgument('seed', 'a finite number', o.seed);
  positiveInt('maxTrials', o.maxTrials); positiveInt('ensemble', o.ensemble); positiveInt('epochsPerTrial', o.epochsPerTrial); positiveInt('patience', o.patience); positiveInt('batchSize', o.batchSize);
  if (!(o.validationSplit > 0 && o.validationSplit < 1)) invalidArgument('validationSplit', 'a number in (0, 1)', o.validationSplit);
  if (!BACKENDS.includes(o.backend)) invalidArgument('backend', `one of ${BACKENDS.join(', ')}`, o.backend);
  if (!(o.memoryBudget > 0)) invalidArgument('memoryBudget', 'a positive number of bytes', o.memoryBudget);
  const opt = o.optimizer as { name?: unknown; learningRate?: unknown; momentum?: unknown };
  if (opt?.name !== 'adam' && opt?.name !== 'sgd') invalidArgument('optimizer', "{ name: 'adam' | 'sgd', learningRate?, momentum? }", o.optimizer);
  if (opt.learningRate !== undefined && !(typeof opt.learningRate === 'number' && opt.learningRate > 0)) invalidArgument('optimizer.learningRate', 'a positive number', opt.learningRate);
  if (o.generators !== undefined && !(Array.isArray(o.generators) && o.generators.length > 0 && o.generators.every((g) => typeof g?.generate === 'function'))) {
    invalidArgument('generators', 'a non-empty array of GraphGenerator ({ name, generate(inputShape, numOutputs, head) })', o.generators);
  }
  checkExecutorOption(o.executor);
  checkMetricOptions(o);
  const local = o.executor === 'in-process' || o.executor === 'auto' || (typeof o.executor === 'object' && 'type' in o.executor && o.executor.type === 'process-pool');
  if (!local && o.directory === undefined) invalidArgument('executor', "'auto', 'in-process' or a process pool when no `directory` is given (BullMQ and executor instances have workers that read the data and weights from a search directory they share)", typeof o.executor === 'object' && 'run' in o.executor ? 'a TrialExecutor' : o.executor);
  const so = o.searcherOptions;
  if (typeof so !== 'object' || so === null || Array.isArray(so)) invalidArgument('searcherOptions', 'a plain object of JSON values', so);
  const s = o.searcher;
  if (typeof s !== 'string' && typeof s !== 'function' && !(typeof s === 'object' && s !== null && typeof (s as Searcher).propose === 'function')) {
    invalidArgument('searcher', 'a registered searcher name, a factory function or a Searcher instance', s);
  }
  const keys = typeof s === 'string' ? searcherOptionKeys(s) : undefined;
  if (keys) checkOptionKeys(so, keys, s as string, 'searcherOptions');
  return o;
}
