import { describeGraph } from '../graph/descriptor';
import type { Descriptor, SkipConnection } from '../graph/descriptor';
import { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';
import { invalidArgument } from '../errors';
import { minAssignmentCost } from './hungarian';
import type { EncodedChain } from './layer-distance';
import { chainDistance, encodeChain } from './layer-distance';

/** What the kernel compares: a Graph (its descriptor is taken) or a ready {@link Descriptor}. */
export type Architecture = Graph | Descriptor;

/**
 * An architecture prepared for the edit distance: encoded main-chain layers, skips, and `shape`, a key
 * of the layer kinds in order and the skips. Two architectures of different shapes are at distance
 * at least `min(1, lambda / (2 * longest chain))` (an insertion, a kind change, or a moved skip), so
 * near-duplicates can only share a shape: see {@link ArchitectureSet}.
 */
export interface EncodedArchitecture {
  layers: EncodedChain;
  skips: SkipConnection[];
  shape: string;
}

const cache = new WeakMap<object, EncodedArchitecture>();

/**
 * Encodes (and caches, per object) an architecture. Graphs are cached by identity: do not mutate a
 * graph after handing it to the kernel (the searchers never do; clone first).
 *
 * @example
 * ```ts
 * const e = encodeArchitecture(graph); // { layers: [...], skips: [{ u: 2, v: 6, type: 'add' }], shape: '...' }
 * ```
 */
export function encodeArchitecture(x: Architecture): EncodedArchitecture {
  if (x === null || typeof x !== 'object') invalidArgument('architecture', 'a Graph or a Descriptor', x);
  const hit = cache.get(x);
  if (hit) return hit;
  const d = x instanceof Graph ? describeGraph(x) : x;
  if (!Array.isArray(d.layers) || !Array.isArray(d.skips)) {
    invalidArgument('architecture', 'a Graph or a Descriptor {layers, skips}', x);
  }
  const layers = encodeChain(d.layers);
  const skips = d.skips.map((s) => ({ ...s }));
  const shape = `${layers.codes.join(',')}|${skips.map((s) => `${s.u}-${s.v}${s.type[0]}`).join(',')}`;
  const encoded = { layers, skips, shape };
  cache.set(x, encoded);
  return encoded;
}

/**
 * Cost of matching two skips: 1 for different types, else
 * `(|u_a - u_b| + |s_a - s_b|) / (max(u_a, u_b) + max(s_a, s_b))` with span `s = v - u` (0 when both are 0).
 *
 * @example
 * ```ts
 * skipDistance({ u: 1, v: 4, type: 'add' }, { u: 2, v: 4, type: 'add' }); // (1 + 1) / (2 + 3) = 0.4
 * ```
 */
export function skipDistance(a: SkipConnection, b: SkipConnection): number {
  if (a.type !== b.type) return 1;
  const sa = a.v - a.u;
  const sb = b.v - b.u;
  const denom = Math.max(a.u, b.u) + Math.max(sa, sb);
  return denom === 0 ? 0 : (Math.abs(a.u - b.u) + Math.abs(sa - sb)) / denom;
}

/**
 * Skip term of the edit distance: the minimum-cost matching of the two skip sets under
 * {@link skipDistance} (Hungarian method, O(s^3)), plus `||S_a| - |S_b||` for the unmatched skips.
 *
 * @example
 * ```ts
 * skipsDistance([{ u: 1, v: 4, type: 'add' }, { u: 5, v: 9, type: 'add' }], [{ u: 5, v: 8, type: 'add' }]); // 1/9 + 1
 * ```
 */
export function skipsDistance(a: readonly SkipConnection[], b: readonly SkipConnection[]): number {
  if (a.length === 0 || b.length === 0) return Math.abs(a.length - b.length);
  if (a.length === 1 && b.length === 1) return skipDistance(a[0]!, b[0]!);
  const [rows, cols] = a.length <= b.length ? [a, b] : [b, a];
  const cost = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (cost[i * cols.length + j] = skipDistance(r, c))));
  return minAssignmentCost(cost, rows.length, cols.length) + cols.length - rows.length;
}

/**
 * The Auto-Keras edit distance between two architectures (paper section 3.2, docs/algorithms.md section 3):
 * `d(a, b) = D_layers(a, b) + lambda * D_skips(a, b)`. Zero for identical structures, symmetric.
 *
 * @param lambda weight of the skip term, default `DEFAULTS.kernel.lambda` (1).
 * @example
 * ```ts
 * const b = a.clone();
 * editDistance(a, b); // 0
 * // b with one more relu after its first layer:
 * editDistance(a, deeper); // 1
 * ```
 */
export function editDistance(a: Architecture, b: Architecture, lambda: number = DEFAULTS.kernel.lambda): number {
  if (!Number.isFinite(lambda) || lambda < 0) invalidArgument('lambda', 'a finite number >= 0', lambda);
  return encodedDistance(encodeArchitecture(a), encodeArchitecture(b), lambda);
}

/**
 * {@link editDistance} on encoded architectures (what the kernel calls, skipping the cache lookups).
 *
 * @example
 * ```ts
 * encodedDistance(encodeArchitecture(a), encodeArchitecture(b)); // === editDistance(a, b)
 * ```
 */
export function encodedDistance(a: EncodedArchitecture, b: EncodedArchitecture, lambda: number = DEFAULTS.kernel.lambda): number {
  if (a === b) return 0;
  const layers = chainDistance(a.layers, b.layers);
  return lambda === 0 ? layers : layers + lambda * skipsDistance(a.skips, b.skips);
}
