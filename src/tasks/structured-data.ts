import * as path from 'node:path';
import type { Label } from '../data/labels';
import type { Preprocessing } from '../data/preprocessing';
import type { ColumnReport, ColumnType, TabularInput } from '../data/rows';
import { Table, cellKey, cellNumber, isMissing, readTableCsv, toTable } from '../data/rows';
import { toTargetTensor } from '../data/targets';
import { ArgumentError, InputDataError, UnsupportedError, describeValue, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { writeFileAtomic } from '../persist/atomic';
import type { SearchDirectory } from '../persist/search-directory';
import { AutoModel, modelKind } from './auto-model';
import type { FinalFitOptions, FitOptions } from './auto-model';
import type { BatchDataset, TargetLike } from './data';
import { isDataset } from './data';
import type { AutoModelOptions } from './options';
import { checkEvaluateOptions } from './options';
import { computeMetrics } from '../train/metrics';
import type { TaskSpec } from './task-spec';
import { CLASSIFICATION, REGRESSION } from './task-spec';

/**
 * Rows as the structured tasks take them: row objects `[N]`, a column object, numbers `[N, F]`
 * (tensor, nested arrays, `{data, shape}`), or the path of a CSV file with a header row.
 */
export type StructuredInput = TabularInput | string;

/** Targets of the structured tasks: labels or numbers `[N]` (`[N, K]`), or the name of the target column of `x`. */
export type StructuredTarget = TargetLike | string;

/** Options of {@link StructuredDataClassifier} and {@link StructuredDataRegressor}: the AutoModel options plus `columnTypes`. */
export interface StructuredDataOptions extends AutoModelOptions {
  /**
   * Types of some or all columns, e.g. `{ pclass: 'categorical', age: 'numerical' }`; the others are
   * inferred from the training rows (see `RowEncoder` in `autokeras-ts/internals`). `validationSplit` defaults to
   * `DEFAULTS.structured.validationSplit` (0.2) for these tasks.
   */
  columnTypes?: Record<string, ColumnType>;
}

/** Options of the structured tasks' `fit`: as {@link FitOptions}, `validationData` in structured forms. */
export interface StructuredFitOptions extends Omit<FitOptions, 'validationData'> {
  /** `[x, y]` to validate on: rows in any {@link StructuredInput} form, `y` targets or the target column's name. */
  validationData?: [StructuredInput, StructuredTarget];
}

/** Options of the structured tasks' `finalFit`: as {@link FinalFitOptions}, `validationData` in structured forms. */
export interface StructuredFinalFitOptions extends Omit<FinalFitOptions, 'validationData'> {
  validationData?: [StructuredInput, StructuredTarget];
}

/** Reads a CSV path or checks rows in memory. */
async function readInput(x: StructuredInput, name: string): Promise<Table> {
  if (typeof x === 'string') {
    if (x.length === 0) invalidArgument(name, 'rows or the path of a CSV file', x);
    return readTableCsv(x);
  }
  return toTable(x, name);
}

/**
 * Splits the target column off `table` when `y` names one: its cells become numbers when every one
 * is numeric (else trimmed strings). A missing column, a missing target value, a non-number target of a
 * regression or a single class is an InputDataError naming the column and row.
 *
 * @example
 * ```ts
 * const { x, y } = splitTarget(toTable([{ a: 1, t: 'no' }, { a: 2, t: 'yes' }]), 't', 'y', 'classification');
 * x.names; // ['a'];  y: ['no', 'yes']
 * ```
 */
export function splitTarget(table: Table, y: StructuredTarget | undefined, yName: string, task: TaskSpec['task']): { x: Table; y: TargetLike | undefined } {
  if (typeof y !== 'string') return { x: table, y };
  const cells = table.column(y);
  if (!cells) {
    throw new InputDataError(`Received an invalid value for \`${yName}\`, expected the name of a column of ${table.source} (${table.names.map((n) => JSON.stringify(n)).join(', ')}). Received: ${yName}=${JSON.stringify(y)}`);
  }
  const missing = cells.findIndex(isMissing);
  if (missing >= 0) throw new InputDataError(`Received an invalid value for \`${yName}\`, expected a value in every row of target column ${JSON.stringify(y)}. Received: ${describeValue(cells[missing])} at ${table.rowName(missing)}`);
  const numbers = cells.map(cellNumber);
  const numeric = numbers.every((v) => v !== null);
  if (task === 'regression' && !numeric) {
    const bad = numbers.findIndex((v) => v === null);
    throw new InputDataError(`Received an invalid value for \`${yName}\`, expected numbers in target column ${JSON.stringify(y)} (regression). Received: ${describeValue(cells[bad])} at ${table.rowName(bad)}`);
  }
  const values: Label[] = numeric ? (numbers as number[]) : cells.map(cellKey);
  if (task === 'classification' && new Set(values).size < 2) {
    throw new InputDataError(`Received an invalid value for \`${yName}\`, expected at least two classes in target column ${JSON.stringify(y)}. Received: one class (${describeValue(values[0])}) in every row, ${table.rowName(0)} to ${table.rowName(table.length - 1)}`);
  }
  return { x: table.without(y), y: values as TargetLike };
}

async function readPair(x: StructuredInput, y: StructuredTarget | undefined, names: [string, string], task: TaskSpec['task']): Promise<{ x: Table; y: TargetLike | undefined }> {
  return splitTarget(await readInput(x, names[0]), y, names[1], task);
}

function checkColumnTypesOption(columnTypes: unknown): void {
  if (columnTypes === undefined) return;
  if (typeof columnTypes !== 'object' || columnTypes === null || Array.isArray(columnTypes)) invalidArgument('columnTypes', "an object { column: 'numerical' | 'categorical' }", columnTypes);
  for (const [col, type] of Object.entries(columnTypes)) if (type !== 'numerical' && type !== 'categorical') invalidArgument(`columnTypes.${col}`, "'numerical' or 'categorical'", type);
}

/**
 * The structured-data life cycle shared by {@link StructuredDataClassifier} and
 * {@link StructuredDataRegressor}: reads CSV paths and target column names, then runs the AutoModel
 * search on the rows encoded by a {@link RowEncoder} (part of the model: `export` writes it into
 * `preprocessing.json`, `load` and the CLI encode predict-time rows the same way). The default
 * architecture is the MLP generator (vectors `[F]`), grown by the dense morphs.
 *
 * @example
 * ```ts
 * const model: StructuredDataModel = task === 'regression' ? new StructuredDataRegressor() : new StructuredDataClassifier();
 * await model.fit('train.csv', 'target', { timeLimit: 60 });
 * console.log(model.columnReport.dropped);   // [{ name: 'id', reason: 'identifier-like: ...' }]
 * ```
 */
export abstract class StructuredDataModel extends AutoModel {
  private readonly columnTypes: Record<string, ColumnType> | undefined;
  private fitTable: Table | null = null;

  constructor(options: StructuredDataOptions = {}) {
    if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object', options);
    const { columnTypes, ...rest } = options;
    for (const k of ['rank', 'imageSize'] as const) if (rest[k] !== undefined) invalidArgument(k, 'unset for structured data (an image-task option)', rest[k]);
    super({ validationSplit: DEFAULTS.structured.validationSplit, ...rest });
    checkColumnTypesOption(columnTypes);
    this.columnTypes = columnTypes ? { ...columnTypes } : undefined;
  }

  /**
   * Searches for the best network for the rows (see AutoModel `fit`). `x`: row objects, a column
   * object, numbers `[N, F]` or a CSV path; `y`: labels / numbers `[N]`, or the name of the target
   * column of `x`. Nothing is written before the rows, column types and targets are checked.
   */
  override async fit(x: StructuredInput | BatchDataset, y?: StructuredTarget, options: StructuredFitOptions = {}): Promise<this> {
    if (isDataset(x)) throw new UnsupportedError('The structured-data tasks take rows (objects, columns, [N, F] numbers or a CSV path), not a tf.data.Dataset');
    const t = await readPair(x, y, ['x', 'y'], this.spec.task);
    if (t.y === undefined) invalidArgument('y', 'targets (labels or numbers, one per row) or the name of the target column', y);
    const v = options.validationData;
    const validation = v ? await readPair(v[0], v[1], ['validationData[0]', 'validationData[1]'], this.spec.task) : undefined;
    if (validation && validation.y === undefined) invalidArgument('validationData[1]', 'targets or the name of the target column', undefined);
    this.fitTable = t.x;
    try {
      const { validationData: _, ...rest } = options;
      return await super.fit(t.x as never, t.y, { ...rest, ...(validation ? { validationData: [validation.x as never, validation.y!] } : {}) });
    } finally {
      this.fitTable = null;
    }
  }

  /** Trains the best network further (see AutoModel `finalFit`); data in the forms `fit` takes. */
  override async finalFit(xTrain: StructuredInput, yTrain: StructuredTarget, xTest?: StructuredInput, yTest?: StructuredTarget, options: StructuredFinalFitOptions = {}): Promise<this> {
    this.requireFitted('finalFit');
    const train = await readPair(xTrain, yTrain, ['xTrain', 'yTrain'], this.spec.task);
    const test = xTest !== undefined ? await readPair(xTest, yTest, ['xTest', 'yTest'], this.spec.task) : undefined;
    const v = options.validationData;
    const validation = v ? await readPair(v[0], v[1], ['validationData[0]', 'validationData[1]'], this.spec.task) : undefined;
    const { validationData: _, ...rest } = options;
    const o: FinalFitOptions = { ...rest, ...(validation ? { validationData: [validation.x as never, validation.y!] } : {}) };
    return super.finalFit(train.x as never, train.y!, test?.x as never, test?.y, o);
  }

  /** Predictions for rows in any form `fit` takes (a target column, if present, is ignored). */
  override async predict(x: StructuredInput): Promise<Label[] | number[][]> {
    return super.predict((await readInput(x, 'x')) as never);
  }

  /**
   * The objective (default accuracy for the classifier, mean squared error in the targets' units for
   * the regressor); with `{ returnDict: true }` every metric of `objective` and `metrics` by name (see
   * AutoModel `evaluate`). `y` may name the target column of `x`.
   */
  override async evaluate(x: StructuredInput, y: StructuredTarget): Promise<number>;
  override async evaluate(x: StructuredInput, y: StructuredTarget, options: { returnDict: true }): Promise<Record<string, number>>;
  override async evaluate(x: StructuredInput, y: StructuredTarget, options?: { returnDict?: boolean }): Promise<number | Record<string, number>>;
  override async evaluate(x: StructuredInput, y: StructuredTarget, options: { returnDict?: boolean } = {}): Promise<number | Record<string, number>> {
    checkEvaluateOptions(options);
    const t = await readPair(x, y, ['x', 'y'], this.spec.task);
    return super.evaluate(t.x as never, t.y!, options);
  }

  /** What the encoder decided per column (types, left-out columns and reasons) for the fitted model. */
  get columnReport(): ColumnReport {
    return this.requireFitted('columnReport').prep.rows!.report();
  }

  /** @internal The row encoder's options (`columnTypes`), and standardised targets for regression. */
  protected override preprocessingOptions(): { rows: { columnTypes?: Record<string, ColumnType> }; scaleTargets: boolean } {
    return { rows: this.columnTypes ? { columnTypes: this.columnTypes } : {}, scaleTargets: this.spec.task === 'regression' };
  }

  /** @internal Emits `columnTypes` and writes `columns.json` into the search directory. */
  protected override async prepared(prep: Preprocessing, dir: SearchDirectory | null): Promise<void> {
    const report = prep.rows!.report(this.fitTable ?? undefined);
    this.emit('columnTypes', report);
    if (dir) await writeFileAtomic(path.join(dir.root, 'columns.json'), `${JSON.stringify(report, null, 2)}\n`);
  }

  /** @internal Structured models load only structured preprocessing of the same task. */
  protected override checkTask(prep: Preprocessing, directory: string): void {
    if (prep.task !== this.spec.task || !prep.rows) {
      const kind = modelKind(prep);
      throw new ArgumentError(`${directory} holds a ${kind.label} ${prep.task} model; load it with the ${kind.prefix}${prep.task === 'classification' ? 'Classifier' : 'Regressor'} class`);
    }
  }
}

/**
 * Searches for a classifier of table rows (AutoKeras `StructuredDataClassifier`): columns typed
 * numerical or categorical (inferred or from `columnTypes`), missing values imputed, categories one-hot
 * with an "unknown" slot; identifier-like and free-text columns are left out and reported (the
 * `columnTypes` event, `columns.json`). The search optimises accuracy unless `objective` says otherwise.
 *
 * @example
 * ```ts
 * const rows = [{ age: '22', sex: 'male', fare: 7.25, survived: 0 }, { age: '38', sex: 'female', fare: 71.3, survived: 1 }, ...];
 * const clf = new StructuredDataClassifier({ seed: 1 });
 * await clf.fit(rows, 'survived', { timeLimit: 60 });      // or clf.fit('train.csv', 'survived')
 * const labels = await clf.predict([{ age: '30', sex: 'female', fare: 20 }]);   // [1]
 * await clf.export('./model');
 * const again = await StructuredDataClassifier.load('./model');
 * ```
 */
export class StructuredDataClassifier extends StructuredDataModel {
  protected readonly spec = CLASSIFICATION;

  /** Restores a fitted classifier from a search directory or an `export()` folder. */
  static async load(directory: string, options: AutoModelOptions = {}): Promise<StructuredDataClassifier> {
    return new StructuredDataClassifier(options).restore(directory);
  }

  /**
   * Predicted labels in the form `y` was given to `fit`: `[N]` labels in the training labels' values,
   * one-hot rows `[N, K]` for one-hot `y`, multi-hot rows with `multiLabel`.
   */
  override async predict(x: StructuredInput): Promise<Label[] | number[][]> {
    return super.predict(x);
  }

  /** Class probabilities `[N, K]`, columns in the order of {@link StructuredDataClassifier.classes} (with `multiLabel`, each label's own probability). */
  async predictProba(x: StructuredInput): Promise<number[][]> {
    return this.outputRows((await readInput(x, 'x')) as never);
  }

  /** The classes, in the order of the model's outputs. */
  get classes(): Label[] {
    return this.classList();
  }
}

/**
 * Searches for a regressor of table rows (AutoKeras `StructuredDataRegressor`), with the encoding of
 * {@link StructuredDataClassifier}. The network learns standardised targets (`predict` returns them in
 * the original units); the search's validation metric (the `objective`, default MSE: 1 = predicting
 * the mean) is computed on the standardised targets, `evaluate` computes it in the original units.
 *
 * @example
 * ```ts
 * const reg = new StructuredDataRegressor({ seed: 1, columnTypes: { zip: 'categorical' } });
 * await reg.fit('houses.csv', 'price', { timeLimit: 60 });
 * const prices = await reg.predict('new-houses.csv');    // [[231000.5], ...]  ([N, 1])
 * const mse = await reg.evaluate('test-houses.csv', 'price');
 * ```
 */
export class StructuredDataRegressor extends StructuredDataModel {
  protected readonly spec = REGRESSION;

  /** Restores a fitted regressor from a search directory or an `export()` folder. */
  static async load(directory: string, options: AutoModelOptions = {}): Promise<StructuredDataRegressor> {
    return new StructuredDataRegressor(options).restore(directory);
  }

  /** Predicted targets `[N, K]` in the training targets' units. */
  override async predict(x: StructuredInput): Promise<number[][]> {
    return (await super.predict(x)) as number[][];
  }
}
