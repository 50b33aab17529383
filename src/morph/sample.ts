import type { Graph } from '../graph/graph';
import type { Layer } from '../graph/layers';
import type { Rng } from '../util/rng';
import { chooseDeeperSpec, deeperCandidates } from './deeper';
import type { MorphLimits } from './limits';
import type { MorphOp } from './ops';
import { skipPairs } from './skip';
import { widerCandidates, widthOf } from './wider';

/** Draws one random op for a graph; null when the graph admits none. */
export type OpSampler = (rng: Rng) => MorphOp | null;

/**
 * Computes a graph's candidates once and returns a sampler of random ops (docs/algorithms.md section 2):
 * deeper / wider / skip uniformly among the families that have candidates; then
 * - deeper: a layer from `deeperCandidates`, a spec from `deeperOptions`;
 * - wider: a layer from `widerCandidates` below `maxLayerWidth`, `n` = its width (doubling), capped
 *   so the result stays within `maxLayerWidth`;
 * - skip: add or concat with even odds, a `(from, to)` pair from `skipPairs`;
 * and finally a seed for the op's own randomness.
 *
 * @example
 * ```ts
 * const sample = opSampler(graph, resolveLimits());
 * const op = sample(new Rng(1)); // e.g. { type: 'wider', layer: 4, n: 16, seed: 123 }
 * ```
 */
export function opSampler(graph: Graph, limits: MorphLimits): OpSampler {
  const deeper = deeperCandidates(graph);
  const wider = widerCandidates(graph).filter((l) => widthOf(l) < limits.maxLayerWidth);
  const pairs = skipPairs(graph);
  const families: ('deeper' | 'wider' | 'skip')[] = [];
  if (deeper.length > 0) families.push('deeper');
  if (wider.length > 0) families.push('wider');
  if (pairs.length > 0) families.push('skip');
  return (rng) => {
    if (families.length === 0) return null;
    const family = rng.choice(families);
    if (family === 'deeper') {
      const layer = rng.choice(deeper);
      const spec = chooseDeeperSpec(graph, layer, rng);
      return { type: 'deeper', layer: layer.id, spec, seed: rng.seed() };
    }
    if (family === 'wider') {
      const layer: Layer = rng.choice(wider);
      const w = widthOf(layer);
      return { type: 'wider', layer: layer.id, n: Math.min(w, limits.maxLayerWidth - w), seed: rng.seed() };
    }
    const type = rng.next() < 0.5 ? 'addSkip' : 'concatSkip';
    const [from, to] = rng.choice(pairs);
    return { type, from: from.id, to: to.id, seed: rng.seed() };
  };
}
