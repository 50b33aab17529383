import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Preprocessing } from '../../src/data';
import { InputDataError } from '../../src/errors';
import { ImageClassifier, ImageRegressor } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, tinyCnn } from '../tasks/fixtures';
import type { ErrorCase } from './harness';
import { expectTypedError } from './harness';

// Every bad data argument of the task classes: typed error, clear message, no leaked tensor, no file.
const base: AutoModelOptions = { seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 1, augment: false, searchThread: false, generators: [tinyCnn] };
const d = patterns(24, 1);
let root: string;
let clf: ImageClassifier;
let reg: ImageRegressor;

const disposed = (t: tf.Tensor): tf.Tensor => { t.dispose(); return t; };
const fit = (x: unknown, y: unknown, dir?: string) => new ImageClassifier({ ...base, ...(dir ? { directory: path.join(root, dir) } : {}) }).fit(x as never, y as never, { timeLimit: 30 });
const fitReg = (x: unknown, y: unknown) => new ImageRegressor(base).fit(x as never, y as never, { timeLimit: 30 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-errors-data-'));
  clf = await new ImageClassifier(base).fit(d.x, d.labels, { timeLimit: 30 });
  reg = await new ImageRegressor(base).fit(d.x, d.target, { timeLimit: 30 });
});
afterAll(async () => {
  clf.dispose();
  reg.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

const cases: ErrorCase[] = [
  { name: 'fit: x as {data: BigInt64Array}', call: () => fit({ data: new BigInt64Array(24 * 64), shape: [24, 8, 8] }, d.labels, 'a'), error: InputDataError, message: /`x.data`.*BigInt64Array/ },
  { name: 'fit: y as a BigInt64Array', call: () => fit(d.x, new BigInt64Array(24), 'a'), error: InputDataError, message: /`y`.*BigInt64Array/ },
  { name: 'fit: regression y as a BigUint64Array', call: () => fitReg(d.x, new BigUint64Array(24)), error: InputDataError, message: /`y`.*BigUint64Array/ },
  { name: 'fit: x as a DataView', call: () => fit({ data: new DataView(new ArrayBuffer(8)), shape: [2] }, d.labels), error: InputDataError, message: /`x.data`.*DataView/ },
  { name: 'fit: disposed x tensor', call: () => fit(disposed(tf.tensor(d.x)), d.labels, 'a'), error: InputDataError, message: /`x`, expected a tensor that is not disposed/ },
  { name: 'fit: disposed y tensor', call: () => fit(d.x, disposed(tf.tensor1d(d.target)), 'a'), error: InputDataError, message: /`y`, expected a tensor that is not disposed/ },
  { name: 'fit: disposed string y tensor', call: () => fit(d.x, disposed(tf.tensor1d(d.labels, 'string')), 'a'), error: InputDataError, message: /`y`.*disposed string tensor/ },
  { name: 'fit: empty x', call: () => fit([], [], 'a'), error: InputDataError, message: /`x`, expected at least one sample.*x is empty/ },
  { name: 'fit: empty x with labels', call: () => fit([], d.labels, 'a'), error: InputDataError, message: /x is empty/ },
  { name: 'fit: zero-width images', call: () => fit({ data: [], shape: [24, 8, 0] }, d.labels, 'a'), error: InputDataError, message: /`x`.*shape \[24, 8, 0\]/ },
  { name: 'fit: zero channels', call: () => fit({ data: [], shape: [24, 8, 8, 0] }, d.labels), error: InputDataError, message: /`x`.*\[24, 8, 8, 0\]/ },
  { name: 'fit: NaN in x', call: () => fit(d.x.map((img, i) => (i === 23 ? img.map((r) => r.map(() => NaN)) : img)), d.labels), error: InputDataError, message: /`x`, expected finite values/ },
  { name: 'fit: x and y lengths differ', call: () => fit(d.x, d.labels.slice(1), 'a'), error: InputDataError, message: /`y`, expected as many samples as `x` \(24\)/ },
  { name: 'predict: disposed tensor', call: () => clf.predict(disposed(tf.tensor(d.x))), error: InputDataError, message: /`x`, expected a tensor that is not disposed/ },
  { name: 'predictProba: BigInt64Array data', call: () => clf.predictProba({ data: new BigInt64Array(64), shape: [1, 8, 8] } as never), error: InputDataError, message: /BigInt64Array/ },
  { name: 'predict: empty x', call: () => clf.predict([]), error: InputDataError, message: /x is empty/ },
  // Images of another size are resized (issue 22); another channel count cannot be.
  { name: 'predict: wrong channel count', call: () => clf.predict([[[[1, 2, 3], [3, 4, 5]]]]), error: InputDataError, message: /`x`, expected images with 1 channel\(s\) \(as in fit\)/ },
  { name: 'evaluate: 6 images, 5 labels', call: () => clf.evaluate(d.x.slice(0, 6), d.labels.slice(0, 5)), error: InputDataError, message: /`y`, expected as many samples as `x` \(6\). Received: y=5 samples/ },
  { name: 'evaluate (regressor): 6 images, 5 targets', call: () => reg.evaluate(d.x.slice(0, 6), d.target.slice(0, 5)), error: InputDataError, message: /as many samples as `x` \(6\)/ },
  { name: 'evaluate: disposed y', call: () => clf.evaluate(d.x, disposed(tf.tensor1d(d.labels, 'string'))), error: InputDataError, message: /`y`.*disposed/ },
  { name: 'evaluate: unseen label', call: () => clf.evaluate(d.x.slice(0, 2), ['top', 'nope']), error: InputDataError, message: /nope/ },
  { name: 'fit: validationData of 3 images and 2 labels, before any trial', call: () => new ImageClassifier(base).fit(d.x, d.labels, { timeLimit: 30, validationData: [d.x.slice(0, 3), d.labels.slice(0, 2)] }), error: InputDataError, message: /`validationData\[1\]`, expected as many samples as `validationData\[0\]` \(3\)/ },
  { name: 'finalFit: xTest and yTest lengths differ', call: () => clf.finalFit(d.x, d.labels, d.x.slice(0, 4), d.labels.slice(0, 3), { epochs: 1 }), error: InputDataError, message: /`yTest`, expected as many samples as `xTest` \(4\)/ },
  { name: 'finalFit: disposed xTrain', call: () => clf.finalFit(disposed(tf.tensor(d.x)), d.labels, undefined, undefined, { epochs: 1 }), error: InputDataError, message: /`xTrain`.*disposed/ },
];

describe('bad data arguments of the task classes', () => {
  it.each(cases)('$name', async (c) => {
    await expectTypedError(c, root);
  });

  it('an empty x is named before the labels are looked at (Preprocessing.fit)', () => {
    expect(() => Preprocessing.fit([], [], { task: 'classification' })).toThrow(/`x`, expected at least one sample/);
  });
});
