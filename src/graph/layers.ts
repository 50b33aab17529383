/**
 * Layer specifications of the Graph IR: plain data, no tfjs. A layer is an edge of the graph; it reads
 * one or more tensors (nodes) and writes one. Shapes exclude the batch axis and are channels-last:
 * vectors `[F]`, 1D `[L, C]`, images `[H, W, C]`, volumes `[D, H, W, C]`.
 *
 * Weights, when present, use the tfjs layouts: conv kernel `[k, (k, (k,)) in, filters]`, dense kernel
 * `[in, units]`, biases `[out]`, batchnorm `gamma, beta, movingMean, movingVariance` each `[C]`.
 */

/** A weight array with its shape; `data.length` equals the product of `shape`. */
export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

/** Spatial rank of a convolution or pooling: 1D, 2D or 3D. */
export type SpatialRank = 1 | 2 | 3;

/** `same`: output extent `ceil(d / s)` (for odd kernels the padding is `floor(k/2)`); `valid`: `floor((d - k) / s) + 1`. */
export type Padding = 'same' | 'valid';

/** Weights of a conv or dense layer. */
export interface KernelBias {
  kernel: WeightTensor;
  bias: WeightTensor;
}

/** Weights of a batch normalisation layer. */
export interface BatchNormWeights {
  gamma: WeightTensor;
  beta: WeightTensor;
  movingMean: WeightTensor;
  movingVariance: WeightTensor;
}

/** Convolution with bias; `kernelSize` and `strides` apply to every spatial axis. */
export interface ConvSpec {
  kind: 'conv';
  rank: SpatialRank;
  filters: number;
  kernelSize: number;
  strides: number;
  padding: Padding;
  weights?: KernelBias;
}

/** Batch normalisation over the last (channel) axis. */
export interface BatchNormSpec {
  kind: 'batchnorm';
  epsilon: number;
  momentum: number;
  weights?: BatchNormWeights;
}

/** Max or average pooling. */
export interface PoolSpec {
  kind: 'maxpool' | 'avgpool';
  rank: SpatialRank;
  poolSize: number;
  strides: number;
  padding: Padding;
}

/** Fully connected layer on a vector input `[F]`. */
export interface DenseSpec {
  kind: 'dense';
  units: number;
  weights?: KernelBias;
}

/**
 * Token embedding: reads integer ids `[L]` (stored as float32, each in `[0, inputDim)`) and writes
 * `[L, outputDim]`, one learned row per id. Weights: `embeddings [inputDim, outputDim]`.
 */
export interface EmbeddingSpec {
  kind: 'embedding';
  inputDim: number;
  outputDim: number;
  weights?: { embeddings: WeightTensor };
}

/** Dropout (identity at inference). */
export interface DropoutSpec {
  kind: 'dropout';
  rate: number;
}

/** Layers without hyper-parameters. */
export interface PlainSpec {
  kind: 'relu' | 'softmax' | 'sigmoid' | 'globalavgpool' | 'globalmaxpool' | 'flatten' | 'add' | 'concatenate';
}

/** Any layer specification (the discriminated union on `kind`). */
export type LayerSpec = ConvSpec | BatchNormSpec | PoolSpec | DenseSpec | DropoutSpec | EmbeddingSpec | PlainSpec;

/** Every layer kind. */
export type LayerKind = LayerSpec['kind'];

/** All layer kinds, in a stable order. */
export const LAYER_KINDS: readonly LayerKind[] = [
  'conv', 'batchnorm', 'relu', 'softmax', 'maxpool', 'avgpool', 'globalavgpool',
  'dropout', 'dense', 'flatten', 'add', 'concatenate', 'sigmoid', 'embedding', 'globalmaxpool',
];

/** Where a layer sits: its id, the nodes it reads and the node it writes. */
export interface LayerWiring {
  id: number;
  inputs: number[];
  output: number;
}

/** A layer of a Graph: its spec plus its wiring. */
export type Layer = LayerSpec & LayerWiring;

/** Layers that merge several inputs. */
export function isMerge(spec: LayerSpec): spec is PlainSpec & { kind: 'add' | 'concatenate' } {
  return spec.kind === 'add' || spec.kind === 'concatenate';
}

/** Layers that carry weights. */
export function isWeighted(spec: LayerSpec): spec is ConvSpec | DenseSpec | BatchNormSpec | EmbeddingSpec {
  return spec.kind === 'conv' || spec.kind === 'dense' || spec.kind === 'batchnorm' || spec.kind === 'embedding';
}

/** The spec of a layer without its wiring (and, with `dropWeights`, without weights). */
export function specOf(layer: Layer, dropWeights = false): LayerSpec {
  const { id: _id, inputs: _inputs, output: _output, ...spec } = layer;
  const out = { ...spec } as LayerSpec & { weights?: unknown };
  if (dropWeights) delete out.weights;
  return out;
}

/** Deep copy of a weight tensor. */
export function copyWeight(w: WeightTensor): WeightTensor {
  return { shape: w.shape.slice(), data: new Float32Array(w.data) };
}

/** Product of a shape's extents. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
