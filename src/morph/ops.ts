import type { LayerSpec } from '../graph/layers';

/**
 * One network-morphism operation, recorded on a child so that it can be replayed on the weighted
 * parent (ALGORITHMS.md section 2). Layer and node ids refer to the graph the op is applied to; ids
 * are stable across copies, so a list of ops replays on any copy of the parent. `seed` drives every
 * random choice of the op (which units a wider copies, the noise), so replay gives the same result.
 *
 * - `deeper`: insert `spec` (weights are created by the morpher) right after layer `layer` on the main chain.
 * - `wider`: add `n` units / filters to layer `layer`.
 * - `addSkip` / `concatSkip`: a skip connection from the output node of main-chain layer `from` to
 *   the output node of main-chain layer `to` (`from` before `to`).
 */
export type MorphOp =
  | { type: 'deeper'; layer: number; spec: LayerSpec; seed: number }
  | { type: 'wider'; layer: number; n: number; seed: number }
  | { type: 'addSkip'; from: number; to: number; seed: number }
  | { type: 'concatSkip'; from: number; to: number; seed: number };

/** The kinds of morph operation. */
export type MorphType = MorphOp['type'];
