import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError, InputDataError, NotFittedError } from '../../src/errors';
import { loadExportedModel } from '../../src/persist/export';
import { ImageClassifier, ImageRegressor } from '../../src/tasks';
import type { AutoModel, AutoModelOptions } from '../../src/tasks';
import { BayesianSearcher } from '../../src/search';
import type { SearcherConfig, TrialRecord } from '../../src/search';
import { patterns, tinyCnn } from './fixtures';

const train = patterns(90, 1);
const test = patterns(45, 2);
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 2, epochsPerTrial: 3, augment: false, generators: [tinyCnn], executor: 'in-process' };

type Case = { name: string; make: (o: AutoModelOptions) => AutoModel; y: (d: typeof train) => string[] | number[]; load: (dir: string, o: AutoModelOptions) => Promise<AutoModel> };
const cases: Case[] = [
  { name: 'ImageClassifier', make: (o) => new ImageClassifier(o), y: (d) => d.labels, load: (d, o) => ImageClassifier.load(d, o) },
  { name: 'ImageRegressor', make: (o) => new ImageRegressor(o), y: (d) => d.target, load: (d, o) => ImageRegressor.load(d, o) },
];

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-contract-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe.each(cases)('$name contract', ({ name, make, y, load }) => {
  it('checks options in the constructor with typed errors naming the option', () => {
    expect(() => make({ maxTrials: 0 })).toThrow(ArgumentError);
    expect(() => make({ maxTrials: 0 })).toThrow(/`maxTrials`, expected a positive integer. Received: maxTrials=0/);
    expect(() => make({ backend: 'gpu' as never })).toThrow(/`backend`/);
    expect(() => make({ resume: true })).toThrow(/`resume`/);
    expect(() => make({ validationSplit: 1.5 })).toThrow(/`validationSplit`/);
    expect(() => make({ timeLimit: 3 } as never)).toThrow(/`timeLimit`, expected a known option/);
    // A misspelt searcher option is an error naming the searcher's options, as a misspelt option is.
    expect(() => make({ searcherOptions: { maxdepth: 3 } })).toThrow(ArgumentError);
    expect(() => make({ searcherOptions: { maxdepth: 3 } })).toThrow(/`searcherOptions.maxdepth`, expected an option of the bayesian searcher \(.*maxDepth.*\). Received: searcherOptions.maxdepth=3/);
    expect(() => make({ searcher: 'random', searcherOptions: { beta: 1 } })).toThrow(/`searcherOptions.beta`, expected an option of the random searcher \(.*walkLength.*\)/);
    expect(() => make({ searcherOptions: { maxDepth: 2, beta: 1, liar: 'worst' } })).not.toThrow();
  });

  it('throws NotFittedError before fit', async () => {
    const m = make(base);
    await expect(m.predict(test.x)).rejects.toThrow(NotFittedError);
    await expect(m.evaluate(test.x, y(test))).rejects.toThrow(NotFittedError);
    await expect(m.export(path.join(root, 'never'))).rejects.toThrow(NotFittedError);
    await expect(m.finalFit(train.x, y(train))).rejects.toThrow(NotFittedError);
  });

  it('fit returns this, predicts in the user\'s terms, exports and loads to the same predictions; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const directory = path.join(root, `${name}-run`);
    // 6 epochs a trial: at 3 the score depended on which child the searcher picked (regression MSE 0.95 or 1.31).
    const m = make({ ...base, directory, epochsPerTrial: 6 });
    expect(await m.fit(train.x, y(train), { timeLimit: 60 })).toBe(m);
    expect(m.history.map((t) => t.id)).toEqual([0, 1]);
    const predicted = await m.predict(test.x);
    expect(predicted).toHaveLength(45);
    const score = await m.evaluate(test.x, y(test));
    if (name === 'ImageClassifier') {
      expect(new Set(predicted as string[]).size).toBeGreaterThan(1);
      expect((predicted as string[]).every((p) => ['top', 'left', 'flat'].includes(p))).toBe(true);
      expect(score).toBeGreaterThan(0.6); // three balanced classes: chance is ~0.33
    } else {
      expect(score).toBeLessThan(1.0); // target variance is 1.5
    }
    const exportDir = path.join(root, `${name}-export`);
    await m.export(exportDir);
    // What a user without autokeras-ts does: the tfjs model on the raw pixels (its first layers scale them).
    const { model } = await loadExportedModel(exportDir);
    const manual = tf.tidy(() => (model.predict(tf.tensor(test.x)) as tf.Tensor).arraySync() as number[][]);
    if (m instanceof ImageClassifier) {
      const proba = await m.predictProba(test.x);
      manual.forEach((row, i) => row.forEach((p, j) => expect(p).toBeCloseTo(proba[i]![j]!, 5)));
    } else {
      manual.forEach((row, i) => expect(row[0]).toBeCloseTo((predicted as number[][])[i]![0]!, 5));
    }
    const again = await load(directory, { backend: 'cpu' });
    expect(await again.predict(test.x)).toEqual(predicted);
    const fromExport = await load(exportDir, { backend: 'cpu' });
    // The export scales in float32 layers (x * (s / std) - mean / std): equal up to float32 rounding.
    const fromExportPredicted = await fromExport.predict(test.x);
    if (name === 'ImageClassifier') expect(fromExportPredicted).toEqual(predicted);
    else (fromExportPredicted as number[][]).forEach((r, i) => expect(r[0]).toBeCloseTo((predicted as number[][])[i]![0]!, 5));
    expect(model.outputs[0]!.shape[1]).toBe(name === 'ImageClassifier' ? 3 : 1);
    model.dispose();
    for (const x of [m, again, fromExport]) x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fit twice starts over; finalFit reports test data without stopping on it', async () => {
    const directory = path.join(root, `${name}-twice`);
    const m = make({ ...base, maxTrials: 1, directory });
    await m.fit(train.x, y(train), { timeLimit: 60 });
    await m.fit(train.x, y(train), { timeLimit: 60 });
    expect(m.history.map((t) => t.id)).toEqual([0]);
    await m.finalFit(train.x, y(train), test.x, y(test), { epochs: 2 });
    const report = m.finalFitReport!;
    expect(report.epochs).toBeGreaterThan(0);
    expect(report.testMetric).not.toBeNull();
    expect(report.history.every((e) => e.testMetric !== undefined)).toBe(true);
    m.dispose();
  });

  it('finalFit validates on validationData when given: the kept epoch\'s metric is the model\'s score on it; typed errors; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const m = make({ ...base, maxTrials: 1 });
    await m.fit(train.x, y(train), { timeLimit: 60, validationData: [test.x, y(test)] });
    const fitted = tf.memory().numTensors;
    await expect(m.finalFit(train.x, y(train), undefined, undefined, { epochs: 2, validationData: [test.x.map(() => [[[1, 2]]]) as never, y(test)] })) // 2 channels: not resizable
      .rejects.toThrow(/validationData\[0\]/);
    expect(tf.memory().numTensors).toBe(fitted);
    await m.finalFit(train.x, y(train), undefined, undefined, { epochs: 3, validationData: [test.x, y(test)] });
    const report = m.finalFitReport!;
    expect(report.epochs).toBe(3);
    expect(report.validationMetric).toBeCloseTo(await m.evaluate(test.x, y(test)), 5);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad data with typed errors naming the argument, and writes nothing', async () => {
    const directory = path.join(root, `${name}-bad`);
    const m = make({ ...base, directory });
    await expect(m.fit(train.x, y(train).slice(1) as never)).rejects.toThrow(InputDataError);
    await expect(m.fit(train.x.map(() => [[1, 2]]) as never, y(train) as never)).rejects.toThrow(/x/);
    const nan = train.x.map((img) => img.map((row) => row.slice()));
    nan[3]![2]![1] = NaN;
    await expect(m.fit(nan, y(train) as never)).rejects.toThrow(/finite/);
    if (name === 'ImageClassifier') await expect(m.fit(train.x, train.x.map(() => 'one'))).rejects.toThrow(/at least two classes/);
    expect(existsSync(directory)).toBe(false);
  });
});

describe('resume', () => {
  it('continues an interrupted search: all k trials kept, numbering continues', async () => {
    const directory = path.join(root, 'resume');
    const first = new ImageClassifier({ ...base, directory, maxTrials: 2 });
    await first.fit(train.x, train.labels, { timeLimit: 60 });
    first.dispose();
    const second = new ImageClassifier({ ...base, directory, maxTrials: 3, resume: true });
    await second.fit(train.x, train.labels, { timeLimit: 60 });
    expect(second.history.map((t) => t.id)).toEqual([0, 1, 2]);
    const history = JSON.parse(await fs.readFile(path.join(directory, 'history.json'), 'utf8'));
    expect(history.trials.map((t: { id: number }) => t.id)).toEqual([0, 1, 2]);
    second.dispose();
  });

  it('reports a corrupt directory instead of resetting it', async () => {
    const directory = path.join(root, 'corrupt');
    const m = new ImageClassifier({ ...base, directory, maxTrials: 1 });
    await m.fit(train.x, train.labels, { timeLimit: 60 });
    m.dispose();
    await fs.writeFile(path.join(directory, 'history.json'), '{ not json');
    const again = new ImageClassifier({ ...base, directory, resume: true });
    await expect(again.fit(train.x, train.labels, { timeLimit: 60 })).rejects.toThrow(/history\.json/);
    expect(await fs.readFile(path.join(directory, 'history.json'), 'utf8')).toBe('{ not json');
  });
});

describe('trial time cap', () => {
  it('stops each trial at trialTimeLimit (plus at most a batch), so the search moves on; the searcher gets searcherOptions and epoch times', async () => {
    const given: Array<Record<string, unknown> | undefined> = [];
    const observed: TrialRecord[] = [];
    const searcher = (config: SearcherConfig) => {
      given.push(config.options);
      const s = new BayesianSearcher(config);
      const observe = s.observe.bind(s);
      s.observe = (t) => { observed.push(t); observe(t); };
      return s;
    };
    const m = new ImageClassifier({ ...base, maxTrials: 2, epochsPerTrial: 10_000, patience: 10_000, trialTimeLimit: 1.5, searcher, searcherOptions: { minTrialEpochs: 1 } });
    await m.fit(train.x, train.labels, { timeLimit: 60 });
    expect(m.history).toHaveLength(2);
    for (const t of m.history) {
      expect(t.seconds).toBeLessThan(2.5);
      expect(t.epochs).toBeGreaterThanOrEqual(1);
      expect(t.stoppedBy).toBe('deadline');
    }
    expect(given).toEqual([{ proposeTimeLimit: 5, minTrialEpochs: 1 }]);
    // The mean whole-epoch time is recorded and reaches the searcher (a cut last epoch does not count).
    for (const t of m.history) {
      expect(t.epochSeconds).toBeGreaterThan(0);
      expect(t.epochSeconds! * (t.epochs - 1)).toBeLessThanOrEqual(t.seconds);
    }
    expect(observed.map((t) => t.epochSeconds)).toEqual(m.history.map((t) => t.epochSeconds));
    expect(() => new ImageClassifier({ trialTimeLimit: -1 })).toThrow(/`trialTimeLimit`/);
    expect(() => new ImageClassifier({ searcherOptions: [1] as never })).toThrow(/`searcherOptions`/);
    m.dispose();
  });
});
