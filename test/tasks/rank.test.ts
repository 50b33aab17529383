import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError } from '../../src/errors';
import { Graph } from '../../src/graph';
import type { GraphGenerator, Head } from '../../src/generators';
import { CnnGenerator } from '../../src/generators';
import { ImageClassifier, ImageRegressor, StructuredDataClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { Rng } from '../../src/util/rng';
import { denseHead } from './fixtures';

// Issue 22 item 4: 1D and 3D data through the task API (`rank`), fit -> predict -> export -> load.

/** A tiny conv net of the input's rank (1: [L, C], 3: [D, H, W, C]). */
const tinyConv: GraphGenerator = {
  name: 'tiny-conv',
  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const rank = (inputShape.length - 1) as 1 | 2 | 3;
    const g = Graph.create(inputShape);
    let x = g.addLayer({ kind: 'conv', rank, filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, g.input);
    x = g.addLayer({ kind: 'relu' }, x);
    x = g.addLayer({ kind: 'maxpool', rank, poolSize: 2, strides: 2, padding: 'valid' }, x);
    return denseHead(g, x, 6, numOutputs, head);
  },
};

/** `n` samples of `shape` (no channel axis), uint8-range; class 1 is bright in its first half along axis 0. */
function samples(n: number, shape: number[], seed: number): { x: tf.Tensor; labels: number[]; target: number[] } {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n * size);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(2);
    labels.push(c);
    for (let k = 0; k < size; k++) data[i * size + k] = (c === 1 && k < size / 2 ? 180 : 40) + rng.int(30);
  }
  return { x: tf.tensor(data, [n, ...shape]), labels, target: labels.map((c) => c * 2 + 1) };
}

const base: AutoModelOptions = { seed: 2, backend: 'cpu', maxTrials: 2, epochsPerTrial: 2, generators: [tinyConv], executor: 'in-process' };

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-rank-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe.each([
  { rank: 1 as const, shape: [12], convClass: 'Conv1D' },
  { rank: 3 as const, shape: [4, 6, 6], convClass: 'Conv3D' },
])('rank $rank', ({ rank, shape, convClass }) => {
  it('classifier: fit (a generated trial and a morphed child) -> predict -> export -> plain tfjs and load give predictProba; no leaks', async () => {
    const before = tf.memory().numTensors;
    const train = samples(40, shape, 1);
    const test = samples(6, shape, 2);
    const clf = await new ImageClassifier({ ...base, rank }).fit(train.x, train.labels, { timeLimit: 60 });
    expect(clf.history.map((t) => t.status)).toEqual(['ok', 'ok']);
    expect(clf.history[1]!.parentId).toBe(0); // the second trial is a morph of the first
    const proba = await clf.predictProba(test.x);
    expect(proba).toHaveLength(6);
    const dir = path.join(root, `clf-${rank}`);
    await clf.export(dir);
    const model = await tf.loadLayersModel(tf.io.fromMemory(await readArtifacts(dir)));
    expect(model.inputs[0]!.shape).toEqual([null, ...shape]);
    expect(model.layers.some((l) => l.getClassName() === convClass)).toBe(true);
    const out = model.predict(test.x) as tf.Tensor;
    (out.arraySync() as number[][]).forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - proba[i]![j]!)).toBeLessThan(1e-5)));
    const loaded = await ImageClassifier.load(dir, { backend: 'cpu' });
    expect(await loaded.predict(test.x)).toEqual(await clf.predict(test.x));
    tf.dispose([out, train.x, test.x]);
    model.dispose();
    clf.dispose(); loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('regressor with the default CNN generator of that rank', async () => {
    const train = samples(30, shape, 3);
    const reg = await new ImageRegressor({ ...base, rank, maxTrials: 1, generators: [new CnnGenerator()] }).fit(train.x, train.target, { timeLimit: 60 });
    expect(reg.bestGraph.layers.some((l) => l.kind === 'conv' && l.rank === rank)).toBe(true);
    const predicted = await reg.predict(train.x);
    expect(predicted).toHaveLength(30);
    // Its batch normalisation (folded for 3D) and pooling survive the export to plain tfjs.
    const dir = path.join(root, `reg-${rank}`);
    await reg.export(dir);
    const model = await tf.loadLayersModel(tf.io.fromMemory(await readArtifacts(dir)));
    const out = model.predict(train.x) as tf.Tensor;
    (out.arraySync() as number[][]).forEach((row, i) => expect(Math.abs(row[0]! - predicted[i]![0]!)).toBeLessThan(1e-4));
    out.dispose();
    model.dispose();
    train.x.dispose();
    reg.dispose();
  });
});

async function readArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const doc = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const bytes = await fs.readFile(path.join(dir, 'weights.bin'));
  return { modelTopology: doc.modelTopology, weightSpecs: doc.weightsManifest[0].weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
}

describe('rank option checks', () => {
  it('typed errors for a bad rank, augmentation or imageSize with rank 1/3, and rank on structured tasks; data of the wrong rank', async () => {
    expect(() => new ImageClassifier({ rank: 4 as never })).toThrow(/`rank`, expected 1 \(sequences/);
    expect(() => new ImageClassifier({ rank: 3, augment: true })).toThrow(ArgumentError);
    expect(() => new ImageClassifier({ rank: 1, imageSize: [4, 4] })).toThrow(/`imageSize`/);
    expect(() => new StructuredDataClassifier({ rank: 1 })).toThrow(/`rank`, expected unset for structured data/);
    expect(new ImageClassifier({ rank: 3 }).options.augment).toBe(false);
    const x = tf.zeros([4, 5, 5]);
    await expect(new ImageClassifier({ ...base, rank: 3 }).fit(x, [0, 1, 0, 1])).rejects.toThrow(/\[N, D, H, W\] or \[N, D, H, W, C\]/);
    x.dispose();
  });
});
