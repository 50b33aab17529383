import { ArgumentError, invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';

/**
 * Size limits of a morphed child (docs/algorithms.md section 2, paper section 4.4). A child over any limit
 * is not produced: `GraphMorpher.neighbours` drops it, the single-op methods throw.
 *
 * @example
 * ```ts
 * const limits: MorphLimits = { maxLayers: 200, maxLayerWidth: 4096, maxParams: 2 ** 25 };
 * ```
 */
export interface MorphLimits {
  /** Most layers in a graph (default 200). */
  maxLayers: number;
  /** Most units / filters of one conv or dense layer (default 4096). */
  maxLayerWidth: number;
  /** Most parameters, `Graph.paramCount()` (default 2^25). */
  maxParams: number;
}

/**
 * The default limits, from `DEFAULTS.morph`.
 *
 * @example
 * ```ts
 * DEFAULT_LIMITS.maxParams; // 33554432
 * ```
 */
export const DEFAULT_LIMITS: Readonly<MorphLimits> = {
  maxLayers: DEFAULTS.morph.maxLayers,
  maxLayerWidth: DEFAULTS.morph.maxLayerWidth,
  maxParams: DEFAULTS.morph.maxParams,
};

/**
 * Merges partial limits over the defaults; each must be a positive integer (ArgumentError otherwise).
 *
 * @example
 * ```ts
 * resolveLimits({ maxParams: 1e6 }); // { maxLayers: 200, maxLayerWidth: 4096, maxParams: 1000000 }
 * ```
 */
export function resolveLimits(partial: Partial<MorphLimits> = {}): MorphLimits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof MorphLimits)[]) {
    const v = limits[key];
    if (!Number.isInteger(v) || v <= 0) invalidArgument(key, 'a positive integer', v);
  }
  return limits;
}

/** The widest conv / dense layer of a graph (0 when it has none). */
export function maxWidth(graph: Graph): number {
  let w = 0;
  for (const l of graph.layers) {
    if (l.kind === 'conv') w = Math.max(w, l.filters);
    if (l.kind === 'dense') w = Math.max(w, l.units);
  }
  return w;
}

/**
 * Why a graph breaks the limits, or null when it respects them. Checked in order: layer count,
 * widest conv / dense layer, `paramCount()`.
 *
 * @example
 * ```ts
 * limitViolation(graph, resolveLimits({ maxLayers: 3 })); // '18 layers (maxLayers 3)'
 * ```
 */
export function limitViolation(graph: Graph, limits: MorphLimits): string | null {
  if (graph.size > limits.maxLayers) return `${graph.size} layers (maxLayers ${limits.maxLayers})`;
  const width = maxWidth(graph);
  if (width > limits.maxLayerWidth) return `a layer of width ${width} (maxLayerWidth ${limits.maxLayerWidth})`;
  const params = graph.paramCount();
  if (params > limits.maxParams) return `${params} parameters (maxParams ${limits.maxParams})`;
  return null;
}

/** Throws an ArgumentError when a child breaks the limits. */
export function assertWithinLimits(graph: Graph, limits: MorphLimits, what: string): void {
  const v = limitViolation(graph, limits);
  if (v !== null) throw new ArgumentError(`The ${what} would exceed the morph limits: it has ${v}`);
}
