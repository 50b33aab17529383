import type { Label } from '../data/labels';
import type { Preprocessing } from '../data/preprocessing';
import type { Cell } from '../data/rows';
import { cellNumber, readTableCsv } from '../data/rows';
import { ArgumentError, InputDataError, UnsupportedError, describeValue, invalidArgument } from '../errors';
import { checkVectorizerOptions } from '../data/text';
import type { TextVectorizerOptions } from '../data/text';
import { DEFAULTS } from '../options';
import { AutoModel, modelKind } from './auto-model';
import type { FinalFitOptions, FitOptions } from './auto-model';
import type { BatchDataset, TargetLike } from './data';
import { isDataset } from './data';
import type { AutoModelOptions } from './options';
import { checkEvaluateOptions } from './options';
import { splitTarget } from './structured-data';
import type { TaskSpec } from './task-spec';
import { CLASSIFICATION, REGRESSION } from './task-spec';

/** Texts as the text tasks take them: an array of strings `[N]`, or the path of a CSV file with a header row (see `textColumn`). */
export type TextInput = readonly string[] | string;

/** Targets of the text tasks: labels or numbers `[N]` (`[N, K]`), or, when `x` is a CSV path, the name of its target column. */
export type TextTarget = TargetLike | string;

/**
 * Options of {@link TextClassifier} and {@link TextRegressor}: the AutoModel options, `textColumn`, and
 * the vocabulary and length of the texts' encoding (Keras `TextVectorization`'s `max_tokens` and
 * `output_sequence_length`), each defaulting to `DEFAULTS.text`. For these tasks `validationSplit`
 * defaults to `DEFAULTS.text.validationSplit` (0.2) and `optimizer` to Adam at
 * `DEFAULTS.text.learningRate` (1e-2).
 *
 * @example
 * ```ts
 * const clf = new TextClassifier({ seed: 1, maxVocabulary: 5000, minTokenCount: 1, sequenceLength: 40 });
 * ```
 */
export interface TextOptions extends AutoModelOptions {
  /**
   * The column of a CSV `x` that holds the texts (default: the only column besides the target; where no
   * target column is named, as in `predict`, the only column with a non-numeric cell).
   */
  textColumn?: string;
  /** Most token ids, padding and out-of-vocabulary included (default `DEFAULTS.text.maxVocabulary`); the most frequent tokens are kept. */
  maxVocabulary?: number;
  /** Least training count of a token in the vocabulary (default `DEFAULTS.text.minTokenCount`); rarer tokens map to the out-of-vocabulary id. */
  minTokenCount?: number;
  /** Tokens per text (default: the 95th percentile of the training texts' lengths, at most `DEFAULTS.text.maxSequenceLength`). */
  sequenceLength?: number;
  /** 2: the vocabulary holds word pairs too, each text's ids are its words then its word pairs (default `DEFAULTS.text.ngrams`, 1: words). */
  ngrams?: number;
}

/** Options of the text tasks' `fit`: as {@link FitOptions}, `validationData` in text forms. */
export interface TextFitOptions extends Omit<FitOptions, 'validationData'> {
  /** `[x, y]` to validate on: texts or a CSV path, targets or the target column's name. */
  validationData?: [TextInput, TextTarget];
}

/** Options of the text tasks' `finalFit`: as {@link FinalFitOptions}, `validationData` in text forms. */
export interface TextFinalFitOptions extends Omit<FinalFitOptions, 'validationData'> {
  validationData?: [TextInput, TextTarget];
}

/**
 * The text life cycle shared by {@link TextClassifier} and {@link TextRegressor}: reads CSV paths
 * (text and target columns), then runs the AutoModel search on token ids `[N, L]` made by a
 * `TextVectorizer` (in `autokeras-ts/internals`) fitted on the training texts: Unicode word tokens,
 * a frequency-capped vocabulary with an out-of-vocabulary id, the 95th-percentile length. The
 * vectorizer is part of the model: `export` writes the vocabulary into `preprocessing.json`, `load`
 * and the CLI encode predict-time texts the same way. Initial architectures: a fastText-like bag of
 * words and the Auto-Keras text CNN.
 *
 * @example
 * ```ts
 * const model: TextModel = task === 'regression' ? new TextRegressor() : new TextClassifier();
 * await model.fit(['great phone', 'broke in a day'], ['pos', 'neg'], { timeLimit: 60 });
 * ```
 */
export abstract class TextModel extends AutoModel<TextInput> {
  private readonly textColumn: string | undefined;
  private readonly vectorizer: TextVectorizerOptions;

  constructor(options: TextOptions = {}) {
    if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object', options);
    const { textColumn, maxVocabulary, minTokenCount, sequenceLength, ngrams, ...rest } = options;
    super({ validationSplit: DEFAULTS.text.validationSplit, optimizer: { name: DEFAULTS.optimizer.name, learningRate: DEFAULTS.text.learningRate }, ...rest });
    if (textColumn !== undefined && (typeof textColumn !== 'string' || textColumn === '')) invalidArgument('textColumn', 'the name of a CSV column', textColumn);
    this.textColumn = textColumn;
    this.vectorizer = Object.fromEntries(Object.entries({ maxVocabulary, minTokenCount, sequenceLength, ngrams }).filter(([, v]) => v !== undefined));
    checkVectorizerOptions(this.vectorizer);
  }

  /**
   * Searches for the best network for the texts (see AutoModel `fit`). `x`: strings `[N]` or a CSV
   * path; `y`: labels / numbers `[N]`, or the name of the target column of the CSV. Nothing is
   * written before the texts and targets are checked.
   */
  override async fit(x: TextInput | BatchDataset, y?: TextTarget, options: TextFitOptions = {}): Promise<this> {
    if (isDataset(x)) throw new UnsupportedError('The text tasks take strings (an array or a CSV path), not a tf.data.Dataset');
    const t = await this.readPair(x, y, ['x', 'y']);
    if (t.y === undefined) invalidArgument('y', 'targets (labels or numbers, one per text) or the name of the target column', y);
    const v = options.validationData;
    const validation = v ? await this.readPair(v[0], v[1], ['validationData[0]', 'validationData[1]']) : undefined;
    if (validation && validation.y === undefined) invalidArgument('validationData[1]', 'targets or the name of the target column', undefined);
    const { validationData: _, ...rest } = options;
    return super.fit(t.x as never, t.y, { ...rest, ...(validation ? { validationData: [validation.x as never, validation.y!] } : {}) });
  }

  /** Trains the best network further (see AutoModel `finalFit`); data in the forms `fit` takes. */
  override async finalFit(xTrain: TextInput, yTrain: TextTarget, xTest?: TextInput, yTest?: TextTarget, options: TextFinalFitOptions = {}): Promise<this> {
    this.requireFitted('finalFit');
    const train = await this.readPair(xTrain, yTrain, ['xTrain', 'yTrain']);
    const test = xTest !== undefined ? await this.readPair(xTest, yTest, ['xTest', 'yTest']) : undefined;
    const v = options.validationData;
    const validation = v ? await this.readPair(v[0], v[1], ['validationData[0]', 'validationData[1]']) : undefined;
    const { validationData: _, ...rest } = options;
    const o: FinalFitOptions<TextInput> = { ...rest, ...(validation ? { validationData: [validation.x as never, validation.y!] } : {}) };
    return super.finalFit(train.x as never, train.y!, test?.x as never, test?.y, o);
  }

  /** Predictions for texts (an array or a CSV path; a target column, if present, is ignored). */
  override async predict(x: TextInput): Promise<Label[] | number[][]> {
    return super.predict((await this.readTexts(x, 'x')) as never);
  }

  /**
   * The objective (default accuracy for the classifier, mean squared error in the targets' units for
   * the regressor); with `{ returnDict: true }` every metric of `objective` and `metrics` by name (see
   * AutoModel `evaluate`). `y` may name the target column of a CSV `x`.
   */
  override async evaluate(x: TextInput, y: TextTarget): Promise<number>;
  override async evaluate(x: TextInput, y: TextTarget, options: { returnDict: true }): Promise<Record<string, number>>;
  override async evaluate(x: TextInput, y: TextTarget, options?: { returnDict?: boolean }): Promise<number | Record<string, number>>;
  override async evaluate(x: TextInput, y: TextTarget, options: { returnDict?: boolean } = {}): Promise<number | Record<string, number>> {
    checkEvaluateOptions(options);
    const t = await this.readPair(x, y, ['x', 'y']);
    return super.evaluate(t.x as never, t.y!, options);
  }

  /** The vocabulary the model was fitted with (id `i + 2` is `vocabulary[i]`; 0 pads, 1 is out-of-vocabulary). */
  get vocabulary(): string[] {
    return this.requireFitted('vocabulary').prep.text!.vocabulary.slice();
  }

  /** Tokens per text the model reads (longer texts are truncated, shorter ones padded). */
  get sequenceLength(): number {
    return this.requireFitted('sequenceLength').prep.text!.sequenceLength;
  }

  /** @internal The vectorizer's (default) options, and standardised targets for regression. */
  protected override preprocessingOptions(): { text: TextVectorizerOptions; scaleTargets: boolean } {
    return { text: { ...this.vectorizer }, scaleTargets: this.spec.task === 'regression' };
  }

  /** @internal Text models load only text preprocessing of the same task. */
  protected override checkTask(prep: Preprocessing, directory: string): void {
    if (prep.task !== this.spec.task || !prep.text) {
      throw new ArgumentError(`${directory} holds a ${modelKind(prep).label} ${prep.task} model; load it with the ${modelKind(prep).prefix}${prep.task === 'classification' ? 'Classifier' : 'Regressor'} class`);
    }
  }

  /** Texts in memory (checked when encoded), or the text column of a CSV file. */
  protected async readTexts(x: TextInput, name: string): Promise<readonly string[]> {
    return (await this.readPair(x, undefined, [name, 'y'])).x;
  }

  /** @internal Texts and targets from arrays or a CSV path (text column, target column). */
  protected async readPair(x: TextInput, y: TextTarget | undefined, names: [string, string]): Promise<{ x: readonly string[]; y: TargetLike | undefined }> {
    if (typeof x !== 'string') {
      if (typeof y === 'string') invalidArgument(names[1], 'labels or numbers (a target column name needs a CSV path as x)', y);
      return { x, y };
    }
    if (x.length === 0) invalidArgument(names[0], 'texts or the path of a CSV file', x);
    const table = await readTableCsv(x);
    const split = splitTarget(table, y, names[1], this.spec.task as TaskSpec['task']);
    // Without textColumn: the only column besides the target, or (no target named) the only column with a non-numeric cell.
    let rest = split.x.names;
    if (rest.length > 1 && y === undefined) rest = rest.filter((n) => split.x.column(n)!.some((c) => cellNumber(c) === null));
    const column = this.textColumn ?? (rest.length === 1 ? rest[0]! : undefined);
    const cells: readonly Cell[] | undefined = column === undefined ? undefined : split.x.column(column);
    if (!cells) {
      const expected = this.textColumn !== undefined ? `a column ${JSON.stringify(this.textColumn)} (the textColumn option)` : 'one column besides the target, or the textColumn option naming the text column';
      throw new InputDataError(`Received an invalid value for \`${names[0]}\`, expected ${expected} in ${x}. Received: columns ${describeValue(table.names)}`);
    }
    return { x: cells.map((c) => (c === null || c === undefined ? '' : String(c))), y: split.y };
  }
}

/**
 * Searches for a text classifier (AutoKeras `TextClassifier`): texts become token ids through a
 * vocabulary learned at fit time; the search starts from a fastText-like bag of words and the
 * Auto-Keras text CNN. Labels may be numbers or strings; `predict` returns them in the same values.
 * The validation metric is accuracy.
 *
 * @example
 * ```ts
 * const clf = new TextClassifier({ seed: 1 });
 * await clf.fit(['Great sound, works fine.', 'Broke after a week.', ...], [1, 0, ...], { timeLimit: 60 });
 * const labels = await clf.predict(['Works great!']);      // [1]
 * await clf.export('./text-model');                        // model.json, weights.bin, preprocessing.json (vocabulary)
 * const again = await TextClassifier.load('./text-model');
 * ```
 */
export class TextClassifier extends TextModel {
  protected readonly spec = CLASSIFICATION;

  /** Restores a fitted classifier from a search directory or an `export()` folder. */
  static async load(directory: string, options: AutoModelOptions = {}): Promise<TextClassifier> {
    return new TextClassifier(options).restore(directory);
  }

  /**
   * Predicted labels in the form `y` was given to `fit`: `[N]` labels in the training labels' values,
   * one-hot rows `[N, K]` for one-hot `y`, multi-hot rows with `multiLabel`.
   */
  override async predict(x: TextInput): Promise<Label[] | number[][]> {
    return super.predict(x);
  }

  /** Class probabilities `[N, K]`, columns in the order of {@link TextClassifier.classes} (with `multiLabel`, each label's own probability). */
  async predictProba(x: TextInput): Promise<number[][]> {
    return this.outputRows((await this.readTexts(x, 'x')) as never);
  }

  /** The classes, in the order of the model's outputs. */
  get classes(): Label[] {
    return this.classList();
  }
}

/**
 * Searches for a regressor of texts (e.g. a rating from a review), with the preprocessing and initial
 * architectures of {@link TextClassifier}. The network learns standardised targets (`predict` returns
 * them in the original units); the search's validation metric is the mean squared error of the
 * standardised targets, `evaluate` the mean squared error in the original units.
 *
 * @example
 * ```ts
 * const reg = new TextRegressor({ seed: 1 });
 * await reg.fit(['five stars, love it', 'awful'], [5, 1], { timeLimit: 60 });
 * const scores = await reg.predict(['pretty good']);   // [[3.9]]  ([N, 1])
 * ```
 */
export class TextRegressor extends TextModel {
  protected readonly spec = REGRESSION;

  /** Restores a fitted regressor from a search directory or an `export()` folder. */
  static async load(directory: string, options: AutoModelOptions = {}): Promise<TextRegressor> {
    return new TextRegressor(options).restore(directory);
  }

  /** Predicted targets `[N, K]` in the training targets' units. */
  override async predict(x: TextInput): Promise<number[][]> {
    return (await super.predict(x)) as number[][];
  }
}
