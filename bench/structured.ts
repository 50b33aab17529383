/**
 * `npm run bench:structured`: StructuredDataClassifier / StructuredDataRegressor against scikit-learn on
 * the same 80/20 splits. Data: iris and breast cancer (classification) and diabetes (regression, the raw
 * features) from the CSVs Debian's python3-sklearn installs, plus `wine-mixed`: sklearn's wine CSV made
 * into a table with categorical columns and missing values (see `wineMixed`). Each run of ours gets
 * `--budget` seconds (default 60) for fit and finalFit together (search `--search-share` of it, default
 * 0.75, then finalFit in what is left). scikit-learn (LogisticRegression / Ridge, RandomForest,
 * HistGradientBoosting at defaults, `bench/structured_sklearn.py`) runs through /usr/bin/python3 on the
 * split indices this script writes; skipped with a note when sklearn is missing. Means over `--seeds`
 * (default 1,2,3). Prints the table and writes the `structured` section of BENCHMARKS.md (not with --no-write).
 *
 * Flags: --budget S --search-share F --seeds 1,2,3 --only iris,diabetes --no-write --note TEXT
 *        --options JSON (options of our models, for measuring a lever, e.g. '{"ensemble":3}')
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { readTableCsv } from '../src/data/rows';
import type { Table } from '../src/data/rows';
import { StructuredDataClassifier, StructuredDataRegressor } from '../src/tasks';
import type { StructuredDataOptions } from '../src/tasks/structured-data';
import { Rng } from '../src/util/rng';
import { flag, mean, runSklearnScript } from './data';
import { machineLine, writeSection } from './report';

const SKLEARN_DATA = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const OUT = path.resolve(__dirname, '../.bench-tmp/structured');

interface DataSet {
  name: string;
  task: 'classification' | 'regression';
  csv: string;
  target: string;
  /** Columns the sklearn pipeline one-hot encodes (ours infers its own types). */
  categorical: string[];
  source: string;
}

function csvText(header: string[], rows: Array<Array<string | number>>): string {
  return `${header.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

/** sklearn's `N,F,class names...` CSVs (first line a count header) as a plain CSV with named columns. */
function countHeaderCsv(file: string, features: string[], target: string): { header: string[]; rows: Array<Array<string | number>> } {
  const [first, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const classes = first!.split(',').slice(2);
  const rows = lines.map((l) => {
    const cells = l.split(',');
    return [...cells.slice(0, -1), classes[Number(cells[cells.length - 1])]!];
  });
  return { header: [...features, target], rows };
}

/**
 * wine-mixed: sklearn's wine CSV (178 rows, 13 numbers, 3 cultivars) made into a mixed table: colour
 * intensity, hue and proline become categories low / mid / high (tertiles of the whole file: a data
 * construction step, not learned preprocessing), and 10% of the cells of alcohol, flavanoids, colour,
 * hue and proline are blanked (missing completely at random, Rng seed 2026).
 */
function wineMixed(): { header: string[]; rows: Array<Array<string | number>> } {
  const names = ['alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids', 'nonflavanoid_phenols',
    'proanthocyanins', 'colour', 'hue', 'od280', 'proline'];
  const { header, rows } = countHeaderCsv(path.join(SKLEARN_DATA, 'wine_data.csv'), names, 'cultivar');
  for (const col of ['colour', 'hue', 'proline']) {
    const k = header.indexOf(col);
    const sorted = rows.map((r) => Number(r[k])).sort((a, b) => a - b);
    const [t1, t2] = [sorted[Math.floor(sorted.length / 3)]!, sorted[Math.floor((2 * sorted.length) / 3)]!];
    for (const r of rows) { const v = Number(r[k]); r[k] = v < t1 ? 'low' : v < t2 ? 'mid' : 'high'; }
  }
  const rng = new Rng(2026);
  for (const col of ['alcohol', 'flavanoids', 'colour', 'hue', 'proline']) {
    const k = header.indexOf(col);
    for (const r of rows) if (rng.next() < 0.1) r[k] = '';
  }
  return { header, rows };
}

function writeDataSets(): DataSet[] {
  mkdirSync(OUT, { recursive: true });
  const sets: DataSet[] = [];
  const put = (name: string, task: DataSet['task'], target: string, categorical: string[], t: { header: string[]; rows: Array<Array<string | number>> }, source: string) => {
    const csv = path.join(OUT, `${name}.csv`);
    writeFileSync(csv, csvText(t.header, t.rows));
    sets.push({ name, task, csv, target, categorical, source });
  };
  put('iris', 'classification', 'species', [], countHeaderCsv(path.join(SKLEARN_DATA, 'iris.csv'), ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], 'species'), 'iris.csv');
  put('breast-cancer', 'classification', 'diagnosis', [], countHeaderCsv(path.join(SKLEARN_DATA, 'breast_cancer.csv'), Array.from({ length: 30 }, (_, i) => `f${i + 1}`), 'diagnosis'), 'breast_cancer.csv');
  const x = gunzipSync(readFileSync(path.join(SKLEARN_DATA, 'diabetes_data_raw.csv.gz'))).toString('utf8').trim().split('\n');
  const y = gunzipSync(readFileSync(path.join(SKLEARN_DATA, 'diabetes_target.csv.gz'))).toString('utf8').trim().split('\n');
  put('diabetes', 'regression', 'progression', [], {
    header: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', 'progression'],
    rows: x.map((l, i) => [...l.trim().split(/\s+/), Number(y[i])]),
  }, 'diabetes_data_raw.csv.gz + diabetes_target.csv.gz (raw features)');
  put('wine-mixed', 'classification', 'cultivar', ['colour', 'hue', 'proline'], wineMixed(), 'wine_data.csv, 3 columns binned to categories, 10% missing in 5 columns');
  return sets;
}

/** Seeded 80/20 split of `n` row indices. */
function split(n: number, seed: number): { train: number[]; test: number[] } {
  const idx = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const cut = Math.round(n * 0.8);
  return { train: idx.slice(0, cut).sort((a, b) => a - b), test: idx.slice(cut).sort((a, b) => a - b) };
}

function subset(t: Table, rows: number[]): Record<string, Array<string | number | boolean | null | undefined>> {
  return Object.fromEntries(t.names.map((name, c) => [name, rows.map((i) => t.columns[c]![i])]));
}

interface Run { seed: number; metric: number; trials: number; seconds: number; ensemble: number }

async function runOurs(d: DataSet, table: Table, s: { train: number[]; test: number[] }, seed: number, budget: number, share: number): Promise<Run> {
  const options = JSON.parse(flag('options', '{}')!) as StructuredDataOptions;
  const model = d.task === 'classification' ? new StructuredDataClassifier({ seed, ...options }) : new StructuredDataRegressor({ seed, ...options });
  const train = subset(table, s.train);
  const test = subset(table, s.test);
  const t0 = Date.now();
  await model.fit(train, d.target, { timeLimit: budget * share });
  const left = budget - (Date.now() - t0) / 1000;
  if (left > 1) await model.finalFit(train, d.target, undefined, undefined, { timeLimit: left });
  const seconds = (Date.now() - t0) / 1000;
  // The bench's metric whatever the objective (an `objective` option must then list it in `metrics`).
  const scores = await model.evaluate(test, d.target, { returnDict: true });
  const score = d.task === 'classification' ? scores.accuracy! : scores.mse!;
  const run = { seed, metric: d.task === 'classification' ? score : Math.sqrt(score), trials: model.history.length, seconds, ensemble: model.searchSummary?.ensemble.trialIds.length ?? 1 };
  model.dispose();
  return run;
}

type Baselines = Record<string, Record<string, Record<string, number>>>;

function runSklearn(sets: DataSet[], splits: Map<string, Array<{ seed: number; train: number[]; test: number[] }>>): Baselines | string {
  return runSklearnScript<Baselines>('structured_sklearn.py', Object.fromEntries(sets.map((d) => [d.name, { csv: d.csv, target: d.target, task: d.task, categorical: d.categorical, splits: splits.get(d.name) }])), OUT);
}

const fmt = (v: number, task: DataSet['task']) => (Number.isFinite(v) ? v.toFixed(task === 'classification' ? 4 : 2) : '-');

async function main(): Promise<void> {
  const budget = Number(flag('budget', '60'));
  const share = Number(flag('search-share', '0.75'));
  const seeds = flag('seeds', '1,2,3')!.split(',').map(Number);
  const only = flag('only')?.split(',');
  const note = flag('note');
  const sets = writeDataSets().filter((d) => !only || only.includes(d.name));
  const splits = new Map<string, Array<{ seed: number; train: number[]; test: number[] }>>();
  const tables = new Map<string, Table>();
  for (const d of sets) {
    const t = await readTableCsv(d.csv);
    tables.set(d.name, t);
    splits.set(d.name, seeds.map((seed) => ({ seed, ...split(t.length, seed) })));
  }
  const started = new Date();
  const baselines = runSklearn(sets, splits);
  if (typeof baselines === 'string') console.log(`scikit-learn skipped: ${baselines}`);
  const ours = new Map<string, Run[]>();
  for (const d of sets) {
    const runs: Run[] = [];
    for (const s of splits.get(d.name)!) {
      const r = await runOurs(d, tables.get(d.name)!, s, s.seed, budget, share);
      console.log(`${d.name} seed ${s.seed}: ${d.task === 'classification' ? 'accuracy' : 'RMSE'} ${fmt(r.metric, d.task)}, ${r.trials} trials, ${r.ensemble} in the final model, ${r.seconds.toFixed(1)} s`);
      runs.push(r);
    }
    ours.set(d.name, runs);
  }
  const lines: string[] = [];
  lines.push('| data set | rows x columns | metric | ours (mean) | per seed | LR / Ridge | RandomForest | HistGB | ours / target ref | target met |');
  lines.push('|---|--:|---|--:|---|--:|--:|--:|--:|---|');
  for (const d of sets) {
    const t = tables.get(d.name)!;
    const runs = ours.get(d.name)!;
    const m = mean(runs.map((r) => r.metric));
    const base = (model: string) => (typeof baselines === 'string' ? NaN : mean(seeds.map((s) => baselines[d.name]![String(s)]![model]!)));
    const [lin, rf, hgb] = [base('linear'), base('random_forest'), base('hist_gradient_boosting')];
    let ratio: string, met: string;
    if (d.task === 'classification') {
      const ref = Math.max(lin, rf);
      ratio = Number.isFinite(ref) ? `${(m / ref).toFixed(4)} (best of LR, RF)` : '-';
      met = Number.isFinite(ref) ? (m >= ref ? 'yes' : `no: ${((ref - m) * 100).toFixed(1)} points below`) : '-';
    } else {
      const best = Math.min(lin, rf, hgb);
      ratio = Number.isFinite(lin) ? `${(m / lin).toFixed(4)} (Ridge), ${(m / best).toFixed(4)} (best)` : '-';
      met = Number.isFinite(lin) ? (m <= lin && m <= best * 1.05 ? 'yes' : `no: ${(((m / lin) - 1) * 100).toFixed(1)}% above Ridge, ${(((m / best) - 1) * 100).toFixed(1)}% above the best`) : '-';
    }
    lines.push(`| ${d.name} | ${t.length} x ${t.names.length - 1} | ${d.task === 'classification' ? 'accuracy' : 'RMSE'} | ${fmt(m, d.task)} | ${runs.map((r) => fmt(r.metric, d.task)).join(', ')} | ${fmt(lin, d.task)} | ${fmt(rf, d.task)} | ${fmt(hgb, d.task)} | ${ratio} | ${met} |`);
  }
  const trials = sets.map((d) => `${d.name} ${mean(ours.get(d.name)!.map((r) => r.trials)).toFixed(1)}`).join(', ');
  const body = [
    '## Structured data (`npm run bench:structured`)',
    '',
    `Measured ${started.toISOString().slice(0, 10)} on ${machineLine()}, backend ${tf.getBackend()}.${note ? ` ${note}` : ''}`,
    `Seeded 80/20 splits (seeds ${seeds.join(', ')}; the same indices for every method), means over the seeds. Ours: ${budget} s per run for fit and finalFit together (search ${Math.round(budget * share)} s, finalFit in the rest), default options. scikit-learn ${typeof baselines === 'string' ? `skipped: ${baselines}` : 'at default hyper-parameters (LogisticRegression max_iter 5000), median imputation with missing indicators + standardisation, one-hot categories (`bench/structured_sklearn.py`)'}.`,
    `Data: sklearn's CSVs (${sets.map((d) => `${d.name}: ${d.source}`).join('; ')}). Targets: accuracy at or above the best of LR and RandomForest; RMSE at or below Ridge's and within 5% of the best.`,
    '',
    ...lines,
    '',
    `Trials per search (mean): ${trials}.`,
  ].join('\n');
  console.log(`\n${body}`);
  if (!process.argv.includes('--no-write')) writeSection(path.resolve(__dirname, '../BENCHMARKS.md'), 'structured', body);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
