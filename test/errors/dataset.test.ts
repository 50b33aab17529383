import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Normalizer, Preprocessing } from '../../src/data';
import { InputDataError } from '../../src/errors';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, tinyCnn } from '../tasks/fixtures';
import { expectTypedError } from './harness';

// tf.data.Dataset inputs: malformed elements, non-finite values in any batch, no leaked tensor.
const base: AutoModelOptions = { seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 1, augment: false, searchThread: false, generators: [tinyCnn] };
const d = patterns(32, 1);
type Batch = { xs: tf.Tensor; ys: tf.Tensor };
let root: string;

/** A generator-backed dataset of batches of 8 (tensors made as it is read, like a real pipeline). */
function dataset(element: (i: number, pass: number) => tf.TensorContainer): tf.data.Dataset<Batch> {
  let pass = 0;
  return tf.data.generator(function* () {
    pass += 1;
    for (let i = 0; i < d.x.length; i++) yield element(i, pass);
  }).batch(8) as unknown as tf.data.Dataset<Batch>;
}
const good = (i: number) => ({ xs: tf.tensor2d(d.x[i]!), ys: tf.scalar(d.labels[i]!) });
const fit = (ds: unknown, directory?: string) => new ImageClassifier({ ...base, ...(directory ? { directory } : {}) }).fit(ds as never, undefined, { timeLimit: 30 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-errors-ds-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('fit on a tf.data.Dataset', () => {
  it.each([
    { name: 'elements {x, y} instead of {xs, ys}', el: (i: number) => ({ x: tf.tensor2d(d.x[i]!), y: tf.scalar(i % 2) }), message: /`x`, expected elements \{xs: tf.Tensor, ys: tf.Tensor\}.*element 0 is an object with keys \["x", "y"\]/ },
    { name: 'elements that are bare tensors', el: (i: number) => tf.tensor2d(d.x[i]!), message: /`x`, expected elements \{xs: tf.Tensor, ys: tf.Tensor\}/ },
    { name: 'string images', el: (i: number) => ({ xs: tf.tensor1d(['a', 'b'], 'string'), ys: tf.scalar(i % 2) }), message: /`x.xs`, expected a numeric tensor/ },
    { name: 'NaN only in the last batch', el: (i: number) => (i === 31 ? { xs: tf.fill([8, 8], NaN), ys: tf.scalar(d.labels[i]!) } : good(i)), message: /`x.xs \(batch 3\)`, expected finite values only/ },
    { name: 'Infinity in a middle batch', el: (i: number) => (i === 12 ? { xs: tf.fill([8, 8], Infinity), ys: tf.scalar(d.labels[i]!) } : good(i)), message: /`x.xs \(batch 1\)`, expected finite values only/ },
    { name: 'a zero-width batch', el: (i: number) => ({ xs: tf.zeros([8, 0]), ys: tf.scalar(d.labels[i]!) }), message: /`x.xs`.*zero-length axis/ },
  ])('$name: InputDataError before any trial, nothing written, no leak (twice)', async ({ el, message }) => {
    const directory = path.join(root, 'run');
    for (let i = 0; i < 2; i++) await expectTypedError({ name: '', call: () => fit(dataset(el), directory), error: InputDataError, message }, root);
  });

  it('a batch that turns bad after the statistics pass fails its trials without leaking (repeated)', async () => {
    // Clean while the preprocessing is fitted and validation held out (passes 1 and 2), NaN in the last batch afterwards.
    const ds = () => dataset((i, pass) => (pass > 2 && i === 31 ? { xs: tf.fill([8, 8], NaN), ys: tf.scalar(d.labels[i]!) } : good(i)));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) await expect(fit(ds())).rejects.toThrow(/No trial finished successfully.*`batches.xs`, expected finite values/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a normaliser with a non-finite statistic is never made nor saved', async () => {
    await expect(Normalizer.fitBatches([tf.tensor4d([1, NaN], [2, 1, 1, 1])])).rejects.toThrow(/statistics are not finite/);
    expect(() => Normalizer.fit(tf.tensor4d([1, Infinity], [2, 1, 1, 1]))).toThrow(InputDataError);
    const doc = Normalizer.fit(tf.tensor4d([1, 3], [2, 1, 1, 1])).toJSON();
    expect(() => Normalizer.fromJSON({ ...doc, mean: [null] })).toThrow(InputDataError);
    await expect(Preprocessing.fitBatches([{ xs: tf.tensor3d([1, 2, NaN, 4], [1, 2, 2]), ys: tf.tensor1d([1]) }], { task: 'regression' })).rejects.toThrow(/`batches.xs \(batch 0\)`, expected finite values/);
    await expect(Preprocessing.fitBatches([{ xs: tf.tensor3d([1, 2, 3, 4], [1, 2, 2]), ys: tf.tensor1d([NaN]) }], { task: 'regression' })).rejects.toThrow(/`batches.ys \(batch 0\)`, expected finite values/);
  });
});
