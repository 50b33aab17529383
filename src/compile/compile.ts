import * as tf from '@tensorflow/tfjs';
import { UnsupportedError } from '../errors';
import { Graph } from '../graph/graph';
import type { Layer, WeightTensor } from '../graph/layers';
import { isWeighted } from '../graph/layers';
import { Rng } from '../util/rng';
import { useFusedBatchNorm } from './fused-batchnorm';
import { skipEagerInputGradient } from './input-conv';
import { useSeededDropout } from './seeded-dropout';

/** Options of {@link compileGraph}. */
export interface CompileOptions {
  /**
   * Seeds the initialisers of layers without weights and the training masks of dropout layers
   * (`useSeededDropout`; default: seed 0).
   */
  rng?: Rng;
  /** Model name (default `autokeras_graph`). */
  name?: string;
}

/** The tfjs layer name of a Graph layer: `L<id>`. */
export function layerName(id: number): string {
  return `L${id}`;
}

/** tfjs weight order for each weighted kind. */
export const WEIGHT_ORDER: Record<'conv' | 'dense' | 'batchnorm' | 'embedding', string[]> = {
  conv: ['kernel', 'bias'],
  embedding: ['embeddings'],
  dense: ['kernel', 'bias'],
  batchnorm: ['gamma', 'beta', 'movingMean', 'movingVariance'],
};

type Builder = (layer: Layer, rng: Rng) => (inputs: tf.SymbolicTensor[]) => tf.SymbolicTensor;

const single = (make: (l: Layer, rng: Rng) => tf.layers.Layer): Builder => (l, rng) => {
  const layer = make(l, rng);
  return (inputs) => layer.apply(inputs[0]!) as tf.SymbolicTensor;
};

/** tfjs layer constructors by kind (a registry, not a switch). */
const BUILDERS: Record<Layer['kind'], Builder> = {
  conv: (l, rng) => {
    if (l.kind !== 'conv') throw new Error('unreachable');
    const args = {
      name: layerName(l.id), filters: l.filters, kernelSize: l.kernelSize, strides: l.strides, padding: l.padding,
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }), biasInitializer: 'zeros' as const,
    };
    const layer = l.rank === 1 ? tf.layers.conv1d(args) : l.rank === 2 ? tf.layers.conv2d(args) : tf.layers.conv3d(args);
    return (inputs) => {
      // Training never needs the gradient of the data: keep the fused convolution from computing it.
      if (l.rank === 2 && inputs[0]!.sourceLayer.getClassName() === 'InputLayer') skipEagerInputGradient(layer);
      return layer.apply(inputs[0]!) as tf.SymbolicTensor;
    };
  },
  batchnorm: (l) => (inputs) => {
    if (l.kind !== 'batchnorm') throw new Error('unreachable');
    const bn = tf.layers.batchNormalization({ name: layerName(l.id), axis: -1, epsilon: l.epsilon, momentum: l.momentum });
    useFusedBatchNorm(bn);
    const x = inputs[0]!;
    const shape = x.shape.slice(1) as number[];
    if (shape.length <= 3) return bn.apply(x) as tf.SymbolicTensor;
    // tfjs batch normalisation stops at rank 4: fold the spatial axes (per-channel statistics are unchanged).
    const folded = tf.layers.reshape({ name: `${layerName(l.id)}_fold`, targetShape: foldSpatial(shape) }).apply(x);
    const normed = bn.apply(folded);
    return tf.layers.reshape({ name: `${layerName(l.id)}_unfold`, targetShape: shape }).apply(normed) as tf.SymbolicTensor;
  },
  relu: single((l) => tf.layers.reLU({ name: layerName(l.id) })),
  softmax: single((l) => tf.layers.softmax({ name: layerName(l.id), axis: -1 })),
  sigmoid: single((l) => tf.layers.activation({ name: layerName(l.id), activation: 'sigmoid' })),
  maxpool: single((l) => pool(l, 'max')),
  avgpool: single((l) => pool(l, 'avg')),
  dropout: single((l, rng) => {
    if (l.kind !== 'dropout') throw new Error('unreachable');
    const layer = tf.layers.dropout({ name: layerName(l.id), rate: l.rate });
    useSeededDropout(layer, rng.fork());
    return layer;
  }),
  dense: single((l, rng) => {
    if (l.kind !== 'dense') throw new Error('unreachable');
    return tf.layers.dense({ name: layerName(l.id), units: l.units, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.seed() }) });
  }),
  flatten: single((l) => tf.layers.flatten({ name: layerName(l.id) })),
  // tfjs' embedding casts its float32 id input to int32; uniform(+-0.05) is Keras' default initialiser, seeded here.
  embedding: single((l, rng) => {
    if (l.kind !== 'embedding') throw new Error('unreachable');
    return tf.layers.embedding({ name: layerName(l.id), inputDim: l.inputDim, outputDim: l.outputDim, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.seed() }) });
  }),
  globalmaxpool: (l) => (inputs) => {
    const x = inputs[0]!;
    const shape = x.shape.slice(1) as number[];
    if (shape.length === 3) return tf.layers.globalMaxPooling2d({ name: layerName(l.id) }).apply(x) as tf.SymbolicTensor;
    // 1D directly; 3D folded into one spatial axis first (tfjs has no 3D global pooling).
    const folded = shape.length === 2 ? x : tf.layers.reshape({ name: `${layerName(l.id)}_fold`, targetShape: foldSpatial(shape) }).apply(x);
    return tf.layers.globalMaxPooling1d({ name: layerName(l.id) }).apply(folded) as tf.SymbolicTensor;
  },
  add: (l) => {
    const layer = tf.layers.add({ name: layerName(l.id) });
    return (inputs) => layer.apply(inputs) as tf.SymbolicTensor;
  },
  concatenate: (l) => {
    const layer = tf.layers.concatenate({ name: layerName(l.id), axis: -1 });
    return (inputs) => layer.apply(inputs) as tf.SymbolicTensor;
  },
  globalavgpool: (l) => (inputs) => {
    const x = inputs[0]!;
    const shape = x.shape.slice(1) as number[];
    if (shape.length === 2) return tf.layers.globalAveragePooling1d({ name: layerName(l.id) }).apply(x) as tf.SymbolicTensor;
    if (shape.length === 3) return tf.layers.globalAveragePooling2d({ name: layerName(l.id) }).apply(x) as tf.SymbolicTensor;
    // tfjs has no 3D global pooling: fold the spatial axes into one, then pool over it.
    const folded = tf.layers.reshape({ name: `${layerName(l.id)}_fold`, targetShape: foldSpatial(shape) }).apply(x);
    return tf.layers.globalAveragePooling1d({ name: layerName(l.id) }).apply(folded) as tf.SymbolicTensor;
  },
};

/** `[d1, ..., dk, C]` -> `[d1 * ... * dk, C]`. */
function foldSpatial(shape: number[]): number[] {
  return [shape.slice(0, -1).reduce((a, b) => a * b, 1), shape[shape.length - 1]!];
}

function pool(l: Layer, type: 'max' | 'avg'): tf.layers.Layer {
  if (l.kind !== 'maxpool' && l.kind !== 'avgpool') throw new Error('unreachable');
  const name = layerName(l.id);
  const { poolSize, strides, padding } = l;
  if (l.rank === 1) return type === 'max' ? tf.layers.maxPooling1d({ name, poolSize, strides, padding }) : tf.layers.averagePooling1d({ name, poolSize, strides, padding });
  if (l.rank === 2) return type === 'max' ? tf.layers.maxPooling2d({ name, poolSize, strides, padding }) : tf.layers.averagePooling2d({ name, poolSize, strides, padding });
  return type === 'max' ? tf.layers.maxPooling3d({ name, poolSize, strides, padding }) : tf.layers.averagePooling3d({ name, poolSize, strides, padding });
}

/**
 * Compiles a Graph into a `tf.LayersModel` (functional API). Layers are named `L<id>`; layers that
 * carry weights in the Graph get exactly those weights, the others are initialised from `rng`.
 * The model is not `compile()`d for training (the trainer does that).
 *
 * Input: `[batch, ...graph.inputShape]`; output: `[batch, ...graph.outputShape]`.
 *
 * @example
 * ```ts
 * const model = compileGraph(graph, { rng: new Rng(1) });
 * const y = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor; // [2, 10]
 * ```
 */
export function compileGraph(graph: Graph, options: CompileOptions = {}): tf.LayersModel {
  graph.validate();
  const rng = options.rng ?? new Rng(0);
  const input = tf.input({ shape: graph.inputShape, name: 'input' });
  const tensors = new Map<number, tf.SymbolicTensor>([[graph.input, input]]);
  const order = graph.topologicalOrder();
  for (const layer of order) {
    const build = BUILDERS[layer.kind];
    if (!build) throw new UnsupportedError(`The compiler has no tfjs translation for layer kind ${JSON.stringify(layer.kind)}`);
    tensors.set(layer.output, build(layer, rng)(layer.inputs.map((n) => tensors.get(n)!)));
  }
  const model = tf.model({ inputs: input, outputs: tensors.get(graph.output)!, name: options.name ?? 'autokeras_graph' });
  for (const layer of order) {
    const weights = (layer as { weights?: Record<string, WeightTensor> }).weights;
    if (!isWeighted(layer) || !weights) continue;
    const values = WEIGHT_ORDER[layer.kind].map((k) => tf.tensor(weights[k]!.data, weights[k]!.shape, 'float32'));
    model.getLayer(layerName(layer.id)).setWeights(values);
    tf.dispose(values);
  }
  return model;
}

/**
 * Reads a model's current weights back into a copy of the graph (the graph the model was compiled from,
 * or a structurally identical one). The input graph is not changed.
 *
 * @example
 * ```ts
 * await model.fit(x, y, { epochs: 1 });
 * const trained = readWeights(model, graph); // trained.hasWeights() === true
 * ```
 */
export function readWeights(model: tf.LayersModel, graph: Graph): Graph {
  const out = graph.clone(false);
  for (const layer of out.layers) {
    if (!isWeighted(layer)) continue;
    const values = model.getLayer(layerName(layer.id)).getWeights();
    const names = WEIGHT_ORDER[layer.kind];
    const weights: Record<string, WeightTensor> = {};
    names.forEach((name, i) => {
      const t = values[i]!;
      weights[name] = { shape: t.shape.slice(), data: Float32Array.from(t.dataSync()) };
    });
    out.setWeights(layer.id, weights);
  }
  return out;
}
