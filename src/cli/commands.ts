import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadData } from '../data/load';
import type { LoadedData } from '../data/load';
import { loadFashionMnistSample } from '../data/sample';
import { ArgumentError } from '../errors';
import { writeSearchReport } from '../report/from-directory';
import type { AutoModel } from '../tasks/auto-model';
import { ImageClassifier } from '../tasks/image-classifier';
import { ImageRegressor } from '../tasks/image-regressor';
import { StructuredDataClassifier, StructuredDataRegressor } from '../tasks/structured-data';
import { TextClassifier, TextRegressor } from '../tasks/text';
import type { AutoModelOptions } from '../tasks/options';
import type { MetricName } from '../train/metrics';
import { showSearchProgress } from './progress';

/** Options shared by `fit` and `demo`. */
export interface SearchCommandOptions {
  out: string;
  timeLimit: number;
  /** Image / tensor tasks, rows of a CSV (`structured-*`, with `target`), or texts in a CSV column (`text-*`, with `target`). */
  task: 'classification' | 'regression' | 'structured-classification' | 'structured-regression' | 'text-classification' | 'text-regression';
  /** Structured and text tasks: the target column of the CSV. */
  target?: string;
  /** Text tasks: the column of the texts (default: the only other column). */
  textColumn?: string;
  seed: number;
  searcher: string;
  maxTrials?: number;
  /** The search's objective (default accuracy / MSE) and more metrics to report. */
  objective?: MetricName;
  metrics?: MetricName[];
  backend?: AutoModelOptions['backend'];
  finalFit: boolean;
  /** Seconds of finalFit (default: a quarter of the time limit). */
  finalTime?: number;
  quiet?: boolean;
}

/** What a search command printed at the end. */
export interface SearchCommandResult {
  testMetric: number | null;
  exportDir: string;
  reportFile: string;
  trials: number;
}

const TASKS: ReadonlyArray<SearchCommandOptions['task']> = ['classification', 'regression', 'structured-classification', 'structured-regression', 'text-classification', 'text-regression'];

function checkTask(task: string): void {
  if (!TASKS.includes(task as SearchCommandOptions['task'])) throw new ArgumentError(`Received an invalid value for \`--task\`, expected ${TASKS.join(', ')}. Received: --task=${String(task)}`);
}

function makeModel(task: SearchCommandOptions['task'], options: AutoModelOptions, textColumn?: string): AutoModel<unknown> {
  checkTask(task);
  if (task.startsWith('text-')) return new (task === 'text-regression' ? TextRegressor : TextClassifier)({ ...options, ...(textColumn ? { textColumn } : {}) }) as AutoModel<unknown>;
  const make = { classification: ImageClassifier, regression: ImageRegressor, 'structured-classification': StructuredDataClassifier, 'structured-regression': StructuredDataRegressor }[task as 'classification'];
  return new make(options) as AutoModel<unknown>;
}

/** Rows of a CSV file and the name of its target column (structured tasks). */
export interface CsvRowsData {
  x: string;
  y: string;
  source: string;
}

/**
 * Runs a whole search on loaded data: fit with a progress bar, finalFit, test metric, export to
 * `<out>/export`, HTML report at `<out>/report.html`.
 */
export async function runSearchCommand(train: LoadedData | CsvRowsData, test: LoadedData | CsvRowsData | null, o: SearchCommandOptions, log: (s: string) => void = console.log): Promise<SearchCommandResult> {
  const model = makeModel(o.task, {
    directory: o.out, seed: o.seed, searcher: o.searcher, ...(o.maxTrials ? { maxTrials: o.maxTrials } : {}), ...(o.backend ? { backend: o.backend } : {}),
    ...(o.objective ? { objective: o.objective } : {}), ...(o.metrics ? { metrics: o.metrics } : {}),
  }, o.textColumn);
  const metricName = o.objective ?? (o.task.endsWith('classification') ? 'accuracy' : 'mse');
  const stop = o.quiet ? () => undefined : showSearchProgress(model, o.timeLimit, metricName);
  try {
    await model.fit(train.x as never, train.y as never, { timeLimit: o.timeLimit });
  } finally {
    stop();
  }
  const best = model.bestTrial!;
  log(`best trial ${best.id}: validation ${metricName} ${best.metric.toFixed(4)} (${model.history.length} trials)`);
  if (o.finalFit) {
    log('final fit of the best architecture...');
    await model.finalFit(train.x as never, train.y as never, undefined, undefined, { timeLimit: o.finalTime ?? Math.max(10, o.timeLimit / 4) });
  }
  const scores = test ? await model.evaluate(test.x as never, test.y as never, { returnDict: true }) : null;
  const testMetric = scores ? scores[metricName]! : null;
  if (scores) log(`test ${Object.entries(scores).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(', ')}`);
  const exportDir = path.join(o.out, 'export');
  await model.export(exportDir);
  const reportFile = await writeSearchReport(o.out, undefined, testMetric !== null ? { [`test ${metricName}`]: testMetric.toFixed(4) } : {});
  log(`exported model: ${path.resolve(exportDir)} (model.json, weights.bin, preprocessing.json)`);
  log(`report: ${path.resolve(reportFile)}`);
  const trials = model.history.length;
  model.dispose();
  return { testMetric, exportDir, reportFile, trials };
}

/** `autokeras-ts demo`: a real search on the bundled Fashion-MNIST sample. */
export async function demoCommand(o: SearchCommandOptions): Promise<SearchCommandResult> {
  const { train, test } = await loadFashionMnistSample();
  console.log(`Fashion-MNIST sample (Zalando Research, MIT licence): ${train.y.length} training and ${test.y.length} test images, 28x28, 10 classes`);
  console.log(`searching for ${o.timeLimit} s; results in ${path.resolve(o.out)}`);
  return runSearchCommand({ ...train, source: 'sample' }, { ...test, source: 'sample' }, o);
}

/** `autokeras-ts fit --data ...`. */
export async function fitCommand(data: string, testData: string | undefined, o: SearchCommandOptions): Promise<SearchCommandResult> {
  checkTask(o.task);
  if (o.task.startsWith('structured-') || o.task.startsWith('text-')) {
    if (!o.target) throw new ArgumentError(`Received an invalid value for \`--target\`, expected the name of the target column of ${data} (structured and text tasks). Received: --target=undefined`);
    return runSearchCommand({ x: data, y: o.target, source: data }, testData ? { x: testData, y: o.target, source: testData } : null, o);
  }
  const train = await loadData(data);
  const test = testData ? await loadData(testData) : null;
  return runSearchCommand(train, test, o);
}

/** `autokeras-ts predict --model DIR --data ...`: prints one prediction per line (CSV for several targets). */
export async function predictCommand(modelDir: string, data: string, task: SearchCommandOptions['task'], backend?: AutoModelOptions['backend'], textColumn?: string): Promise<string[]> {
  checkTask(task);
  const options: AutoModelOptions = backend ? { backend } : {};
  // A structured or text model predicts on its own kind of data whatever --task says (its preprocessing says which).
  const saved = await savedPreprocessing(modelDir);
  if (saved?.rows) task = saved.task === 'regression' ? 'structured-regression' : 'structured-classification';
  if (saved?.text) task = saved.task === 'regression' ? 'text-regression' : 'text-classification';
  if (task.startsWith('text-')) {
    // The texts of a CSV column, encoded with the model's vocabulary (preprocessing.json).
    const o = { ...options, ...(textColumn ? { textColumn } : {}) };
    const model = task === 'text-regression' ? await TextRegressor.load(modelDir, o) : await TextClassifier.load(modelDir, o);
    const out = (await model.predict(data)) as Array<string | number | number[]>;
    model.dispose();
    return out.map((p) => (Array.isArray(p) ? p.join(',') : String(p)));
  }
  if (task.startsWith('structured-')) {
    // The rows of a CSV file, encoded by the model's own preprocessing.json (a target column is ignored).
    const model = task === 'structured-regression' ? await StructuredDataRegressor.load(modelDir, options) : await StructuredDataClassifier.load(modelDir, options);
    const out = (await model.predict(data)) as Array<string | number | number[]>;
    model.dispose();
    return out.map((p) => (Array.isArray(p) ? p.join(',') : String(p)));
  }
  const loaded = await loadData(data);
  const model = task === 'regression' ? await ImageRegressor.load(modelDir, options) : await ImageClassifier.load(modelDir, options);
  const out = (await model.predict(loaded.x)) as Array<string | number | number[]>;
  model.dispose();
  return out.map((p) => (Array.isArray(p) ? p.join(',') : String(p)));
}

/** The preprocessing document of an export folder or search directory, or null when there is none to read. */
async function savedPreprocessing(dir: string): Promise<{ task?: string; rows?: unknown; text?: unknown } | null> {
  for (const [file, key] of [['preprocessing.json', null], ['meta.json', 'preprocessing']] as const) {
    try {
      const doc = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) as Record<string, unknown>;
      return (key ? doc[key] : doc) as { task?: string; rows?: unknown; text?: unknown } | null;
    } catch {
      // absent or unreadable: the load below reports it
    }
  }
  return null;
}
