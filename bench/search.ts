/**
 * `npm run bench:search`: does the Bayesian search earn its keep? At the same wall-clock budget it runs
 * BayesianSearcher, RandomSearcher and a fixed hand-designed CNN (the ak-cnn of shared/bench, trained
 * for the whole budget), finalFits each, and reports test accuracy over several seeds. Fashion-MNIST from
 * /usr/share/datasets/fashion-mnist when present (Debian's dataset-fashion-mnist), else the bundled sample.
 *
 * Flags: --budget <seconds> (default 1200) --final <seconds> (default budget/4) --seeds 1,2,3
 *        --train-size N --test-size N (default: all) --methods bayesian,random,fixed-cnn --json
 *        --validation-size N (validate every run on the N training images after the train set, passed to
 *        fit and finalFit as validationData, instead of each run holding out 500 of its training images)
 *        --trial-time-limit S (the searches' trialTimeLimit, default budget/5; the row's method is labelled with it)
 *        --searcher-options JSON (options of the searchers, e.g. '{"minTrialEpochs":3}'; the row's method
 *        is then labelled with them) --rows-out FILE (append each run's row as a JSON line, and write no table)
 *        --table-from FILE[,FILE...] (run nothing: build the table from such rows, e.g. of two processes
 *        that ran methods side by side on the two cores: wasm trains on one thread)
 *        --search-dir DIR (where the runs' search directories go; default .bench-tmp/search)
 *        --retest FILE (run nothing: load the finalFitted model of each row of FILE and measure its test
 *        accuracy again on this run's test set, e.g. all 10,000 images where the run used --test-size 2000)
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IdxSplit } from '../src/data/sample';
import type { GraphGenerator } from '../src/generators/common';
import type { JsonValue } from '../src/search';
import { ImageClassifier } from '../src/tasks';
import { benchData, flag, mean, readRows } from './data';
import { akCnnNet } from './networks';
import { machineLine, writeSection } from './report';

const PAPER = { random: 11.36, grid: 10.28, SPMT: 9.62, SMAC: 10.87, SEAS: 8.05, BFS: 9.13, BO: 7.99, 'Auto-Keras': 7.42 };

/** The ak-cnn reference network (softmax head) as the only architecture: maxTrials 1, so nothing is morphed. */
const fixedCnn: GraphGenerator = { name: 'ak-cnn', generate: () => akCnnNet() };

interface Row { method: string; seed: number; trials: number; validation: number; test: number; seconds: number; source: string; budget: number; final: number; dir?: string }

async function runOne(method: string, seed: number, train: IdxSplit, test: IdxSplit, validation: IdxSplit | undefined, budget: number, final: number, dir: string, source: string, searcherOptions: Record<string, JsonValue>, trialTimeLimit: number | undefined): Promise<Row> {
  const fixed = method === 'fixed-cnn';
  const cap: Record<string, number> = trialTimeLimit ? { trialTimeLimit } : {};
  const settings: Record<string, JsonValue> = fixed ? {} : { ...searcherOptions, ...cap };
  const tuned = Object.keys(settings).length > 0;
  const label = tuned ? `${method} ${JSON.stringify(settings)}` : method;
  const directory = path.join(dir, `${method}${tuned ? `-${Object.entries(settings).map(([k, v]) => `${k}=${String(v)}`).join(',')}` : ''}-${seed}`);
  const clf = new ImageClassifier({
    directory, seed,
    ...(fixed ? { generators: [fixedCnn], maxTrials: 1, trialTimeLimit: budget, epochsPerTrial: 1000 } : { searcher: method, searcherOptions, ...cap }),
  });
  const validationData = validation ? { validationData: [validation.x, Array.from(validation.y)] as [IdxSplit['x'], number[]] } : {};
  const t0 = Date.now();
  await clf.fit(train.x, Array.from(train.y), { timeLimit: budget, ...validationData });
  await clf.finalFit(train.x, Array.from(train.y), undefined, undefined, { timeLimit: final, ...validationData });
  const row: Row = {
    method: label, seed, trials: clf.history.length, validation: clf.finalFitReport?.validationMetric ?? clf.bestTrial!.metric,
    test: await clf.evaluate(test.x, Array.from(test.y)), seconds: (Date.now() - t0) / 1000, source, budget, final, dir: directory,
  };
  clf.dispose();
  return row;
}

function table(rows: Row[], methods: string[], source: string, budget: number, final: number): string {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, backend wasm. Data: ${source}.`,
    `Budget per run: ${budget} s of search + ${final} s of finalFit; test accuracy after finalFit.`, '',
    '| method | seeds | trials (mean) | test accuracy (mean) | test error | per seed |', '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of methods) {
    const rs = rows.filter((r) => r.method === m).sort((a, b) => a.seed - b.seed);
    if (rs.length === 0) continue;
    const acc = mean(rs.map((r) => r.test));
    lines.push(`| ${m} | ${rs.length} | ${mean(rs.map((r) => r.trials)).toFixed(1)} | ${acc.toFixed(4)} | ${((1 - acc) * 100).toFixed(2)}% | ${rs.map((r) => r.test.toFixed(4)).join(', ')} |`);
  }
  lines.push('', 'Paper (Table 1, Fashion-MNIST classification error, 12 h on a GTX 1080 Ti, full data): ' +
    Object.entries(PAPER).map(([k, v]) => `${k} ${v}%`).join(', ') + '.');
  return lines.join('\n');
}

function writeTable(rows: Row[], note = ''): void {
  const first = rows[0];
  if (!first) throw new Error('bench:search: no rows to tabulate');
  if (rows.some((r) => r.source !== first.source || r.budget !== first.budget || r.final !== first.final)) throw new Error('bench:search: the rows come from different data or budgets');
  const methods = [...new Set(rows.map((r) => r.method))];
  const body = `## Search quality (npm run bench:search)\n\n${note}${table(rows, methods, first.source, first.budget, first.final)}`;
  console.log(body);
  writeSection('BENCHMARKS.md', 'search', body);
}

/**
 * `--retest FILE`: run no search; load the finalFitted model each row of FILE saved under `dir` (or
 * `.bench-tmp/search/<method>-<seed>` for rows written before rows named their directory) and measure
 * its test accuracy again on this run's test set (e.g. all 10,000 test images where the run used 2,000).
 */
async function retest(file: string, test: IdxSplit, rowsOut: string | undefined): Promise<Row[]> {
  const rows = readRows<Row>([file]);
  const out: Row[] = [];
  for (const r of rows) {
    const dir = r.dir ?? path.join('.bench-tmp', 'search', `${r.method}-${r.seed}`);
    const clf = await ImageClassifier.load(dir);
    const row: Row = { ...r, test: await clf.evaluate(test.x, Array.from(test.y)), source: r.source.replace(/\d+ test images/, `${test.y.length} test images`), dir };
    clf.dispose();
    out.push(row);
    if (rowsOut) appendFileSync(rowsOut, `${JSON.stringify(row)}\n`);
    console.log(`${r.method} seed ${r.seed}: test accuracy ${r.test.toFixed(4)} (${r.source.split(', ').pop()}) -> ${row.test.toFixed(4)} (${test.y.length} test images)`);
  }
  return out;
}

async function main(): Promise<void> {
  const from = flag('table-from');
  if (from) {
    const files = from.split(',');
    const note = files.length > 1 ? `Rows of ${files.length} processes that ran side by side, one per core (wasm trains on one thread).\n` : '';
    writeTable(readRows<Row>(files), note);
    return;
  }
  const rowsOut = flag('rows-out');
  const budget = Number(flag('budget', '1200'));
  const final = Number(flag('final', String(Math.round(budget / 4))));
  const seeds = flag('seeds', '1,2,3')!.split(',').map(Number);
  const methods = flag('methods', 'bayesian,random,fixed-cnn')!.split(',');
  const searcherOptions = JSON.parse(flag('searcher-options', '{}')!) as Record<string, JsonValue>;
  const cap = flag('trial-time-limit');
  const trialTimeLimit = cap === undefined ? undefined : Number(cap);
  const { train, test, validation, source } = await benchData();
  const again = flag('retest');
  if (again) {
    console.log(`bench:search --retest ${again}: ${test.y.length} test images`);
    const rows = await retest(again, test, rowsOut);
    if (!rowsOut) writeTable(rows);
    return;
  }
  console.log(`bench:search: ${source}; budget ${budget} s + finalFit ${final} s; seeds ${seeds.join(',')}; methods ${methods.join(',')}`);
  const rows: Row[] = [];
  const dir = flag('search-dir', path.join('.bench-tmp', 'search'))!;
  for (const seed of seeds) {
    for (const method of methods) {
      const row = await runOne(method, seed, train, test, validation, budget, final, dir, source, searcherOptions, trialTimeLimit);
      rows.push(row);
      if (rowsOut) appendFileSync(rowsOut, `${JSON.stringify(row)}\n`);
      console.log(process.argv.includes('--json') ? JSON.stringify(row) : `${method} seed ${seed}: ${row.trials} trials, test accuracy ${row.test.toFixed(4)} (${row.seconds.toFixed(0)} s)`);
    }
  }
  if (!rowsOut) writeTable(rows);
}

main().catch((e) => { console.error(e); process.exit(1); });
