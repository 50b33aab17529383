import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileGraph } from '../../src/compile';
import { Preprocessing } from '../../src/data';
import { exportModel, loadExportedModel, withScalingLayers } from '../../src/persist';
import { InputDataError } from '../../src/errors';
import { Rng } from '../../src/util/rng';
import { smallCnn } from '../helpers/graphs';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ak-export-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('exportModel / loadExportedModel', () => {
  it('writes a plain tfjs model that loads back with identical predictions, plus preprocessing', async () => {
    const images = { data: Uint8Array.from({ length: 6 * 64 }, (_, i) => (i * 37) % 256), shape: [6, 8, 8] };
    const { prep, x, y } = Preprocessing.fit(images, [0, 1, 2, 0, 1, 2], { task: 'classification' });
    const model = compileGraph(smallCnn(), { rng: new Rng(4) });
    const out = path.join(dir, 'best');
    await exportModel(model, out, prep.toJSON());
    expect((await fs.readdir(out)).sort()).toEqual(['model.json', 'preprocessing.json', 'weights.bin']);
    const doc = JSON.parse(await fs.readFile(path.join(out, 'model.json'), 'utf8'));
    expect(doc.format).toBe('layers-model');
    expect(doc.weightsManifest[0].paths).toEqual(['weights.bin']);

    const before = tf.memory().numTensors;
    const { model: loaded, preprocessing } = await loadExportedModel(out);
    const prep2 = Preprocessing.fromJSON(preprocessing);
    const x2 = prep2.transformX(images);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x2) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(prep2.decode(b)).toEqual(prep.decode(a));
    tf.dispose([x2, a, b]);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('withScalingLayers: a new model with its own weights that scales then runs the model; bad stages are typed errors', async () => {
    const model = compileGraph(smallCnn(), { rng: new Rng(4) });
    const before = tf.memory().numTensors;
    const scaled = await withScalingLayers(model, { inputShape: [8, 8], input: { scale: [2], offset: [-1] } });
    const diff = tf.tidy(() => {
      const raw = tf.randomUniform([3, 8, 8]);
      const a = scaled.predict(raw) as tf.Tensor;
      const b = model.predict(raw.mul(2).sub(1).expandDims(-1)) as tf.Tensor;
      return a.sub(b).abs().max().dataSync()[0]!;
    });
    expect(diff).toBeLessThan(1e-6);
    scaled.dispose(); // the original model keeps its weights
    const again = tf.tidy(() => model.predict(tf.zeros([1, 8, 8, 1])) as tf.Tensor);
    expect(again.isDisposed).toBe(false);
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(withScalingLayers(model, { inputShape: [3, 3] })).rejects.toThrow(InputDataError);
    await expect(withScalingLayers(model, { input: { scale: [NaN], offset: [0] } })).rejects.toThrow(/finite scale and offset/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('names a missing or malformed model file', async () => {
    await expect(loadExportedModel(path.join(dir, 'none'))).rejects.toThrow(InputDataError);
    const bad = path.join(dir, 'bad');
    await fs.mkdir(bad);
    await fs.writeFile(path.join(bad, 'model.json'), '{"nope": 1}');
    await expect(loadExportedModel(bad)).rejects.toThrow(/model\.json is not a TensorFlow\.js layers model/);
  });
});
