import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ImageClassifier, ImageRegressor } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, tinyCnn, tinyMlp } from './fixtures';

// The final model of a search: the best trial, or an ensemble of trials chosen on validation (`ensemble`).
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 2, epochsPerTrial: 1, augment: false, searchThread: false, generators: [tinyCnn, tinyMlp], executor: 'in-process', searcher: 'random' };
const train = patterns(48, 1);
const val = patterns(30, 2);
// A quarter of the validation labels are wrong: no trial is perfect on them, and averaging trials (less
// confident) lowers the validation loss, as it does on real data.
for (let i = 0; i < val.labels.length; i += 4) val.labels[i] = val.labels[i] === 'flat' ? 'top' : 'flat';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('classifier: the fitted model is the chosen one, scores what the summary says, and exports as one model', async () => {
  const clf = await new ImageClassifier({ ...base, ensemble: 3 }).fit(train.x, train.labels, { timeLimit: 60, validationData: [val.x, val.labels] });
  const e = clf.searchSummary!.ensemble;
  const best = clf.history.filter((t) => t.status === 'ok').reduce((a, b) => (b.metric > a.metric ? b : a));
  expect(e.trialIds[0]).toBe(best.id);
  expect(e.trialIds.length).toBeGreaterThan(1); // the CNN and the MLP (two initial architectures, no morph) err differently here
  expect(new Set(e.trialIds).size).toBe(e.trialIds.length);
  for (const id of e.trialIds) expect(clf.history.map((t) => t.id)).toContain(id);
  expect(e.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  expect(e.valMetric).toBeGreaterThanOrEqual(best.metric - 1e-9);
  expect(await clf.evaluate(val.x, val.labels)).toBeCloseTo(e.valMetric, 6);
  const dir = mkdtempSync(path.join(tmpdir(), 'ak-ensemble-'));
  try {
    await clf.export(dir);
    const loaded = await ImageClassifier.load(dir, { backend: 'cpu' });
    // The export scales its inputs in float32 layers: equal up to rounding (issue 22's self-contained export).
    const [got, want] = [await loaded.predictProba(val.x), await clf.predictProba(val.x)];
    got.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - want[i]![j]!)).toBeLessThan(1e-5)));
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const tensors = tf.memory().numTensors;
  await clf.finalFit(train.x, train.labels, undefined, undefined, { timeLimit: 20, epochs: 1, validationData: [val.x, val.labels] });
  expect(clf.finalFitReport!.validationMetric).toBeGreaterThanOrEqual(e.valMetric - 1e-9);
  expect(tf.memory().numTensors).toBe(tensors);
  clf.dispose();
});

test('ensemble 1 keeps the best trial alone; the regressor averages outputs', async () => {
  const one = await new ImageClassifier({ ...base, ensemble: 1 }).fit(train.x, train.labels, { timeLimit: 60, validationData: [val.x, val.labels] });
  const best = one.history.filter((t) => t.status === 'ok').reduce((a, b) => (b.metric > a.metric ? b : a));
  expect(one.searchSummary!.ensemble).toMatchObject({ trialIds: [best.id], weights: [1] });
  one.dispose();
  const reg = await new ImageRegressor({ ...base, ensemble: 2 }).fit(train.x, train.target, { timeLimit: 60, validationData: [val.x, val.target] });
  const r = reg.searchSummary!.ensemble;
  expect(r.trialIds.length).toBeLessThanOrEqual(2);
  expect(await reg.evaluate(val.x, val.target)).toBeCloseTo(r.valMetric, 4);
  reg.dispose();
});

test('ensemble must be a positive integer', () => {
  expect(() => new ImageClassifier({ ensemble: 0 })).toThrow(/`ensemble`, expected a positive integer/);
  expect(() => new ImageClassifier({ ensemble: 2.5 })).toThrow(/`ensemble`, expected a positive integer/);
});
