import { invalidArgument } from '../errors';
import { Graph } from '../graph/graph';
import type { BatchNormSpec, ConvSpec, LayerSpec, SpatialRank } from '../graph/layers';
import { DEFAULTS } from '../options';

/**
 * The head of a generated network: `softmax` for classification, `linear` (no activation) for regression.
 *
 * @example
 * ```ts
 * const head: Head = task === 'classification' ? 'softmax' : 'linear';
 * ```
 */
export type Head = 'softmax' | 'linear' | 'sigmoid';

/**
 * Builds an initial architecture (docs/algorithms.md section 5) for an input shape (batch axis excluded,
 * channels-last) and a number of outputs. Generated graphs carry no weights.
 *
 * @example
 * ```ts
 * const graphs = defaultGenerators([28, 28, 1]).map((g) => g.generate([28, 28, 1], 10, 'softmax'));
 * ```
 */
export interface GraphGenerator {
  /** A short name (`cnn`, `resnet`, `densenet`, `mlp`). */
  readonly name: string;
  /** The architecture: input `inputShape`, output `[numOutputs]`. */
  generate(inputShape: number[], numOutputs: number, head?: Head): Graph;
}

/**
 * Checks `generate`'s arguments and creates the graph. `spatial`: the input must be `[...S, C]` with
 * 1 to 3 spatial axes (shape length 2 to 4). Returns the graph and the spatial rank (0 for vectors).
 */
export function startGraph(inputShape: number[], numOutputs: number, head: Head, spatial: boolean): { graph: Graph; rank: number } {
  const ok = Array.isArray(inputShape) && inputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!ok || inputShape.length < (spatial ? 2 : 1) || inputShape.length > 4) {
    invalidArgument('inputShape', spatial ? 'an array of 2 to 4 positive integers ([...spatial, channels])' : 'an array of 1 to 4 positive integers', inputShape);
  }
  if (!Number.isInteger(numOutputs) || numOutputs <= 0) invalidArgument('numOutputs', 'a positive integer', numOutputs);
  if (head !== 'softmax' && head !== 'linear' && head !== 'sigmoid') invalidArgument('head', "'softmax', 'sigmoid' or 'linear'", head);
  return { graph: Graph.create(inputShape), rank: inputShape.length - 1 };
}

/** Adds `dense(numOutputs)` (+ softmax or sigmoid) after `x` and marks the output. */
export function finishHead(graph: Graph, x: number, numOutputs: number, head: Head): Graph {
  let y = graph.addLayer({ kind: 'dense', units: numOutputs }, x);
  if (head === 'softmax' || head === 'sigmoid') y = graph.addLayer({ kind: head }, y);
  graph.setOutput(y);
  return graph;
}

/** A `same`-padded convolution spec. */
export function conv(rank: number, filters: number, kernelSize = 3, strides = 1): ConvSpec {
  return { kind: 'conv', rank: rank as SpatialRank, filters, kernelSize, strides, padding: 'same' };
}

/** A batchnorm spec with the default epsilon and momentum. */
export function batchnorm(): BatchNormSpec {
  return { kind: 'batchnorm', epsilon: DEFAULTS.layers.batchNormEpsilon, momentum: DEFAULTS.layers.batchNormMomentum };
}

/** A `valid` pooling of size and stride 2. */
export function pool2(rank: number, kind: 'maxpool' | 'avgpool' = 'maxpool'): LayerSpec {
  return { kind, rank: rank as SpatialRank, poolSize: 2, strides: 2, padding: 'valid' };
}

/** Whether every spatial axis of `node` is at least `min`. */
export function spatialAtLeast(graph: Graph, node: number, min: number): boolean {
  return graph.nodeShape(node).slice(0, -1).every((d) => d >= min);
}

/** Appends layers one after another; returns the last node. */
export function chain(graph: Graph, x: number, specs: LayerSpec[]): number {
  return specs.reduce((node, spec) => graph.addLayer(spec, node), x);
}

/** Checks a generator option is a positive integer (or, with `allowZero`, non-negative). */
export function checkCount(name: string, v: number, allowZero = false): number {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) invalidArgument(name, allowZero ? 'a non-negative integer' : 'a positive integer', v);
  return v;
}

/** Checks a dropout rate is in [0, 1). */
export function checkRate(name: string, v: number): number {
  if (!(v >= 0 && v < 1)) invalidArgument(name, 'a number in [0, 1)', v);
  return v;
}
