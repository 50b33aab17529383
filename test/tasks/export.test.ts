import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Preprocessing } from '../../src/data/preprocessing';
import { exportModel as writeExport } from '../../src/persist/export';
import { CnnGenerator } from '../../src/generators';
import { ImageClassifier, ImageRegressor, StructuredDataRegressor } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, plainLoad, tinyCnn } from './fixtures';

const train = patterns(60, 1);
const test = patterns(12, 2);
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 1, epochsPerTrial: 2, augment: false, generators: [tinyCnn], executor: 'in-process' };

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-export-task-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

const pixels = (x: number[][][]) => tf.tensor(Uint8Array.from(x.flat(2)), [x.length, 8, 8], 'int32');

function expectClose(a: number[][], b: number[][], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThan(tol)));
}

describe('export: one plain tfjs model that does its own preprocessing', () => {
  it('classifier: plain tf.loadLayersModel + predict on raw uint8 pixels equals predictProba; exportModel() in memory too; load() reads it back; no leaks', async () => {
    const before = tf.memory().numTensors;
    const clf = await new ImageClassifier(base).fit(train.x, train.labels, { timeLimit: 60 });
    const proba = await clf.predictProba(test.x);
    const dir = path.join(root, 'clf');
    await clf.export(dir);
    const prepDoc = JSON.parse(await fs.readFile(path.join(dir, 'preprocessing.json'), 'utf8'));
    expect(prepDoc.version).toBe(2);
    expect(prepDoc.exported).toEqual({ inputShape: [8, 8], inputScaling: true, targetScaling: false });
    expect(prepDoc.labels.classes).toEqual(clf.classes);

    const plain = await plainLoad(dir);
    expect(plain.inputs[0]!.shape).toEqual([null, 8, 8]); // the rank given to fit, no channel axis
    expect(plain.layers.map((l) => l.getClassName()).slice(0, 3)).toEqual(['InputLayer', 'Reshape', 'Dense']);
    const xs = pixels(test.x);
    const out = plain.predict(xs) as tf.Tensor;
    expectClose(out.arraySync() as number[][], proba, 1e-5);

    const inMemory = await clf.exportModel();
    const out2 = inMemory.predict(xs) as tf.Tensor;
    expectClose(out2.arraySync() as number[][], proba, 1e-5);
    tf.dispose([xs, out, out2]);
    plain.dispose();
    inMemory.dispose();

    const loaded = await ImageClassifier.load(dir, { backend: 'cpu' });
    expectClose(await loaded.predictProba(test.x), proba, 1e-5);
    expect(await loaded.predict(test.x)).toEqual(await clf.predict(test.x));
    expect(await loaded.evaluate(test.x, test.labels)).toBeCloseTo(await clf.evaluate(test.x, test.labels), 6);
    // Re-exporting a loaded export copies the model: its scaling layers are not added twice.
    const again = await loaded.exportModel();
    expect(again.layers.filter((l) => l.name === 'preprocess_scale')).toHaveLength(1);
    again.dispose();
    for (const m of [clf, loaded]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the default CNN (batch normalisation, dropout) loads in plain tfjs as well', async () => {
    // The default CNN's layers at a small width (one trial); morphed children are exported in rank.test.ts and contract.test.ts.
    const clf = await new ImageClassifier({ ...base, generators: [new CnnGenerator({ blocks: 2, filters: 4, denseUnits: 8 })], maxTrials: 1, epochsPerTrial: 1, searchThread: false }).fit(train.x, train.labels, { timeLimit: 120 });
    const proba = await clf.predictProba(test.x);
    const dir = path.join(root, 'cnn');
    await clf.export(dir);
    const plain = await plainLoad(dir);
    const kinds = new Set(plain.layers.map((l) => l.getClassName()));
    expect(kinds.has('BatchNormalization')).toBe(true);
    const xs = pixels(test.x);
    const out = plain.predict(xs) as tf.Tensor;
    expectClose(out.arraySync() as number[][], proba, 1e-5);
    tf.dispose([xs, out]);
    plain.dispose();
    clf.dispose();
  });

  it('an older export (preprocessing.json version 1, scaling not in the model) still loads and predicts the same', async () => {
    const clf = await new ImageClassifier(base).fit(train.x, train.labels, { timeLimit: 60 });
    const dir = path.join(root, 'v1');
    // What version 0.1 wrote: the search's model and the scaling in preprocessing.json only.
    const internal = (clf as unknown as { fitted: { model: tf.LayersModel; prep: Preprocessing } }).fitted;
    await writeExport(internal.model, dir, internal.prep.toJSON());
    const loaded = await ImageClassifier.load(dir, { backend: 'cpu' });
    expectClose(await loaded.predictProba(test.x), await clf.predictProba(test.x), 1e-6);
    // And exporting it again gives a version-2 folder whose plain model takes raw pixels.
    const dir2 = path.join(root, 'v1-again');
    await loaded.export(dir2);
    const plain = await plainLoad(dir2);
    const xs = pixels(test.x);
    const out = plain.predict(xs) as tf.Tensor;
    expectClose(out.arraySync() as number[][], await clf.predictProba(test.x), 1e-5);
    tf.dispose([xs, out]);
    plain.dispose();
    clf.dispose(); loaded.dispose();
  });

  it('regressor with [N, H, W, 1] inputs: the export takes the channel axis as given and outputs predict()', async () => {
    const x4 = tf.tensor(train.x).expandDims(-1);
    const reg = await new ImageRegressor(base).fit(x4, train.target, { timeLimit: 60 });
    x4.dispose();
    const dir = path.join(root, 'reg');
    await reg.export(dir);
    const plain = await plainLoad(dir);
    expect(plain.inputs[0]!.shape).toEqual([null, 8, 8, 1]);
    const xs = tf.tensor(test.x).expandDims(-1);
    const out = plain.predict(xs) as tf.Tensor;
    expectClose(out.arraySync() as number[][], await reg.predict(test.x), 1e-5);
    tf.dispose([xs, out]);
    plain.dispose();
    reg.dispose();
  });

  it('structured regression: the export takes encoded rows and undoes the target scaling in its last layer', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ a: i % 7, b: (i * 13) % 11, y: 100 + 5 * (i % 7) + (i % 3) }));
    const reg = await new StructuredDataRegressor({ seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 2, executor: 'in-process' }).fit(rows, 'y', { timeLimit: 60 });
    const dir = path.join(root, 'rows');
    await reg.export(dir);
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'preprocessing.json'), 'utf8'));
    expect(doc.exported).toEqual({ inputShape: [2], inputScaling: false, targetScaling: true });
    const prep = Preprocessing.fromJSON(doc);
    const encoded = prep.checkX(rows.slice(0, 5).map(({ a, b }) => ({ a, b })));
    const plain = await plainLoad(dir);
    const out = plain.predict(encoded) as tf.Tensor;
    const predicted = await reg.predict(rows.slice(0, 5));
    expectClose(out.arraySync() as number[][], predicted, 1e-3);
    const loaded = await StructuredDataRegressor.load(dir, { backend: 'cpu' });
    expectClose(await loaded.predict(rows.slice(0, 5)), predicted, 1e-3);
    // Exported again from the loaded folder: the same document, the same predictions (no second scaling).
    const again = path.join(root, 'rows-again');
    await loaded.export(again);
    expect(JSON.parse(await fs.readFile(path.join(again, 'preprocessing.json'), 'utf8')).exported).toEqual(doc.exported);
    const reloaded = await StructuredDataRegressor.load(again, { backend: 'cpu' });
    expectClose(await reloaded.predict(rows.slice(0, 5)), predicted, 1e-3);
    reloaded.dispose();
    tf.dispose([encoded, out]);
    plain.dispose();
    reg.dispose(); loaded.dispose();
  });
});
