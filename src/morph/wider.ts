import { ArgumentError } from '../errors';
import type { Graph } from '../graph/graph';
import type { KernelBias, Layer, WeightTensor } from '../graph/layers';
import { specOf } from '../graph/layers';
import { Rng } from '../util/rng';
import { addNoise, weightRange } from './init';
import type { MorphOp } from './ops';
import type { ChannelMap, WidenPlan } from './widen-plan';
import { planWiden } from './widen-plan';

type WiderOp = Extract<MorphOp, { type: 'wider' }>;

/** Units of a conv (filters), dense (units) or embedding (outputDim) layer; 0 for other kinds. */
export function widthOf(layer: Layer): number {
  if (layer.kind === 'conv') return layer.filters;
  if (layer.kind === 'embedding') return layer.outputDim;
  if (layer.kind === 'dense') return layer.units;
  return 0;
}

/**
 * Why `layer` cannot be widened, or null when it can: a conv / dense whose output, followed through
 * channel-wise layers, flatten and concatenate, never reaches an add, a softmax or the graph output.
 *
 * @example
 * ```ts
 * widerBlocker(graph, outputDense); // 'its output reaches the graph output, whose width is fixed'
 * ```
 */
export function widerBlocker(graph: Graph, layer: Layer): string | null {
  if (layer.kind !== 'conv' && layer.kind !== 'dense' && layer.kind !== 'embedding') return `it is a ${layer.kind}, not a conv, dense or embedding layer`;
  const plan = planWiden(graph, layer, identity(widthOf(layer)));
  return typeof plan === 'string' ? plan : null;
}

/**
 * Layers `wider` may pick: conv, dense or embedding layers anywhere in the graph (not only the main chain) with
 * no {@link widerBlocker}. Unlike Auto-Keras the last conv qualifies (global pooling and flatten
 * are followed).
 *
 * @example
 * ```ts
 * widerCandidates(graph).map((l) => l.id); // e.g. [0, 3, 11]
 * ```
 */
export function widerCandidates(graph: Graph): Layer[] {
  return graph.layers.filter((l) => widerBlocker(graph, l) === null);
}

/**
 * Applies a recorded `wider` op in place on `graph` (a clone owned by the caller): layer `op.layer`
 * gets `op.n` more units. With `weighted`, Net2Net: new unit `j` copies unit `map[j]` (uniform
 * from `new Rng(op.seed)`) with noise on its kernel; batchnorms on the way copy their statistics;
 * each consumer's input weights for unit `i` are divided among the copies of `i` (shares summing to
 * 1), so `sum_j w'_j h'_j = sum_i w_i h_i`.
 */
export function applyWider(graph: Graph, op: WiderOp, weighted: boolean, noiseRatio: number): void {
  const target = graph.layer(op.layer);
  if (!Number.isInteger(op.n) || op.n <= 0) throw new ArgumentError(`Received an invalid value for \`n\`, expected a positive integer. Received: n=${op.n}`);
  const blocker = widerBlocker(graph, target);
  if (blocker !== null) throw new ArgumentError(`Received an invalid value for \`layerId\`, expected a conv, dense or embedding layer that can be widened. Received: layerId=${op.layer} (${target.kind}): ${blocker}`);
  const rng = new Rng(op.seed);
  const width = widthOf(target);
  const map = identity(width).concat(Array.from({ length: op.n }, () => rng.int(width)));
  const plan = planWiden(graph, target, map) as WidenPlan;
  const spec = specOf(target, true);
  if (spec.kind === 'conv') spec.filters += op.n;
  if (spec.kind === 'dense') spec.units += op.n;
  if (spec.kind === 'embedding') spec.outputDim += op.n;
  if (!weighted) {
    graph.replaceLayer(target.id, spec);
    return;
  }
  const targetWeights = target.kind === 'embedding' ? widenEmbedding(weightsOf(target), map, width, noiseRatio, rng) : widenOutputs(weightsOf(target), map, width, noiseRatio, rng);
  const touched = [...plan.batchnorms, ...plan.consumers].map((p) => p.layer);
  const newWeights = new Map<number, Record<string, WeightTensor>>([[target.id, { ...targetWeights }]]);
  for (const { layer, map: m } of plan.batchnorms) newWeights.set(layer.id, mapAll(layer, m));
  for (const { layer, map: m } of plan.consumers) newWeights.set(layer.id, splitInputs(layer, m, rng));
  for (const l of touched) graph.setWeights(l.id, undefined);
  graph.replaceLayer(target.id, spec);
  for (const [id, w] of newWeights) graph.setWeights(id, w);
}

function identity(n: number): ChannelMap {
  return Array.from({ length: n }, (_, i) => i);
}

function weightsOf(layer: Layer): Record<string, WeightTensor> {
  const w = (layer as { weights?: Record<string, WeightTensor> }).weights;
  if (!w) throw new ArgumentError(`Layer ${layer.id} (${layer.kind}) has no weights, but the graph was treated as weighted`);
  return w;
}

/** Copies the output units (last axis) along `map`; noise on the new units' kernel columns. */
function widenOutputs(w: Record<string, WeightTensor>, map: ChannelMap, width: number, noiseRatio: number, rng: Rng): KernelBias {
  const kernel = remapAxis(w.kernel!, w.kernel!.shape.length - 1, map);
  const range = weightRange(w.kernel!.data);
  const fanIn = w.kernel!.data.length / width;
  const out = map.length;
  for (let i = 0; i < kernel.data.length; i++) {
    if (i % out >= width) kernel.data[i] = kernel.data[i]! + noiseSample(range, fanIn, noiseRatio, rng);
  }
  return { kernel, bias: remapAxis(w.bias!, 0, map) };
}

/** Embedding: new output columns copy old ones (every id's row), with noise; there is no bias. */
function widenEmbedding(w: Record<string, WeightTensor>, map: ChannelMap, width: number, noiseRatio: number, rng: Rng): Record<string, WeightTensor> {
  const embeddings = remapAxis(w.embeddings!, 1, map);
  const range = weightRange(w.embeddings!.data);
  const out = map.length;
  for (let i = 0; i < embeddings.data.length; i++) {
    if (i % out >= width) embeddings.data[i] = embeddings.data[i]! + noiseSample(range, 1, noiseRatio, rng);
  }
  return { embeddings };
}

function noiseSample(range: number, fanIn: number, ratio: number, rng: Rng): number {
  return addNoise(new Float32Array(1), range, fanIn, ratio, rng)[0]!;
}

/** Batchnorm: every per-channel vector copied along `map`. */
function mapAll(layer: Layer, map: ChannelMap): Record<string, WeightTensor> {
  const w = weightsOf(layer);
  return Object.fromEntries(Object.entries(w).map(([k, t]) => [k, remapAxis(t, 0, map)]));
}

/** Conv / dense consumer: the input axis copied along `map` and divided among the copies by {@link splitFractions}. */
function splitInputs(layer: Layer, map: ChannelMap, rng: Rng): Record<string, WeightTensor> {
  const w = weightsOf(layer);
  const fractions = splitFractions(map, rng);
  const axis = w.kernel!.shape.length - 2;
  const kernel = remapAxis(w.kernel!, axis, map, (c) => fractions[c]!);
  return { kernel, bias: { shape: w.bias!.shape.slice(), data: new Float32Array(w.bias!.data) } };
}

/** Relative spread of the split fractions of copied units, see {@link splitFractions}. */
export const SPLIT_NOISE = 0.1;

/**
 * The share of each copy of a unit: the `K` copies of unit `i` get `(1 + d_k) / K` with `d_k` drawn
 * `U(+-SPLIT_NOISE)` and centred so the shares sum to 1. Copies compute the same value, so the
 * consumer's sum is unchanged whatever the shares; unequal shares give the copies different
 * gradients, which breaks their symmetry (Net2Net adds noise for the same purpose) without
 * changing the function. A unit without copies keeps share 1.
 */
function splitFractions(map: ChannelMap, rng: Rng): number[] {
  const copies = new Map<number, number[]>();
  map.forEach((m, c) => copies.set(m, [...(copies.get(m) ?? []), c]));
  const fractions = new Array<number>(map.length).fill(1);
  for (const group of copies.values()) {
    if (group.length === 1) continue;
    const d = group.map(() => rng.uniform(-SPLIT_NOISE, SPLIT_NOISE));
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    group.forEach((c, k) => (fractions[c] = (1 + d[k]! - mean) / group.length));
  }
  return fractions;
}

/** A copy of `w` whose index `c` along `axis` holds old index `map[c]` (times `scale(c)`). */
function remapAxis(w: WeightTensor, axis: number, map: ChannelMap, scale?: (c: number) => number): WeightTensor {
  const outer = w.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = w.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const oldLen = w.shape[axis]!;
  const shape = w.shape.slice();
  shape[axis] = map.length;
  const data = new Float32Array(outer * map.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < map.length; c++) {
      const f = scale ? scale(c) : 1;
      const src = (o * oldLen + map[c]!) * inner;
      const dst = (o * map.length + c) * inner;
      for (let i = 0; i < inner; i++) data[dst + i] = w.data[src + i]! * f;
    }
  }
  return { shape, data };
}
