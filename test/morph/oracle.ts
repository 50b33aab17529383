import * as tf from '@tensorflow/tfjs';
import { compileGraph, readWeights } from '../../src/compile';
import { Graph } from '../../src/graph';
import type { SpatialRank, WeightTensor } from '../../src/graph';
import { Rng } from '../../src/util/rng';

/** The parent with weights: glorot kernels from compileGraph, then random biases and batchnorm statistics. */
export function withWeights(graph: Graph, seed = 1): Graph {
  const model = compileGraph(graph, { rng: new Rng(seed) });
  const g = readWeights(model, graph);
  model.dispose();
  return perturb(g, new Rng(seed + 1000));
}

/** Random biases U(-0.2, 0.2); batchnorm gamma U(0.5, 1.5), beta U(-0.5, 0.5), mean U(-0.5, 0.5), variance U(0.3, 2). */
export function perturb(graph: Graph, rng: Rng): Graph {
  const g = graph.clone();
  const fill = (w: WeightTensor, lo: number, hi: number): WeightTensor => ({ shape: w.shape, data: w.data.map(() => rng.uniform(lo, hi)) });
  for (const l of g.layers) {
    const w = (l as { weights?: Record<string, WeightTensor> }).weights;
    if (!w) continue;
    if (l.kind === 'embedding') {
      g.setWeights(l.id, { embeddings: fill(w.embeddings!, -0.5, 0.5) });
    } else if (l.kind === 'batchnorm') {
      g.setWeights(l.id, { gamma: fill(w.gamma!, 0.5, 1.5), beta: fill(w.beta!, -0.5, 0.5), movingMean: fill(w.movingMean!, -0.5, 0.5), movingVariance: fill(w.movingVariance!, 0.3, 2) });
    } else {
      g.setWeights(l.id, { kernel: w.kernel!, bias: fill(w.bias!, -0.2, 0.2) });
    }
  }
  return g;
}

/** Trains the graph a few Adam steps on random data (non-trivial weights and batchnorm statistics). */
export async function trained(graph: Graph, steps = 3, seed = 5): Promise<Graph> {
  const model = compileGraph(graph, { rng: new Rng(seed) });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const x = batch(graph, seed, 16);
  const y = tf.randomNormal([16, ...graph.outputShape], 0, 1, 'float32', seed + 1);
  await model.fit(x, y, { epochs: steps, batchSize: 8, verbose: 0, shuffle: false });
  const g = readWeights(model, graph);
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return g;
}

/** The graph's predictions (inference mode) on `x`, and its compiled parameter count. */
export function predict(graph: Graph, x: tf.Tensor): { y: Float32Array; params: number } {
  const model = compileGraph(graph);
  const out = model.predict(x) as tf.Tensor;
  const y = out.dataSync() as Float32Array;
  const params = model.countParams();
  out.dispose();
  model.dispose();
  return { y: Float32Array.from(y), params };
}

/** `max |a - b| / max |a|`: the error relative to the output's scale. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

/** A random batch of `n` for the graph's input: normal values, or token ids (as float32) where an embedding reads the input. */
export function batch(graph: Graph, seed = 7, n = 4): tf.Tensor {
  const embedding = graph.consumers(graph.input).find((l) => l.kind === 'embedding');
  if (embedding?.kind === 'embedding') {
    return tf.tidy(() => tf.floor(tf.randomUniform([n, ...graph.inputShape], 0, embedding.inputDim, 'float32', seed)));
  }
  return tf.randomNormal([n, ...graph.inputShape], 0, 1, 'float32', seed);
}

/**
 * Compiles parent and child, feeds the same batch; returns the relative error of the child's outputs
 * and checks that the child validates and its paramCount equals the compiled count.
 */
export function compare(parent: Graph, child: Graph, seed = 7): number {
  child.validate();
  const x = batch(parent, seed);
  const p = predict(parent, x);
  const c = predict(child, x);
  x.dispose();
  expect(c.params).toBe(child.paramCount());
  return relativeError(p.y, c.y);
}

/**
 * A CNN touching every morph path, with a linear head: conv, batchnorm, relu, add, maxpool,
 * a concatenated 1x1 branch, a strided conv, flatten, dense, dropout.
 */
export function mixedCnn(rank: SpatialRank = 2, side = 8): Graph {
  const g = Graph.create([...Array(rank).fill(side), 2]);
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
  x = g.addLayer(conv(3, 3, 2), x);
  x = g.addLayer({ kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }, x);
  x = g.addLayer({ kind: 'flatten' }, x);
  x = g.addLayer({ kind: 'dense', units: 6 }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'dropout', rate: 0.25 }, x);
  x = g.addLayer({ kind: 'dense', units: 3 }, x);
  g.setOutput(x);
  return g;
}

/** A vector-input MLP with a linear head. */
export function vectorMlp(features = 5): Graph {
  const g = Graph.create([features]);
  let x = g.addLayer({ kind: 'dense', units: 6 }, g.input);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'dense', units: 4 }, x);
  x = g.addLayer({ kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }, x);
  x = g.addLayer({ kind: 'dense', units: 2 }, x);
  g.setOutput(x);
  return g;
}
