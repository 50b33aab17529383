import * as tf from '@tensorflow/tfjs';
import { Graph } from '../../src/graph';
import { DEFAULTS } from '../../src/options';
import { trainGraph } from '../../src/train';
import { Rng } from '../../src/util/rng';
import { toyClassification } from './toy';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** conv -> batchnorm (library defaults) -> relu -> flatten -> dense -> softmax. */
function bnNet(): Graph {
  const g = Graph.create([4, 4, 1]);
  let x = g.addLayer({ kind: 'conv', rank: 2, filters: 8, kernelSize: 3, strides: 1, padding: 'same' }, g.input);
  x = g.addLayer({ kind: 'batchnorm', epsilon: DEFAULTS.layers.batchNormEpsilon, momentum: DEFAULTS.layers.batchNormMomentum }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'flatten' }, x);
  x = g.addLayer({ kind: 'dense', units: 3 }, x);
  g.setOutput(g.addLayer({ kind: 'softmax' }, x));
  return g;
}

describe('batch normalisation on small data', () => {
  it('moving statistics settle within three short epochs, so inference-mode validation works', async () => {
    // Inputs far from zero mean / unit variance: inference uses moving statistics that start at (0, 1).
    const train = toyClassification(96, 1);
    const val = toyClassification(48, 2);
    const data = { x: train.x.mul(10).add(20), y: train.y, xVal: val.x.mul(10).add(20), yVal: val.y };
    const result = await trainGraph(bnNet(), data, { task: 'classification', rng: new Rng(1), epochs: 3, patience: 3, batchSize: 8, lrSchedule: 'constant' });
    expect(result.status).toBe('ok');
    expect(result.metric).toBeGreaterThan(0.9); // 1.00 with momentum 0.9; 0.65 with Keras's 0.99
    tf.dispose([train.x, train.y, val.x, val.y, data.x, data.xVal]);
  });
});
