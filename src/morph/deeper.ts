import { ArgumentError } from '../errors';
import type { Graph } from '../graph/graph';
import type { Layer, LayerSpec, SpatialRank } from '../graph/layers';
import { isMerge, specOf } from '../graph/layers';
import { DEFAULTS } from '../options';
import { Rng } from '../util/rng';
import { chainParts, channels, insertAfter, isNonNegative, mainChainLayer } from './chain';
import { identityBatchNorm, identityConv, identityDense } from './init';
import type { MorphOp } from './ops';

type DeeperOp = Extract<MorphOp, { type: 'deeper' }>;

/**
 * The layers `deeper` may insert right after `layer` (docs/algorithms.md section 2), all shape-preserving
 * and initialisable as the identity: in the conv part a same-width stride-1 `same` conv (k in
 * `DEFAULTS.morph.deeperConvKernels`), a batchnorm or a relu; in the dense part a same-width dense,
 * a dropout, a batchnorm over the features (in all-dense graphs only) or a relu. Never the picked layer's own kind; a relu only where its input is
 * non-negative (after a relu or softmax, possibly through pooling, dropout, flatten or merges), since
 * only there is it the identity. Merges and layers outside both parts get no options.
 *
 * @example
 * ```ts
 * deeperOptions(graph, graph.layer(4)).map((s) => s.kind); // e.g. ['conv', 'conv', 'conv', 'batchnorm'] after a relu
 * ```
 */
export function deeperOptions(graph: Graph, layer: Layer): LayerSpec[] {
  if (isMerge(layer)) return [];
  const parts = chainParts(graph);
  const relu: LayerSpec[] = layer.kind !== 'relu' && isNonNegative(graph, layer.output) ? [{ kind: 'relu' }] : [];
  const bn: LayerSpec = { kind: 'batchnorm', epsilon: DEFAULTS.layers.batchNormEpsilon, momentum: DEFAULTS.layers.batchNormMomentum };
  let options: LayerSpec[] = [];
  if (parts.conv.some((l) => l.id === layer.id)) {
    const shape = graph.nodeShape(layer.output);
    const rank = (shape.length - 1) as SpatialRank;
    const convs: LayerSpec[] = DEFAULTS.morph.deeperConvKernels.map((k) => ({ kind: 'conv', rank, filters: shape[rank]!, kernelSize: k, strides: 1, padding: 'same' }));
    options = [...convs, bn, ...relu];
  } else if (parts.dense.some((l) => l.id === layer.id)) {
    const dense: LayerSpec = { kind: 'dense', units: graph.nodeShape(layer.output)[0]! };
    // A batchnorm over the features only in all-dense graphs (structured data), whose search has no
    // conv part to normalise; the image networks' dense part keeps Auto-Keras's options.
    const norm = parts.conv.length === 0 ? [bn] : [];
    options = [dense, { kind: 'dropout', rate: DEFAULTS.morph.deeperDropoutRate }, ...norm, ...relu];
  }
  return options.filter((s) => s.kind !== layer.kind);
}

/**
 * Main-chain layers after which `deeper` can insert something (those with {@link deeperOptions}).
 *
 * @example
 * ```ts
 * const layer = rng.choice(deeperCandidates(graph));
 * ```
 */
export function deeperCandidates(graph: Graph): Layer[] {
  return graph.mainChain().layers.filter((l) => deeperOptions(graph, l).length > 0);
}

/**
 * Checks a caller's spec for `deeper` after `layer`: its kind must be one of {@link deeperOptions}'
 * kinds, a conv must keep the width with an odd kernel, stride 1 and `same` padding, a dense must
 * keep the width. Returns the spec without weights; throws ArgumentError otherwise.
 */
export function checkDeeperSpec(graph: Graph, layer: Layer, spec: LayerSpec): LayerSpec {
  const options = deeperOptions(graph, layer);
  const model = options.find((o) => o.kind === spec?.kind);
  const bad = (expected: string): never => {
    throw new ArgumentError(`Received an invalid value for \`spec\`, expected ${expected}. Received: spec=${JSON.stringify(spec)}`);
  };
  if (!model) return bad(`a layer of kind ${options.map((o) => o.kind).join(' | ') || '(none: layer ' + layer.id + ' takes no deeper)'} after layer ${layer.id} (${layer.kind})`);
  if (spec.kind === 'conv' && model.kind === 'conv') {
    const ok = spec.rank === model.rank && spec.filters === model.filters && spec.strides === 1 && spec.padding === 'same' && Number.isInteger(spec.kernelSize) && spec.kernelSize % 2 === 1;
    if (!ok) bad(`a rank-${model.rank} conv with ${model.filters} filters, an odd kernel, stride 1 and 'same' padding`);
  }
  if (spec.kind === 'dense' && model.kind === 'dense' && spec.units !== model.units) bad(`a dense layer of ${model.units} units`);
  if (spec.kind === 'batchnorm' && !(spec.epsilon > 0 && spec.epsilon < 1)) bad('a batchnorm with epsilon in (0, 1)');
  return specOf({ ...spec, id: -1, inputs: [], output: -1 } as Layer, true);
}

/** One of {@link deeperOptions}, chosen uniformly with `rng`. */
export function chooseDeeperSpec(graph: Graph, layer: Layer, rng: Rng): LayerSpec {
  const options = deeperOptions(graph, layer);
  if (options.length === 0) throw new ArgumentError(`Received an invalid value for \`layerId\`, expected a main-chain layer that takes a deeper morph. Received: layerId=${layer.id} (${layer.kind})`);
  return rng.choice(options);
}

/**
 * Applies a recorded `deeper` op in place on `graph` (a clone owned by the caller). With `weighted`
 * the new layer is initialised as the identity plus noise drawn from `new Rng(op.seed)`.
 */
export function applyDeeper(graph: Graph, op: DeeperOp, weighted: boolean, noiseRatio: number): void {
  const layer = mainChainLayer(graph, op.layer, 'layer');
  const spec = checkDeeperSpec(graph, layer, op.spec);
  if (weighted) attachIdentity(graph, layer.output, spec, noiseRatio, new Rng(op.seed));
  insertAfter(graph, layer.output, spec);
}

function attachIdentity(graph: Graph, node: number, spec: LayerSpec, noiseRatio: number, rng: Rng): void {
  const c = channels(graph, node);
  if (spec.kind === 'conv') spec.weights = identityConv(spec.rank, spec.kernelSize, c, c, noiseRatio, rng);
  if (spec.kind === 'dense') spec.weights = identityDense(c, noiseRatio, rng);
  if (spec.kind === 'batchnorm') spec.weights = identityBatchNorm(c, spec.epsilon);
}
