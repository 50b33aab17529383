import type { LayerSpec } from '../graph/layers';

/**
 * One network-morphism operation, recorded on a child so that it can be replayed on the weighted
 * parent (docs/algorithms.md section 2). Layer and node ids refer to the graph the op is applied to; ids
 * are stable across copies, so a list of ops replays on any copy of the parent. `seed` drives every
 * random choice of the op (which units a wider copies, the noise), so replay gives the same result.
 *
 * - `deeper`: insert `spec` (recorded without weights; the morpher creates identity weights) right
 *   after main-chain layer `layer`; every former reader of that layer's output reads the new layer.
 * - `wider`: add `n` units / filters to conv or dense layer `layer` (anywhere in the graph).
 * - `addSkip` / `concatSkip`: a skip connection from the output node of main-chain layer `from` to
 *   the output node of main-chain layer `to` (`from` before `to`).
 *
 * @example
 * ```ts
 * const ops: MorphOp[] = [
 *   { type: 'deeper', layer: 3, spec: { kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }, seed: 17 },
 *   { type: 'wider', layer: 2, n: 8, seed: 5 },
 *   { type: 'addSkip', from: 2, to: 9, seed: 11 },
 * ];
 * new GraphMorpher().replay(trainedParent, ops);
 * ```
 */
export type MorphOp =
  | { type: 'deeper'; layer: number; spec: LayerSpec; seed: number }
  | { type: 'wider'; layer: number; n: number; seed: number }
  | { type: 'addSkip'; from: number; to: number; seed: number }
  | { type: 'concatSkip'; from: number; to: number; seed: number };

/**
 * The kinds of morph operation.
 *
 * @example
 * ```ts
 * const t: MorphType = op.type; // 'deeper' | 'wider' | 'addSkip' | 'concatSkip'
 * ```
 */
export type MorphType = MorphOp['type'];
