import { Graph } from '../src/graph';
import type { LayerSpec } from '../src/graph';

/**
 * The reference networks of ../shared/bench/torch_reference.py as Graphs (28x28x1 inputs, 10 classes).
 * The softmax at the end stands in for PyTorch's CrossEntropyLoss on logits.
 */
const conv3 = (filters: number): LayerSpec => ({ kind: 'conv', rank: 2, filters, kernelSize: 3, strides: 1, padding: 'same' });
const pool2: LayerSpec = { kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' };
const bn: LayerSpec = { kind: 'batchnorm', epsilon: 1e-5, momentum: 0.9 };
const relu: LayerSpec = { kind: 'relu' };

function chain(specs: LayerSpec[]): Graph {
  const g = Graph.create([28, 28, 1]);
  let x = g.input;
  for (const spec of specs) x = g.addLayer(spec, x);
  g.setOutput(x);
  return g;
}

/** conv3x3(32)+relu, batchnorm, maxpool2, conv3x3(64)+relu, maxpool2, flatten, dense(10). */
export function smallCnnNet(): Graph {
  return chain([conv3(32), relu, bn, pool2, conv3(64), relu, pool2, { kind: 'flatten' }, { kind: 'dense', units: 10 }, { kind: 'softmax' }]);
}

/** 3 x [conv3x3(64) + batchnorm + relu + maxpool2], global-avg-pool, dense(10). */
export function akCnnNet(): Graph {
  const block = [conv3(64), bn, relu, pool2];
  return chain([...block, ...block, ...block, { kind: 'globalavgpool' }, { kind: 'dense', units: 10 }, { kind: 'softmax' }]);
}

/** flatten, dense(256)+relu, dropout(0.25), dense(256)+relu, dense(10). */
export function mlpNet(): Graph {
  return chain([{ kind: 'flatten' }, { kind: 'dense', units: 256 }, relu, { kind: 'dropout', rate: 0.25 },
    { kind: 'dense', units: 256 }, relu, { kind: 'dense', units: 10 }, { kind: 'softmax' }]);
}

/** The networks by the names torch_reference.py prints. */
export const NETWORKS: Record<string, () => Graph> = { 'small-cnn': smallCnnNet, 'ak-cnn': akCnnNet, mlp: mlpNet };
