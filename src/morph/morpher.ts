import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import type { LayerSpec } from '../graph/layers';
import { specOf } from '../graph/layers';
import { DEFAULTS } from '../options';
import type { MorphChild } from '../search/types';
import type { Rng } from '../util/rng';
import { applyDeeper, checkDeeperSpec, chooseDeeperSpec } from './deeper';
import { mainChainLayer } from './chain';
import type { MorphLimits } from './limits';
import { assertWithinLimits, limitViolation, resolveLimits } from './limits';
import type { MorphOp } from './ops';
import { opSampler } from './sample';
import { applySkip } from './skip';
import { applyWider } from './wider';

/**
 * Options of {@link GraphMorpher}: the size limits, and the noise ratio of the initialisations.
 *
 * @example
 * ```ts
 * const options: MorphOptions = { maxLayers: 100, maxParams: 2 ** 22, noiseRatio: 0 };
 * ```
 */
export interface MorphOptions extends Partial<MorphLimits> {
  /** Noise amplitude as a fraction of the weights' range (default `DEFAULTS.morph.noiseRatio`, 0.5e-4); see `init.ts`. */
  noiseRatio?: number;
}

/**
 * Function-preserving network morphism on the Graph IR (Auto-Keras, Jin et al. 2019, section 3;
 * Net2Net, Chen et al. 2016; Wei et al. 2016). Each op returns a new graph and the {@link MorphOp}
 * that made it; the input graph is never changed. On a graph with weights the child computes the same
 * function up to the initialisation noise (1e-4 relative); on a graph without weights only the
 * structure changes, and replaying the op on a weighted copy gives the same structure.
 *
 * @example
 * ```ts
 * const morpher = new GraphMorpher({ maxParams: 1e6 });
 * const { graph: child, op } = morpher.deeper(parent, 3, new Rng(1));
 * morpher.replay(trainedParent, [op]); // same structure as child, trained weights kept
 * const kids = morpher.neighbours(parent, new Rng(2)); // up to 8 children
 * ```
 */
export class GraphMorpher {
  /** The resolved limits. */
  readonly limits: MorphLimits;
  /** Noise ratio of the identity / zero / copy initialisations. */
  readonly noiseRatio: number;

  constructor(options: MorphOptions = {}) {
    const { noiseRatio = DEFAULTS.morph.noiseRatio, ...limits } = options;
    if (!(noiseRatio >= 0 && noiseRatio < 1)) invalidArgument('noiseRatio', 'a number in [0, 1)', noiseRatio);
    this.limits = resolveLimits(limits);
    this.noiseRatio = noiseRatio;
  }

  /**
   * Inserts an identity-initialised layer after main-chain layer `layerId`: `spec` if given (checked
   * by `checkDeeperSpec`), else one drawn from `deeperOptions` with `rng`.
   */
  deeper(graph: Graph, layerId: number, rng: Rng, spec?: LayerSpec): MorphChild {
    const layer = mainChainLayer(graph, layerId, 'layerId');
    const chosen = spec === undefined ? chooseDeeperSpec(graph, layer, rng) : checkDeeperSpec(graph, layer, spec);
    return this.checked({ type: 'deeper', layer: layerId, spec: chosen, seed: rng.seed() }, graph);
  }

  /** Adds `n` units / filters to conv or dense layer `layerId` (Net2WiderNet). */
  wider(graph: Graph, layerId: number, n: number, rng: Rng): MorphChild {
    graph.layer(layerId);
    if (!Number.isInteger(n) || n <= 0) invalidArgument('n', 'a positive integer', n);
    return this.checked({ type: 'wider', layer: layerId, n, seed: rng.seed() }, graph);
  }

  /** Adds `conv1x1(relu(pool(x_from)))`, initialised to zero, to the output of `toLayer`. */
  addSkip(graph: Graph, fromLayer: number, toLayer: number, rng: Rng): MorphChild {
    return this.checked({ type: 'addSkip', from: fromLayer, to: toLayer, seed: rng.seed() }, graph);
  }

  /** Concatenates `relu(pool(x_from))` to the output of `toLayer`, then a 1x1 conv back to its width (identity on the main channels). */
  concatSkip(graph: Graph, fromLayer: number, toLayer: number, rng: Rng): MorphChild {
    return this.checked({ type: 'concatSkip', from: fromLayer, to: toLayer, seed: rng.seed() }, graph);
  }

  /**
   * Applies one recorded op to a copy of `graph`, deterministically (all its randomness comes from
   * `new Rng(op.seed)`). Weighted when every weighted layer of `graph` carries weights; otherwise the
   * child has no weights. Limits are not checked (the op was checked when it was made).
   */
  apply(graph: Graph, op: MorphOp): Graph {
    const weighted = graph.hasWeights();
    const child = graph.clone(weighted);
    const ratio = this.noiseRatio;
    if (op?.type === 'deeper') applyDeeper(child, op, weighted, ratio);
    else if (op?.type === 'wider') applyWider(child, op, weighted, ratio);
    else if (op?.type === 'addSkip' || op?.type === 'concatSkip') applySkip(child, op, weighted, ratio);
    else invalidArgument('op', "a MorphOp of type 'deeper' | 'wider' | 'addSkip' | 'concatSkip'", op);
    child.validate();
    return child;
  }

  /** Applies `ops` in order to a copy of `parent` (the parent is unchanged). */
  replay(parent: Graph, ops: readonly MorphOp[]): Graph {
    let g = parent;
    for (const op of ops) g = this.apply(g, op);
    return g === parent ? parent.clone() : g;
  }

  /**
   * Up to `n` children of `graph` with distinct structures, from at most `2n` attempts. Each attempt
   * picks deeper / wider / skip uniformly among those the graph admits (skip: add or concat, even
   * odds), then the layer(s) uniformly, and a seed; children over the limits are dropped.
   */
  neighbours(graph: Graph, rng: Rng, n: number = DEFAULTS.morph.neighbours): MorphChild[] {
    if (!Number.isInteger(n) || n < 0) invalidArgument('n', 'a non-negative integer', n);
    const children: MorphChild[] = [];
    const seen = new Set<string>([structureKey(graph)]);
    const sampleOp = opSampler(graph, this.limits);
    for (let attempt = 0; attempt < 2 * n && children.length < n; attempt++) {
      const op = sampleOp(rng);
      if (op === null) break;
      const child = this.apply(graph, op);
      const key = structureKey(child);
      if (seen.has(key) || limitViolation(child, this.limits) !== null) continue;
      seen.add(key);
      children.push({ graph: child, op });
    }
    return children;
  }

  private checked(op: MorphOp, graph: Graph): MorphChild {
    const child = this.apply(graph, op);
    assertWithinLimits(child, this.limits, `${op.type} child`);
    return { graph: child, op };
  }
}

/**
 * A string identifying a graph's structure: every layer's id, wiring and spec (no weights), and the
 * output node. Two graphs with equal keys compile to the same architecture.
 *
 * @example
 * ```ts
 * structureKey(morpher.replay(weightedParent, ops)) === structureKey(child.graph); // true
 * ```
 */
export function structureKey(graph: Graph): string {
  const layers = graph.layers.map((l) => [l.id, l.inputs, l.output, specOf(l, true)]);
  return JSON.stringify([graph.output, layers]);
}
