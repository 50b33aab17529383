import { ArgumentError } from '../errors';
import type { Graph } from '../graph/graph';
import type { Layer, LayerSpec } from '../graph/layers';
import { isWeighted } from '../graph/layers';

/**
 * Where morphs may act on the main chain (docs/algorithms.md section 2).
 *
 * - conv part: the main-chain layers, from the first, whose outputs keep spatial axes (rank >= 2
 *   shapes `[..., C]`); it ends at the first global pooling or flatten.
 * - dense part: main-chain layers with vector outputs `[F]` that come before the last weighted
 *   main-chain layer (the output layer), so the head is never touched.
 */
export interface ChainParts {
  /** Main-chain layers in the conv part, in order. */
  conv: Layer[];
  /** Main-chain layers in the dense part, in order. */
  dense: Layer[];
}

/** Splits the main chain into its conv part and dense part. */
export function chainParts(graph: Graph): ChainParts {
  const { layers } = graph.mainChain();
  const conv: Layer[] = [];
  let i = 0;
  for (; i < layers.length && graph.nodeShape(layers[i]!.output).length >= 2; i++) conv.push(layers[i]!);
  let last = layers.length - 1;
  while (last >= 0 && !isWeighted(layers[last]!)) last--;
  const dense = layers.slice(i, Math.max(i, last)).filter((l) => graph.nodeShape(l.output).length === 1);
  return { conv, dense };
}

/** A layer of the graph that lies on the main chain; ArgumentError naming `argName` otherwise. */
export function mainChainLayer(graph: Graph, layerId: number, argName: string): Layer {
  const layer = graph.layer(layerId);
  if (!graph.mainChain().layers.some((l) => l.id === layerId)) {
    throw new ArgumentError(`Received an invalid value for \`${argName}\`, expected a layer on the main chain. Received: ${argName}=${layerId} (${layer.kind}, off the main chain)`);
  }
  return layer;
}

/**
 * Whether a node's values are never negative, so a relu on it is the identity: it is written by a
 * relu or softmax, or by a pooling, dropout, flatten, concatenate or add whose inputs are all non-negative.
 */
export function isNonNegative(graph: Graph, node: number, memo = new Map<number, boolean>()): boolean {
  const known = memo.get(node);
  if (known !== undefined) return known;
  const p = graph.producer(node);
  let result = false;
  if (p && (p.kind === 'relu' || p.kind === 'softmax' || p.kind === 'sigmoid')) result = true;
  else if (p && PASS_THROUGH.includes(p.kind)) result = p.inputs.every((n) => isNonNegative(graph, n, memo));
  memo.set(node, result);
  return result;
}

const PASS_THROUGH: string[] = ['maxpool', 'avgpool', 'globalavgpool', 'globalmaxpool', 'dropout', 'flatten', 'concatenate', 'add'];

/** Makes every consumer of `node` (but the layers in `except`) read `replacement`; moves the output too. */
export function redirectConsumers(graph: Graph, node: number, replacement: number, except: number[]): void {
  for (const c of graph.consumers(node)) {
    if (!except.includes(c.id)) graph.rewire(c.id, node, replacement);
  }
  if (graph.output === node) graph.setOutput(replacement);
}

/**
 * Inserts a shape-preserving layer right after `node`: it reads `node` and every former consumer
 * of `node` reads the new layer's output instead. Returns the new layer.
 */
export function insertAfter(graph: Graph, node: number, spec: LayerSpec): Layer {
  const out = graph.addLayer(spec, node);
  const layer = graph.producer(out)!;
  redirectConsumers(graph, node, out, [layer.id]);
  return layer;
}

/** Channels (last axis) of a node. */
export function channels(graph: Graph, node: number): number {
  const s = graph.nodeShape(node);
  return s[s.length - 1]!;
}
