import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError } from '../../src/errors';
import { DEFAULTS } from '../../src/options';
import { ImageClassifier, ImageRegressor, StructuredDataClassifier, StructuredDataRegressor } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { bestTrial } from '../../src/search/search-loop';
import { writeSearchReport } from '../../src/report';
import { patterns, tinyCnn } from './fixtures';

const train = patterns(60, 1);
const test = patterns(30, 2);
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 2, epochsPerTrial: 2, augment: false, generators: [tinyCnn], executor: 'in-process' };
const CLASSES = ['flat', 'left', 'top'];
const oneHot = (labels: string[]) => labels.map((l) => CLASSES.map((c) => (c === l ? 1 : 0)));

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-objective-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('objective and metrics', () => {
  it('a classifier searches for the objective, records every metric per trial, and evaluate reports them; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const directory = path.join(root, 'clf');
    const clf = new ImageClassifier({ ...base, directory, objective: 'crossentropy', metrics: ['accuracy', 'f1', 'auc'] });
    await clf.fit(train.x, train.labels, { timeLimit: 60 });
    for (const t of clf.history) {
      expect(Object.keys(t.metrics!)).toEqual(['crossentropy', 'accuracy', 'f1', 'auc']);
      expect(t.metric).toBe(t.metrics!.crossentropy);
    }
    // Lower cross-entropy is better: the best trial is the one of least metric.
    expect(clf.bestTrial!.metric).toBe(Math.min(...clf.history.map((t) => t.metric)));
    const all = await clf.evaluate(test.x, test.labels, { returnDict: true });
    expect(Object.keys(all)).toEqual(['crossentropy', 'accuracy', 'f1', 'auc']);
    expect(await clf.evaluate(test.x, test.labels)).toBeCloseTo(all.crossentropy!, 6);
    // The accuracy of the dict is the share of right predictions.
    const predicted = await clf.predict(test.x);
    expect(all.accuracy).toBeCloseTo(predicted.filter((p, i) => p === test.labels[i]).length / test.labels.length, 12);
    const history = JSON.parse(readFileSync(path.join(directory, 'history.json'), 'utf8'));
    expect(Object.keys(history.trials[0].metrics)).toContain('auc');
    const meta = JSON.parse(readFileSync(path.join(directory, 'meta.json'), 'utf8'));
    expect(meta.options.objective).toBe('crossentropy');
    // The report charts the objective (lower is better) and has a column per other metric.
    const html = readFileSync(await writeSearchReport(directory), 'utf8');
    expect(html).toContain('Validation crossentropy over time');
    expect(html).toContain('<th>crossentropy</th><th>accuracy</th><th>f1</th><th>auc</th>');
    // A load without the option still picks the best trial by the saved objective's direction (lower).
    const loaded = await ImageClassifier.load(directory, { backend: 'cpu' });
    expect(loaded.bestTrial!.id).toBe(clf.bestTrial!.id);
    loaded.dispose();
    // Resume refuses another objective: the history's numbers are cross-entropies.
    await expect(new ImageClassifier({ ...base, directory, resume: true, objective: 'auc' }).fit(train.x, train.labels, { timeLimit: 60 })).rejects.toThrow(/objective 'crossentropy', not 'auc'/);
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the direction of the objective picks the best trial (R^2: higher is better)', async () => {
    const reg = new ImageRegressor({ ...base, objective: 'r2', metrics: ['mae'] });
    await reg.fit(train.x, train.target, { timeLimit: 60 });
    expect(reg.history).toHaveLength(2);
    expect(reg.bestTrial!.metric).toBe(Math.max(...reg.history.map((t) => t.metric)));
    expect(bestTrial(reg.history, 'max')!.id).toBe(reg.bestTrial!.id);
    const scores = await reg.evaluate(test.x, test.target, { returnDict: true });
    const predicted = (await reg.predict(test.x)).map((r) => r[0]!);
    const mean = test.target.reduce((a, b) => a + b, 0) / test.target.length;
    const ssRes = test.target.reduce((s, t, i) => s + (t - predicted[i]!) ** 2, 0);
    const ssTot = test.target.reduce((s, t) => s + (t - mean) ** 2, 0);
    expect(scores.r2).toBeCloseTo(1 - ssRes / ssTot, 4);
    expect(scores.mae).toBeCloseTo(test.target.reduce((s, t, i) => s + Math.abs(t - predicted[i]!), 0) / test.target.length, 4);
    reg.dispose();
  });

  it('a user function is a metric; with a process pool it is an ArgumentError naming the option', async () => {
    const within = { name: 'within1', direction: 'max' as const, fn: (t: number[][], p: number[][]) => t.filter((r, i) => Math.abs(r[0]! - p[i]![0]!) < 1).length / t.length };
    expect(() => new ImageRegressor({ ...base, objective: within, executor: { type: 'process-pool', workers: 2 } })).toThrow(ArgumentError);
    expect(() => new ImageRegressor({ ...base, metrics: ['mae', within], executor: { type: 'process-pool', workers: 2 } })).toThrow(/`metrics\[1\]`, expected a built-in metric name when `executor` runs trials in other processes/);
    expect(() => new ImageRegressor({ objective: 'f2' as never })).toThrow(/`objective`/);
    // Ensemble selection scores accuracy / MSE of softmax or linear heads.
    expect(() => new ImageRegressor({ objective: 'r2', ensemble: 3 })).toThrow(/`ensemble`, expected 1 with an objective other than/);
    expect(() => new ImageClassifier({ multiLabel: true, ensemble: 2 })).toThrow(/`ensemble`, expected 1 with multiLabel/);
    expect(() => new ImageClassifier({ objective: 'accuracy', metrics: ['f1'], ensemble: 2 })).not.toThrow();
    // Left out, ensemble falls back to 1 there instead of refusing, whatever its default.
    const defaults = DEFAULTS.search as { ensembleSize: number };
    const saved = defaults.ensembleSize;
    defaults.ensembleSize = 3;
    try {
      expect(() => new ImageRegressor({ objective: 'r2' })).not.toThrow();
      expect(() => new ImageClassifier({ multiLabel: true })).not.toThrow();
    } finally {
      defaults.ensembleSize = saved;
    }
    // The other task's metric is named at fit, before anything is written.
    await expect(new ImageRegressor({ ...base, objective: 'auc' }).fit(train.x, train.target)).rejects.toThrow(/`objective`, expected a regression metric/);
    const reg = new ImageRegressor({ ...base, maxTrials: 1, objective: within, executor: 'auto' });
    await reg.fit(train.x, train.target, { timeLimit: 60 });
    expect(Object.keys(reg.history[0]!.metrics!)).toEqual(['within1']);
    expect(await reg.evaluate(test.x, test.target)).toBeGreaterThanOrEqual(0);
    reg.dispose();
  });

  it('the structured tasks take the options too (regressor metrics in the targets\' units)', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ a: i % 7, b: (i * 3) % 5, y: (i % 7) * 2 + ((i * 3) % 5) }));
    const reg = new StructuredDataRegressor({ seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 2, executor: 'in-process', objective: 'mae', metrics: ['r2'] });
    await reg.fit(rows, 'y', { timeLimit: 60 });
    const scores = await reg.evaluate(rows, 'y', { returnDict: true });
    const predicted = await reg.predict(rows);
    expect(scores.mae).toBeCloseTo(rows.reduce((s, r, i) => s + Math.abs(r.y - predicted[i]![0]!), 0) / rows.length, 6);
    expect(await reg.evaluate(rows, 'y')).toBe(scores.mae);
    reg.dispose();
    const labelled = rows.map((r) => ({ ...r, y: r.y > 8 ? 'big' : 'small' }));
    const clf = new StructuredDataClassifier({ seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 2, executor: 'in-process', objective: 'f1', classWeight: 'balanced' });
    await clf.fit(labelled, 'y', { timeLimit: 60 });
    expect(clf.history[0]!.metrics).toHaveProperty('f1');
    expect(typeof (await clf.evaluate(labelled, 'y'))).toBe('number');
    clf.dispose();
  });
});

describe('worker processes', () => {
  it('the objective, metrics, class weights and multi-label travel to a process pool: the same history as in-process', async () => {
    const run = async (executor: AutoModelOptions['executor'], y: string[] | number[][], extra: AutoModelOptions) => {
      const clf = new ImageClassifier({ ...base, searcher: 'random', maxTrials: 1, executor, objective: 'auc', metrics: ['f1'], ...extra });
      await clf.fit(train.x, y, { timeLimit: 60 });
      const t = clf.history[0]!;
      clf.dispose();
      return { metric: t.metric, metrics: t.metrics, valLoss: t.valLoss, epochs: t.epochs, status: t.status };
    };
    const weighted = await run('in-process', train.labels, { classWeight: { top: 5 } });
    expect(weighted.status).toBe('ok');
    expect(await run({ type: 'process-pool', workers: 1 }, train.labels, { classWeight: { top: 5 } })).toEqual(weighted);
    // Without the weights the same seed trains to other numbers: the pool's equality above is the weights'.
    expect((await run('in-process', train.labels, {})).valLoss).not.toBeCloseTo(weighted.valLoss!, 6);
    const multi = train.labels.map((l) => [l === 'top' ? 1 : 0, l === 'left' ? 1 : 0]);
    const inProcess = await run('in-process', multi, { multiLabel: true });
    expect(await run({ type: 'process-pool', workers: 1 }, multi, { multiLabel: true })).toEqual(inProcess);
  }, 120_000); // six fits, two of them starting a worker process
});

describe('class weights and multi-label', () => {
  it('classWeight trains (balanced and a map) and rejects unknown classes and regressors', async () => {
    const clf = new ImageClassifier({ ...base, maxTrials: 1, classWeight: { top: 3 } });
    await clf.fit(train.x, train.labels, { timeLimit: 60 });
    expect(clf.history[0]!.status).toBe('ok');
    clf.dispose();
    await expect(new ImageClassifier({ ...base, maxTrials: 1, classWeight: { cat: 2 } }).fit(train.x, train.labels)).rejects.toThrow(/`classWeight.cat`, expected a class of the training labels/);
    await expect(new ImageRegressor({ ...base, maxTrials: 1, classWeight: 'balanced' }).fit(train.x, train.target)).rejects.toThrow(/`classWeight`/);
    expect(() => new ImageClassifier({ classWeight: { top: -1 } })).toThrow(/`classWeight.top`, expected a finite, non-negative number/);
  });

  it('multiLabel: sigmoid outputs, thresholds chosen on validation data, multi-hot predictions that survive export and load', async () => {
    // Two labels per image: "bright top" and "bright left" (the 'flat' pattern has neither).
    const multi = (labels: string[]) => labels.map((l) => [l === 'top' ? 1 : 0, l === 'left' ? 1 : 0]);
    const directory = path.join(root, 'multi');
    const clf = new ImageClassifier({ ...base, maxTrials: 1, epochsPerTrial: 4, directory, multiLabel: true, metrics: ['f1'] });
    await clf.fit(train.x, multi(train.labels), { timeLimit: 60 });
    const proba = await clf.predictProba(test.x);
    expect(proba.every((row) => row.length === 2 && row.every((p) => p >= 0 && p <= 1))).toBe(true);
    expect(proba.some((row) => Math.abs(row[0]! + row[1]! - 1) > 1e-3)).toBe(true); // independent sigmoids, not a softmax
    const predicted = (await clf.predict(test.x)) as number[][];
    expect(predicted.every((row) => row.length === 2 && row.every((v) => v === 0 || v === 1))).toBe(true);
    const exportDir = path.join(root, 'multi-export');
    await clf.export(exportDir);
    const prep = JSON.parse(readFileSync(path.join(exportDir, 'preprocessing.json'), 'utf8'));
    expect(prep.labels.multiLabel).toBe(true);
    expect(prep.thresholds).toHaveLength(2);
    // predict applies exactly the saved thresholds to the probabilities.
    expect(predicted).toEqual(proba.map((row) => row.map((p, k) => (p >= prep.thresholds[k] ? 1 : 0))));
    expect(await (await ImageClassifier.load(exportDir, { backend: 'cpu' })).predict(test.x)).toEqual(predicted);
    const fromDir = await ImageClassifier.load(directory, { backend: 'cpu' });
    expect(await fromDir.predict(test.x)).toEqual(predicted);
    // Loaded without the option, the model is still evaluated as multi-label (binary decisions at its thresholds).
    expect(await fromDir.evaluate(test.x, multi(test.labels))).toBeCloseTo(await clf.evaluate(test.x, multi(test.labels)), 6);
    fromDir.dispose();
    const scores = await clf.evaluate(test.x, multi(test.labels), { returnDict: true });
    expect(Object.keys(scores)).toEqual(['accuracy', 'f1']);
    clf.dispose();
    await expect(new ImageClassifier({ ...base, multiLabel: true }).fit(train.x, train.labels)).rejects.toThrow(/multi-hot rows/);
    await expect(new ImageRegressor({ ...base, multiLabel: true }).fit(train.x, train.target)).rejects.toThrow(/`multiLabel`/);
  });
});

describe('predict in the form of y', () => {
  it('one-hot y in, one-hot rows out, also after export and load', async () => {
    const clf = new ImageClassifier({ ...base, maxTrials: 1 });
    await clf.fit(train.x, oneHot(train.labels), { timeLimit: 60 });
    const predicted = (await clf.predict(test.x)) as number[][];
    expect(predicted).toHaveLength(test.labels.length);
    expect(predicted.every((row) => row.length === 3 && row.filter((v) => v === 1).length === 1 && row.every((v) => v === 0 || v === 1))).toBe(true);
    const proba = await clf.predictProba(test.x);
    expect(predicted.map((row) => row.indexOf(1))).toEqual(proba.map((row) => row.indexOf(Math.max(...row))));
    const dir = path.join(root, 'onehot-export');
    await clf.export(dir);
    const loaded = await ImageClassifier.load(dir, { backend: 'cpu' });
    expect(await loaded.predict(test.x)).toEqual(predicted);
    expect(await loaded.evaluate(test.x, oneHot(test.labels))).toBeCloseTo(await clf.evaluate(test.x, oneHot(test.labels)), 6);
    loaded.dispose();
    clf.dispose();
  });
});
