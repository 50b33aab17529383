import * as tf from '@tensorflow/tfjs';
import EventEmitter from 'eventemitter3';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../backend/select';
import { compileGraph } from '../compile/compile';
import type { InputLike } from '../data/input';
import type { ImageList, ResizePolicy } from '../data/resize';
import type { Label } from '../data/labels';
import { Preprocessing } from '../data/preprocessing';
import type { ExportedModelJSON, PreprocessingFitOptions } from '../data/preprocessing';
import { ArgumentError, InputDataError, invalidArgument, invalidValueMessage, NotFittedError, SearchError, UnsupportedError } from '../errors';
import { checkSameLength } from '../data/images';
import { checkExistingFolder, checkFolderTarget, checkPathText } from '../persist/paths';
import type { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';
import { EXPORT_FILES, exportModel as writeExport, loadExportedModel, readJsonDocument, withScalingLayers } from '../persist/export';
import { SearchDirectory } from '../persist/search-directory';
import type { SearchEvents } from '../search/search-loop';
import { bestTrial } from '../search/search-loop';
import type { TrialResult } from '../search/trial';
import { runSearchLoop } from '../execute/search-loop';
import { evaluateModel, predictBatched } from '../train/evaluate';
import { chooseFinalModel } from './ensemble';
import { chooseThresholds, computeMetrics, savedObjective } from '../train/metrics';
import type { MetricDirection } from '../search/types';
import { trainGraph } from '../train/train';
import type { EpochLog, StreamTrainData, TrainData } from '../train/types';
import { Rng } from '../util/rng';
import { disposeTrainData, isDataset, prepareDatasetData, prepareFinalFitData, prepareFitData } from './data';
import type { BatchDataset, TargetLike } from './data';
import type { AutoModelEvents } from './events';
import type { AutoModelOptions, ResolvedOptions } from './options';
import { checkEvaluateOptions, checkFinalFitOptions, checkFitOptions, resolveOptions } from './options';
import { resolveFitConfig } from './config';
import { attachProgress } from './progress';
import { openSession } from './session';
import type { Session } from './session';
import { readFittedModel, writeFittedModel } from '../persist/fitted-model';
import type { SearchSpec, TaskSpec } from './task-spec';
import { searchSpec } from './task-spec';
import { classWeightVector } from './class-weight';

/** Options of `fit`. */
export interface FitOptions<X = InputLike> {
  /** Seconds the search may take (default 24 h); `fit` returns within it plus at most one epoch. */
  timeLimit?: number;
  /** `[x, y]` to validate on instead of a split of the training data. */
  validationData?: [X, TargetLike];
  /** Listeners attached for this fit only (a listener may end the search with {@link AutoModel.stopSearch}). */
  callbacks?: Partial<AutoModelEvents>;
  /**
   * Stops the search when aborted (e.g. `AbortSignal.timeout(ms)`, or a controller a UI button aborts): no
   * trial starts after it, running trials stop before their next batch and are recorded with what they
   * trained, and `fit` resolves with the best model so far (the search directory stays resumable with
   * `resume: true`). A SearchError when no trial had finished.
   */
  signal?: AbortSignal;
}

/** Options of `finalFit`. */
export interface FinalFitOptions<X = InputLike> {
  /** Start from fresh weights instead of the search's trained ones (default false). */
  retrain?: boolean;
  /** Seconds (default 24 h). */
  timeLimit?: number;
  /** Most epochs (default 200). */
  epochs?: number;
  /** Early-stopping patience (default 30). */
  patience?: number;
  /**
   * `[x, y]` to validate on, in the same forms as the training data, instead of holding out a split of
   * `xTrain` (Keras `validation_data`): all of `xTrain` then trains, and early stopping keeps the epoch
   * that scores best on these. E.g. the `validationData` given to `fit`.
   */
  validationData?: [X, TargetLike];
}

/** Timing of a search (see `AutoModel.searchSummary`). */
export interface SearchSummary {
  trials: number;
  seconds: number;
  /** Seconds the searcher spent computing proposals. */
  proposeSeconds: number;
  /** Seconds the search loop waited for them (NaN when the loop does not measure it). */
  proposeWaitSeconds: number;
  /**
   * The trials in the fitted model and their weights in its mean (see the `ensemble` option): one id and
   * weight 1 when the best trial alone was kept; with its validation loss and metric.
   */
  ensemble: { trialIds: number[]; weights: number[]; valLoss: number; valMetric: number };
}

/** What the last `finalFit` measured. */
export interface FinalFitReport {
  /** Validation metric of the kept epoch (on the held-out part of the training data, or on `validationData`). */
  validationMetric: number;
  /** Test metric of the kept epoch, when test data were given (reported only, never used for stopping). */
  testMetric: number | null;
  epochs: number;
  /** The kept epoch; 0 when no epoch beat the search's weights on validation (they are kept: finalFit never ends worse on validation than it began). */
  bestEpoch: number;
  history: EpochLog[];
}

interface Fitted {
  prep: Preprocessing;
  /** The best architecture with its weights (null for a model loaded from an export folder). */
  graph: Graph | null;
  model: tf.LayersModel;
  /**
   * What `model` does itself (a version-2 `export()` folder: the scaling layers) and so takes: null for a
   * model that takes normalised inputs (a search's model, or a version-1 export).
   */
  exported: ExportedModelJSON | null;
  bestTrialId: number | null;
  history: TrialResult[];
  /** Of a model loaded from a search directory: the direction of the objective it searched for. */
  direction?: MetricDirection;
}

/**
 * The estimator behind {@link ImageClassifier} and {@link ImageRegressor} (scikit-learn contract: the
 * constructor checks and stores options, `fit` returns `this` and starts from scratch, methods that
 * need a fitted model throw {@link NotFittedError} before `fit`).
 */
export abstract class AutoModel<X = InputLike> extends EventEmitter<AutoModelEvents> {
  /** The options, defaults filled in. */
  readonly options: ResolvedOptions;
  /** Classification or regression. */
  protected abstract readonly spec: TaskSpec;
  private fitted: Fitted | null = null;
  private finalReport: FinalFitReport | null = null;
  private lastSearch: SearchSummary | null = null;
  /** Aborted by {@link AutoModel.stopSearch} or `fit`'s `signal`; set while `fit` runs. */
  private stopping: AbortController | null = null;

  constructor(options: AutoModelOptions = {}) {
    super();
    this.options = resolveOptions(options);
  }

  /** Every trial of the last search (empty before fit), or of the search a model was loaded from. */
  get history(): TrialResult[] {
    return this.fitted?.history.slice() ?? [];
  }

  /** The best trial of the last search, or null. */
  get bestTrial(): TrialResult | null {
    return this.fitted ? bestTrial(this.fitted.history, this.fitted.direction ?? this.searchSpec().direction) : null;
  }

  /** The best architecture found, with its weights (a copy). */
  get bestGraph(): Graph {
    const g = this.requireFitted('bestGraph').graph;
    if (!g) throw new UnsupportedError('This model was loaded from an exported folder, which holds no Graph');
    return g.clone();
  }

  /**
   * Timing of the last search: seconds searched, seconds the searcher spent proposing, and seconds the
   * loop waited for proposals (the difference was hidden behind training by the searcher thread).
   */
  get searchSummary(): SearchSummary | null {
    return this.lastSearch;
  }

  /** What the last `finalFit` measured, or null. */
  get finalFitReport(): FinalFitReport | null {
    return this.finalReport;
  }

  /**
   * Searches for the best architecture within `timeLimit` seconds (Auto-Keras `fit`).
   * `x`: images `[N, H, W]` or `[N, H, W, C]` (also `[N, L, C]`, `[N, D, H, W, C]`); `y`: `[N]` labels or
   * one-hot `[N, K]` (classifier), `[N]` or `[N, K]` numbers (regressor). Or `x` is a `tf.data.Dataset`
   * of `{xs, ys}` batches and `y` is omitted (data that does not fit in memory).
   *
   * Trials run where the `executor` option says: by default in a pool of worker processes, one per
   * core, when the machine has more than one and the data are in memory. Without a `directory` such a
   * search works in a temporary folder, removed when `fit` returns or throws; the model stays in memory.
   */
  async fit(x: X | BatchDataset, y?: TargetLike, fitOptions: FitOptions<X> = {}): Promise<this> {
    checkFitOptions(fitOptions);
    const spec = this.searchSpec();
    const timeLimit = fitOptions.timeLimit ?? DEFAULTS.search.timeLimit;
    const deadline = Date.now() + timeLimit * 1000;
    const dir = this.options.directory ? new SearchDirectory(this.options.directory) : null;
    // The directory is checked before the data are prepared: a bad path fails at once, not minutes later.
    if (dir) {
      await checkFolderTarget('directory', dir.root);
      if (!this.options.resume && !this.options.overwrite && dir.exists()) throw new SearchError(`${dir.root} already holds a search (meta.json / history.json). Pass overwrite: true to replace it, or resume: true to continue it.`);
    }
    this.dispose();
    await this.useBackend();
    const config = resolveFitConfig(this.options, spec, timeLimit, { inMemory: !isDataset(x) });
    const rng = new Rng(config.seed);
    const saved = this.options.resume ? await readResumePrep(dir!) : undefined;
    const { prep, data } = await this.prepare(x as InputLike | BatchDataset, y, fitOptions as FitOptions, rng, saved, config.executor);
    try {
      const weights = classWeightVector(this.options.classWeight, prep, data);
      if (weights) config.train.classWeight = weights;
    } catch (e) {
      disposeTrainData(data);
      throw e;
    }
    const detach = this.listen(fitOptions.callbacks);
    const stop = new AbortController();
    const userSignal = fitOptions.signal;
    const onAbort = () => stop.abort(userSignal?.reason);
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener('abort', onAbort, { once: true });
    this.stopping = stop;
    let session: Session | undefined;
    let temporary: string | undefined;
    try {
      // Workers read the data and the parents' weights from a search directory: a temporary one when the user gave none.
      if (!dir && config.needsDirectory) temporary = mkdtempSync(path.join(os.tmpdir(), 'autokeras-ts-'));
      const searchDir = dir ?? (temporary ? new SearchDirectory(temporary) : null);
      if (searchDir) await searchDir.cleanTempFiles();
      const resumed = dir !== null && this.options.resume && dir.exists();
      session = await openSession({ config, spec, prep, dir: searchDir, resume: this.options.resume, rng, data });
      this.emit('searchStart', {
        directory: dir?.root ?? null, resumed, trials: session.loop.history?.length ?? 0,
        ...(this.options.resume && !resumed ? { notice: `resume: true, but ${dir!.root} holds no search (no meta.json / history.json): a new search was started there` } : {}),
      });
      await this.prepared(prep, dir);
      // AutoModelEvents extends SearchEvents: the loop emits its events on this emitter.
      const events = this as unknown as EventEmitter<SearchEvents>;
      this.once('searchEnd', (e) => {
        this.lastSearch = { trials: e.trials, seconds: e.seconds, proposeSeconds: e.proposeSeconds ?? NaN, proposeWaitSeconds: e.proposeWaitSeconds ?? NaN, ensemble: { trialIds: [e.best?.id ?? -1], weights: [1], valLoss: e.best?.valLoss ?? NaN, valMetric: e.best?.metric ?? NaN } };
      });
      const history = await runSearchLoop({ ...session.loop, deadline, maxTrials: this.options.maxTrials, events, signal: stop.signal });
      const best = bestTrial(history, spec.direction)!;
      const choice = await chooseFinalModel(history, session.loop.store, data.xVal, data.yVal, this.spec.task, spec.direction, this.options.ensemble);
      const { graph, trialIds, weights, valLoss, valMetric } = choice;
      if (this.lastSearch) this.lastSearch.ensemble = { trialIds, weights, valLoss, valMetric };
      const model = compileGraph(graph);
      const fittedPrep = this.options.multiLabel ? withThresholds(prep, model, data) : prep;
      this.fitted = { prep: fittedPrep, graph, model, exported: null, bestTrialId: best.id, history };
      if (dir) await writeFittedModel(dir.root, graph, best.id, false, fittedPrep.thresholds);
    } finally {
      this.stopping = null;
      userSignal?.removeEventListener('abort', onAbort);
      await session?.close();
      disposeTrainData(data);
      detach();
      if (temporary) await fs.rm(temporary, { recursive: true, force: true });
    }
    return this;
  }

  /**
   * Ends the running search, as `fit`'s `signal` does (Keras `model.stop_training = True`): call it from
   * a listener, e.g. `clf.on('trialEnd', (t) => { if (t.metric > 0.95) clf.stopSearch(); })`. No trial
   * starts after it, running ones stop before their next batch, and `fit` resolves with the best model so
   * far. Returns false (and does nothing) when no `fit` is running.
   *
   * @example
   * ```ts
   * await clf.fit(x, y, { callbacks: { newBest: (t) => { if (t.metric >= 0.9) clf.stopSearch(); } } });
   * ```
   */
  stopSearch(): boolean {
    if (!this.stopping) return false;
    this.stopping.abort();
    return true;
  }

  /**
   * Trains the best architecture further on the training data (Auto-Keras `final_fit`): a validation
   * split of `xTrain`, or `options.validationData`, drives early stopping (patience 30); test data are
   * only reported.
   */
  async finalFit(xTrain: X, yTrain: TargetLike, xTest?: X, yTest?: TargetLike, options: FinalFitOptions<X> = {}): Promise<this> {
    const f = this.requireFitted('finalFit');
    if (!f.graph) throw new UnsupportedError('finalFit needs the search directory or a fitted model; this one was loaded from an exported folder');
    if ((xTest === undefined) !== (yTest === undefined)) invalidArgument(xTest === undefined ? 'xTest' : 'yTest', 'to be given together with the other test argument', undefined);
    checkFinalFitOptions(options);
    const timeLimit = options.timeLimit ?? DEFAULTS.search.timeLimit;
    const rng = new Rng(this.options.seed).fork();
    const spec = this.searchSpec();
    const data = prepareFinalFitData(f.prep, xTrain as InputLike, yTrain, this.spec, rng.fork(), this.options.validationSplit, options.validationData as [InputLike, TargetLike] | undefined);
    try {
      const classWeight = classWeightVector(this.options.classWeight, f.prep, data);
      // A loaded model is multi-label when its preprocessing says so, whatever the options.
      const multiLabel = f.prep.labels?.multiLabel === true;
      if (xTest !== undefined) {
        data.xTest = f.prep.transformX(xTest as InputLike, 'xTest');
        data.yTest = f.prep.transformY(yTest!, 'yTest');
        checkSameLength(data.xTest.shape[0]!, data.yTest.shape[0]!, 'xTest', 'yTest');
      }
      const result = await trainGraph(options.retrain ? f.graph.clone(false) : f.graph, data, {
        task: this.spec.task, epochs: options.epochs ?? DEFAULTS.train.finalMaxEpochs, patience: options.patience ?? DEFAULTS.train.finalPatience,
        deadline: Date.now() + timeLimit * 1000, rng, keepStart: !options.retrain, augment: this.options.augment, lrSchedule: this.options.lrSchedule, optimizer: this.options.optimizer, batchSize: this.options.batchSize,
        onEpochEnd: (log) => this.emit('epochEnd', { ...log, trialId: -1 }),
        ...(spec.chosen ? { metrics: spec.metrics, monitor: spec.monitorObjective ? 'objective' as const : 'loss' as const } : {}),
        ...(multiLabel ? { multiLabel: true } : {}), ...(classWeight ? { classWeight } : {}),
      });
      if (result.status !== 'ok') throw new SearchError(`finalFit failed (${result.error ?? result.stoppedBy}); the search's model is kept`);
      const kept = result.history[result.bestEpoch - 1];
      this.finalReport = { validationMetric: result.metric, testMetric: kept?.testMetric ?? null, epochs: result.epochs, bestEpoch: result.bestEpoch, history: result.history };
      f.model.dispose();
      f.graph = result.graph;
      f.model = compileGraph(result.graph);
      if (multiLabel) f.prep = withThresholds(f.prep, f.model, data);
      if (this.options.directory && f.bestTrialId !== null) await writeFittedModel(this.options.directory, result.graph, f.bestTrialId, true, f.prep.thresholds);
    } finally {
      disposeTrainData(data);
    }
    return this;
  }

  /**
   * Predictions in the user's terms, in the form `y` was given to `fit` (kept with the model, so a
   * loaded or exported model answers alike): labels `[N]` in their original values, one-hot rows
   * `[N, K]` for one-hot `y`, multi-hot rows for `multiLabel` (classifier); `[N, K]` numbers (regressor).
   */
  async predict(x: X): Promise<Label[] | number[][]> {
    const out = this.forward(x);
    try {
      return this.requireFitted('predict').prep.decode(out);
    } finally {
      out.dispose();
    }
  }

  /**
   * The objective on `x`, `y` (the `objective` option; default accuracy for a classifier, mean squared
   * error for a regressor; a regressor whose targets were standardised, as the structured and text ones
   * are, scores in the targets' units). With `{ returnDict: true }` (Keras `return_dict`), every metric of the
   * `objective` and `metrics` options by name, the objective first, e.g. `{ accuracy: 0.91, f1: 0.88 }`.
   *
   * @example
   * ```ts
   * const clf = new ImageClassifier({ objective: 'f1', metrics: ['accuracy', 'auc'] });
   * // after fit:
   * const f1 = await clf.evaluate(xTest, yTest);                                // 0.87
   * const all = await clf.evaluate(xTest, yTest, { returnDict: true });         // { f1: 0.87, accuracy: 0.9, auc: 0.98 }
   * ```
   */
  async evaluate(x: X, y: TargetLike): Promise<number>;
  async evaluate(x: X, y: TargetLike, options: { returnDict: true }): Promise<Record<string, number>>;
  async evaluate(x: X, y: TargetLike, options?: { returnDict?: boolean }): Promise<number | Record<string, number>>;
  async evaluate(x: X, y: TargetLike, options: { returnDict?: boolean } = {}): Promise<number | Record<string, number>> {
    checkEvaluateOptions(options);
    const spec = this.searchSpec();
    const f = this.requireFitted('evaluate');
    const xt = this.modelInput(f, x as InputLike);
    try {
      const yt = f.prep.transformY(y, 'y');
      try {
        checkSameLength(xt.shape[0]!, yt.shape[0]!);
        if (f.prep.targetScale) {
          // Standardised targets (structured data, text): the metrics in the targets' units, not the standardised ones the search compared.
          const out = predictBatched(f.model, xt);
          let predicted: number[][];
          try {
            predicted = f.prep.decode(out) as number[][];
          } finally {
            out.dispose();
          }
          const values = computeMetrics(spec.metrics, f.prep.decode(yt) as number[][], predicted, { task: 'regression' });
          return options.returnDict ? values : values[spec.metricName]!;
        }
        // Without chosen metrics and a dict the default metric is computed as the trainer does (in tensors).
        const multiLabel = f.prep.labels?.multiLabel === true;
        const full = spec.chosen || options.returnDict === true || multiLabel;
        const extras = full ? { metrics: spec.metrics, multiLabel, ...(f.prep.thresholds ? { thresholds: f.prep.thresholds } : {}) } : {};
        const result = evaluateModel(f.model, xt, yt, this.spec.task, undefined, extras);
        return options.returnDict ? { ...result.metrics! } : result.metric;
      } finally {
        yt.dispose();
      }
    } finally {
      xt.dispose();
    }
  }

  /**
   * Writes the model of {@link AutoModel.exportModel} into `dir` (created if needed) as a plain tfjs
   * Layers model, `model.json` + `weights.bin`, and `preprocessing.json` (version 2: the class order, the
   * task, the scaling the model now does itself under `exported`, and the statistics, for reference).
   * `tf.loadLayersModel` then predicts on the raw values given to `fit` (uint8 pixels `[N, ...]` of the
   * same shape) what `predictProba` (classifier) or `predict` (regressor) returns; no custom layer is
   * needed. Structured data: the model takes the encoded rows (see {@link AutoModel.exportModel}).
   * An ArgumentError, before anything is written, when `dir` is an existing file, lies under a file,
   * or is not a valid path.
   *
   * @example
   * ```ts
   * await clf.export('./best-model');
   * // elsewhere, with tfjs-node (plain tfjs: read the two files and use tf.io.fromMemory):
   * const model = await tf.loadLayersModel('file://best-model/model.json');
   * model.predict(tf.tensor(pixels, [1, 28, 28])); // class probabilities [1, K], = clf.predictProba
   * ```
   */
  async export(dir: string): Promise<void> {
    checkPathText('dir', dir);
    const f = this.requireFitted('export');
    const model = await this.exportModel();
    try {
      const stages = f.prep.exportStages();
      // A loaded version-2 export already does its scaling: exportModel copied it, as its document says.
      const exported: ExportedModelJSON = f.exported ?? { inputShape: stages.inputShape, inputScaling: stages.input !== null, targetScaling: stages.output !== null };
      await writeExport(model, dir, { ...f.prep.toJSON(), version: 2, exported });
    } finally {
      model.dispose();
    }
  }

  /**
   * The fitted model as one `tf.LayersModel` (AutoKeras `export_model`) that does the preprocessing in
   * its first layers: a Reshape when `fit` was given no channel axis, then a frozen Dense with a
   * diagonal kernel doing `(x * scale - mean) / std` per channel. Input: raw values `[N, ...]` in the
   * shape given to `fit` (uint8-range pixels as they are); output: class probabilities `[N, K]`
   * (classifier) or targets `[N, K]` (regressor). A new model each call, with its own weights: the
   * caller disposes it. Structured data: string categories and missing values cannot be encoded by
   * tfjs layers, so the model takes rows already encoded by the RowEncoder (`[N, F]`, as
   * `preprocessing.json`'s `rows` describes); a standardised regression target is undone by a last layer.
   *
   * @example
   * ```ts
   * const model = await clf.exportModel();
   * const proba = model.predict(tf.tensor(pixels, [1, 28, 28])) as tf.Tensor; // = clf.predictProba
   * model.dispose();
   * ```
   */
  async exportModel(): Promise<tf.LayersModel> {
    const f = this.requireFitted('exportModel');
    if (f.exported) return withScalingLayers(f.model, {}); // already has its scaling layers: a copy
    const stages = f.prep.exportStages();
    return withScalingLayers(f.model, stages);
  }

  /** Frees the fitted model's tensors (the estimator is unfitted afterwards). */
  dispose(): void {
    this.fitted?.model.dispose();
    this.fitted = null;
    this.finalReport = null;
    this.lastSearch = null;
  }

  /** @internal The model's outputs for `x` as rows `[N, K]` (the classifiers' `predictProba`). */
  protected outputRows(x: X | ImageList): number[][] {
    const out = this.forward(x);
    try {
      return out.arraySync() as number[][];
    } finally {
      out.dispose();
    }
  }

  /** @internal The classes in the order of the model's outputs (the classifiers' `classes`). */
  protected classList(): Label[] {
    return this.requireFitted('classes').prep.labels!.classes.slice();
  }

  /** Model output `[N, K]` for `x` (caller disposes). */
  protected forward(x: X | ImageList): tf.Tensor {
    const f = this.requireFitted('predict');
    const xt = this.modelInput(f, x as InputLike);
    try {
      return predictBatched(f.model, xt);
    } finally {
      xt.dispose();
    }
  }

  /** `x` as the fitted model takes it: normalised, or raw (reshaped to its input) for a model with scaling layers. */
  private modelInput(f: Fitted, x: InputLike | ImageList, name = 'x'): tf.Tensor {
    if (!f.exported?.inputScaling) return f.prep.transformX(x, name);
    const raw = f.prep.checkX(x, name);
    try {
      return raw.reshape([raw.shape[0]!, ...f.exported.inputShape]);
    } finally {
      raw.dispose();
    }
  }

  /** @internal The task with the `objective` and `metrics` options resolved (ArgumentError for a metric of the other task). */
  protected searchSpec(): SearchSpec {
    return searchSpec(this.spec, this.options);
  }

  /** @internal The fitted state, or NotFittedError naming `method`. */
  protected requireFitted(method: string): Fitted {
    if (!this.fitted) throw new NotFittedError(`This ${this.constructor.name} is not fitted yet: call fit() (or load()) before ${method}()`);
    return this.fitted;
  }

  /**
   * Restores a fitted model from a search directory (its `model/` folder) or an `export()` folder.
   * A folder that does not exist, or holds neither, is an ArgumentError saying so; a missing or bad
   * `preprocessing.json` is an InputDataError naming the file. Nothing is left allocated on failure.
   */
  protected async restore(directory: string): Promise<this> {
    await checkExistingFolder('directory', directory, 'a search directory or an export() folder');
    await this.useBackend();
    if (existsSync(path.join(directory, EXPORT_FILES.model))) {
      // preprocessing.json first: a bad one fails before any tensor is allocated.
      const prepFile = path.join(directory, EXPORT_FILES.preprocessing);
      if (!existsSync(prepFile)) throw new InputDataError(`${prepFile} is missing: an export() folder holds model.json, weights.bin and preprocessing.json (without it the inputs cannot be scaled as in fit)`);
      const doc = await readJsonDocument(prepFile);
      const exported = readExported(doc, prepFile);
      // A model that undoes the target scaling itself: decode must not apply it again.
      const prep = readPreprocessing(exported?.targetScaling ? { ...(doc as object), targetScale: null } : doc, prepFile);
      this.checkTask(prep, directory);
      prep.setResize(this.resizePolicy());
      const { model } = await loadExportedModel(directory, { preprocessing: false });
      this.fitted = { prep, graph: null, model, exported, bestTrialId: null, history: [] };
      return this;
    }
    const dir = new SearchDirectory(directory);
    if (!dir.exists()) throw new ArgumentError(`${invalidValueMessage('directory', 'a search directory or an export() folder', directory)} (the folder exists but holds neither ${EXPORT_FILES.model} nor meta.json)`);
    const meta = await dir.readMeta();
    if (!meta.preprocessing) throw new SearchError(`${dir.metaFile} holds no preprocessing: the search never trained a model`);
    const saved = readPreprocessing(meta.preprocessing, dir.metaFile);
    this.checkTask(saved, directory);
    const { graph, trialId, thresholds } = await readFittedModel(directory);
    const prep = thresholds && saved.labels?.multiLabel && thresholds.length === saved.labels.numClasses ? saved.withThresholds(thresholds) : saved;
    prep.setResize(this.resizePolicy());
    const history = await dir.readTrials(false);
    // The history's metrics are the saved objective's: the best trial is the best in its direction.
    this.fitted = { prep, graph, model: compileGraph(graph), exported: null, bestTrialId: trialId, history, direction: savedObjective(meta.options, prep.task).direction };
    return this;
  }

  /**
   * @internal Called in `fit` once the preprocessing is fitted and the search directory (if any)
   * created, before the first trial: subclasses report what the preprocessing decided.
   */
  protected async prepared(_prep: Preprocessing, _dir: SearchDirectory | null): Promise<void> {}

  /** @internal Extra options of `Preprocessing.fit` for this task (structured data: the row encoder's). */
  protected preprocessingOptions(): Omit<PreprocessingFitOptions, 'task'> {
    return {};
  }

  /** @internal Throws when a loaded preprocessing does not belong to this class. */
  protected checkTask(prep: Preprocessing, directory: string): void {
    const kind = modelKind(prep);
    const label = kind.prefix === 'Image' ? '' : `${kind.label} `;
    if (prep.task !== this.spec.task || prep.rows || prep.text) throw new ArgumentError(`${directory} holds a ${label}${prep.task} model; load it with the ${kind.prefix}${prep.task === 'classification' ? 'Classifier' : 'Regressor'} class`);
  }

  private async useBackend(): Promise<void> {
    await selectBackend(this.options.backend === 'auto' ? undefined : this.options.backend, { verbose: this.options.verbose });
  }

  /** How images of another size are treated after fit (the `resize` option; reported as `resized` events). */
  private resizePolicy(): ResizePolicy {
    return { resize: this.options.resize, report: (e) => this.emit('resized', e) };
  }

  private async prepare(x: InputLike | ImageList | BatchDataset, y: TargetLike | undefined, o: FitOptions, rng: Rng, saved: Preprocessing | undefined, executor: unknown): Promise<{ prep: Preprocessing; data: TrainData | StreamTrainData }> {
    if (isDataset(x)) {
      if (y !== undefined) invalidArgument('y', 'undefined when `x` is a tf.data.Dataset (its elements carry {xs, ys})', y);
      if (executor !== 'in-process') throw new UnsupportedError('A tf.data.Dataset trains in-process only: workers read in-memory data from the search directory');
      return prepareDatasetData(x, this.spec, this.options.validationSplit, o.validationData, this.options.multiLabel, this.options.rank);
    }
    if (y === undefined) invalidArgument('y', 'targets for `x` (labels or numbers, one per sample)', y);
    saved?.setResize(this.resizePolicy());
    const images = { ...this.resizePolicy(), ...(this.options.imageSize ? { size: this.options.imageSize } : {}) };
    return prepareFitData(x as InputLike, y, this.spec, rng.fork(), this.options.validationSplit, o.validationData, saved, { images, rank: this.options.rank, ...this.preprocessingOptions(), ...(this.options.multiLabel ? { multiLabel: true } : {}) });
  }

  private listen(callbacks: Partial<AutoModelEvents> = {}): () => void {
    const entries = Object.entries(callbacks) as Array<[keyof AutoModelEvents, (...a: unknown[]) => void]>;
    for (const [event, fn] of entries) this.on(event, fn as never);
    const detachProgress = this.options.verbose ? attachProgress(this, this.searchSpec().metricName) : () => undefined;
    return () => {
      for (const [event, fn] of entries) this.off(event, fn as never);
      detachProgress();
    };
  }
}

/**
 * Multi-label: `prep` with each label's threshold chosen on the validation data of `data` (the one of
 * best F1 for `model`'s outputs); unchanged without validation data.
 */
function withThresholds(prep: Preprocessing, model: tf.LayersModel, data: TrainData | StreamTrainData): Preprocessing {
  if (!data.xVal || !data.yVal) return prep;
  const out = predictBatched(model, data.xVal);
  try {
    return prep.withThresholds(chooseThresholds(data.yVal.arraySync() as number[][], out.arraySync() as number[][]));
  } finally {
    out.dispose();
  }
}

/**
 * @internal What a preprocessing was fitted on, for load errors: the class prefix and a label.
 *
 * @example
 * ```ts
 * modelKind(prep); // { prefix: 'Text', label: 'text' }
 * ```
 */
export function modelKind(prep: Preprocessing): { prefix: 'StructuredData' | 'Text' | 'Image'; label: string } {
  if (prep.rows) return { prefix: 'StructuredData', label: 'structured-data' };
  if (prep.text) return { prefix: 'Text', label: 'text' };
  return { prefix: 'Image', label: 'tensor-input' };
}

async function readResumePrep(dir: SearchDirectory): Promise<Preprocessing | undefined> {
  if (!dir.exists()) return undefined;
  const meta = await dir.readMeta();
  return meta.preprocessing ? readPreprocessing(meta.preprocessing, dir.metaFile) : undefined;
}

/** The `exported` field of a version-2 preprocessing.json (null for version 1), checked. */
function readExported(doc: unknown, file: string): ExportedModelJSON | null {
  const d = doc as { version?: unknown; exported?: Partial<ExportedModelJSON> } | null;
  if (d?.version !== 2) return null;
  const e = d.exported;
  if (!e || !Array.isArray(e.inputShape) || !e.inputShape.every((v) => Number.isInteger(v) && v > 0) || typeof e.inputScaling !== 'boolean' || typeof e.targetScaling !== 'boolean') {
    throw new InputDataError(`${file} holds no valid preprocessing: version 2 needs exported: { inputShape: number[], inputScaling: boolean, targetScaling: boolean }`);
  }
  return { inputShape: e.inputShape.slice(), inputScaling: e.inputScaling, targetScaling: e.targetScaling };
}

/** Preprocessing.fromJSON with the file named in the error. */
function readPreprocessing(doc: unknown, file: string): Preprocessing {
  try {
    return Preprocessing.fromJSON(doc);
  } catch (e) {
    throw new InputDataError(`${file} holds no valid preprocessing: ${(e as Error).message}`);
  }
}
