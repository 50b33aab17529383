import { Graph } from '../../src/graph';
import type { SpatialRank } from '../../src/graph';

/** A small CNN using conv, batchnorm, relu, maxpool, avgpool, add, concatenate, dropout, globalavgpool, dense, softmax. */
export function smallCnn(rank: SpatialRank = 2, side = 8, channels = 1, classes = 3): Graph {
  const g = Graph.create([...Array(rank).fill(side), channels]);
  const conv = (filters: number, k = 3, strides = 1) => ({ kind: 'conv' as const, rank, filters, kernelSize: k, strides, padding: 'same' as const });
  let x = g.addLayer(conv(4), g.input);
  x = g.addLayer({ kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  const branch = x;
  let y = g.addLayer(conv(4), x);
  y = g.addLayer({ kind: 'relu' }, y);
  x = g.addLayer({ kind: 'add' }, [y, branch]);
  x = g.addLayer({ kind: 'maxpool', rank, poolSize: 2, strides: 2, padding: 'valid' }, x);
  const c = g.addLayer(conv(2, 1), x);
  x = g.addLayer({ kind: 'concatenate' }, [x, c]);
  x = g.addLayer({ kind: 'avgpool', rank, poolSize: 2, strides: 2, padding: 'valid' }, x);
  x = g.addLayer({ kind: 'globalavgpool' }, x);
  x = g.addLayer({ kind: 'dropout', rate: 0.25 }, x);
  x = g.addLayer({ kind: 'dense', units: 5 }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'dense', units: classes }, x);
  x = g.addLayer({ kind: 'softmax' }, x);
  g.setOutput(x);
  return g;
}

/** An MLP using flatten. */
export function smallMlp(inputShape = [4, 4, 1], classes = 3): Graph {
  const g = Graph.create(inputShape);
  let x = g.addLayer({ kind: 'flatten' }, g.input);
  x = g.addLayer({ kind: 'dense', units: 8 }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'dense', units: classes }, x);
  x = g.addLayer({ kind: 'softmax' }, x);
  g.setOutput(x);
  return g;
}
