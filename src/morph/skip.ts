import { ArgumentError } from '../errors';
import type { Graph } from '../graph/graph';
import type { ConvSpec, Layer, LayerSpec, SpatialRank } from '../graph/layers';
import { isMerge } from '../graph/layers';
import { Rng } from '../util/rng';
import { chainParts, channels, redirectConsumers } from './chain';
import { identityConv, zeroConv } from './init';
import type { MorphOp } from './ops';

type SkipOp = Extract<MorphOp, { type: 'addSkip' | 'concatSkip' }>;

/**
 * Main-chain layers a skip may start or end at: the conv part (spatial outputs, before the first
 * global pooling or flatten), merges excluded. A skip `(from, to)` joins their output nodes.
 *
 * @example
 * ```ts
 * skipEnds(graph).map((l) => l.kind); // e.g. ['relu', 'batchnorm', 'conv', 'maxpool', ...]
 * ```
 */
export function skipEnds(graph: Graph): Layer[] {
  return chainParts(graph).conv.filter((l) => !isMerge(l));
}

/**
 * Every `(from, to)` pair of {@link skipEnds} with `from` before `to` on the main chain
 * (`m (m - 1) / 2` pairs for `m` ends).
 *
 * @example
 * ```ts
 * const [from, to] = rng.choice(skipPairs(graph));
 * morpher.addSkip(graph, from.id, to.id, rng);
 * ```
 */
export function skipPairs(graph: Graph): [Layer, Layer][] {
  const ends = skipEnds(graph);
  const pairs: [Layer, Layer][] = [];
  ends.forEach((a, i) => ends.slice(i + 1).forEach((b) => pairs.push([a, b])));
  return pairs;
}

/**
 * Applies a recorded `addSkip` / `concatSkip` in place on `graph` (a clone owned by the caller).
 * Skip path from the output `x_a` of layer `op.from`: the pooling (and, as average pooling, the
 * strided or `valid` convs) between the two ends, so spatial shapes match; a relu; then
 * - addSkip: `x_b + conv1x1(path)`, the 1x1 conv `C_a -> C_b` zero plus noise;
 * - concatSkip: `conv1x1(concat[x_b, path])`, `C_b + C_a -> C_b`, identity on the `x_b` channels,
 *   zero on the skip channels, plus noise.
 * Every former consumer of `x_b` reads the result; `x_b` stays the merge's first (main) input.
 */
export function applySkip(graph: Graph, op: SkipOp, weighted: boolean, noiseRatio: number): void {
  const [from, to] = checkEnds(graph, op.from, op.to);
  const rng = new Rng(op.seed);
  const xb = to.output;
  const rank = (graph.nodeShape(xb).length - 1) as SpatialRank;
  const cb = channels(graph, xb);
  let x = from.output;
  for (const l of between(graph, from, to)) x = graph.addLayer(repeatAsPool(l), x);
  x = graph.addLayer({ kind: 'relu' }, x);
  const ca = channels(graph, x);
  const conv: ConvSpec = { kind: 'conv', rank, filters: cb, kernelSize: 1, strides: 1, padding: 'same' };
  if (op.type === 'addSkip') {
    if (weighted) conv.weights = zeroConv(rank, ca, cb, noiseRatio, rng);
    const path = graph.addLayer(conv, x);
    const sum = graph.addLayer({ kind: 'add' }, [xb, path]);
    redirectConsumers(graph, xb, sum, [graph.producer(sum)!.id]);
  } else {
    const cat = graph.addLayer({ kind: 'concatenate' }, [xb, x]);
    if (weighted) conv.weights = identityConv(rank, 1, cb + ca, cb, noiseRatio, rng);
    const out = graph.addLayer(conv, cat);
    redirectConsumers(graph, xb, out, [graph.producer(cat)!.id]);
  }
}

/** Both ends on the main chain's conv part, `from` strictly before `to`; ArgumentError otherwise. */
function checkEnds(graph: Graph, fromId: number, toId: number): [Layer, Layer] {
  const from = graph.layer(fromId);
  const to = graph.layer(toId);
  const ends = skipEnds(graph);
  const at = (id: number) => ends.findIndex((l) => l.id === id);
  for (const [name, id] of [['from', fromId], ['to', toId]] as const) {
    if (at(id) < 0) {
      throw new ArgumentError(`Received an invalid value for \`${name}\`, expected a non-merge main-chain layer before the first global pooling / flatten (ids ${ends.map((l) => l.id).join(', ')}). Received: ${name}=${id} (${graph.layer(id).kind})`);
    }
  }
  if (at(fromId) >= at(toId)) {
    throw new ArgumentError(`Received an invalid value for \`from\`, expected a layer before \`to\`=${toId} on the main chain. Received: from=${fromId} (at or after it)`);
  }
  return [from, to];
}

/** Main-chain layers after `from` up to and including `to` that change the spatial extent. */
function between(graph: Graph, from: Layer, to: Layer): Layer[] {
  const { layers } = graph.mainChain();
  const span = layers.slice(layers.findIndex((l) => l.id === from.id) + 1, layers.findIndex((l) => l.id === to.id) + 1);
  return span.filter((l) => {
    const a = graph.nodeShape(l.inputs[0]!).slice(0, -1);
    const b = graph.nodeShape(l.output).slice(0, -1);
    return a.some((d, i) => d !== b[i]);
  });
}

/** A pooling that reproduces the spatial shape change of a pooling or conv layer. */
function repeatAsPool(l: Layer): LayerSpec {
  if (l.kind === 'maxpool' || l.kind === 'avgpool') return { kind: l.kind, rank: l.rank, poolSize: l.poolSize, strides: l.strides, padding: l.padding };
  if (l.kind === 'conv') return { kind: 'avgpool', rank: l.rank, poolSize: l.kernelSize, strides: l.strides, padding: l.padding };
  throw new ArgumentError(`Cannot repeat layer ${l.id} (${l.kind}) on a skip path: only pooling and conv layers change spatial shapes`);
}
