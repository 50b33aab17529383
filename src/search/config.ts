import { invalidArgument } from '../errors';
import { Graph } from '../graph/graph';
import { Rng } from '../util/rng';
import type { SearcherConfig } from './types';

/** Throws an ArgumentError naming the first invalid field of a {@link SearcherConfig}. */
export function checkSearcherConfig(config: SearcherConfig): void {
  if (config === null || typeof config !== 'object') invalidArgument('config', 'a SearcherConfig object', config);
  if (!Array.isArray(config.initialGraphs) || !config.initialGraphs.every((g) => g instanceof Graph)) {
    invalidArgument('config.initialGraphs', 'an array of Graph', config.initialGraphs);
  }
  if (typeof config.neighbours !== 'function') invalidArgument('config.neighbours', 'a function (graph, rng) => MorphChild[]', config.neighbours);
  if (config.direction !== 'max' && config.direction !== 'min') invalidArgument('config.direction', "'max' or 'min'", config.direction);
  if (!(config.rng instanceof Rng)) invalidArgument('config.rng', 'an Rng', config.rng);
}

/**
 * Reads a numeric searcher option from `config.options`, or its default; throws ArgumentError naming
 * `options.<key>` when it is not a number satisfying `ok`.
 *
 * @example
 * ```ts
 * const beta = numberOption(config.options, 'beta', 2.576, (v) => v >= 0, 'a number >= 0');
 * ```
 */
export function numberOption(
  options: Record<string, unknown> | undefined,
  key: string,
  fallback: number,
  ok: (v: number) => boolean,
  expected: string,
): number {
  const v = options?.[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) invalidArgument(`options.${key}`, expected, v);
  return v;
}
