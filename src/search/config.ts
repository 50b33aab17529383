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

/**
 * Throws an ArgumentError naming `<argument>.<key>` (`options.maxdepth` for a searcher's config, or
 * `searcherOptions.maxdepth` from the task classes) and every known key when `options` holds a key the
 * searcher does not declare (a misspelt `{ maxdepth: 3 }` would otherwise be ignored silently).
 *
 * @example
 * ```ts
 * checkOptionKeys({ maxdepth: 3 }, BayesianSearcher.optionKeys, 'bayesian'); // ArgumentError: ... maxDepth ...
 * ```
 */
export function checkOptionKeys(options: Record<string, unknown> | undefined, known: readonly string[], searcher: string, argument = 'options'): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) invalidArgument(argument, 'a plain object', options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) invalidArgument(`${argument}.${key}`, `an option of the ${searcher} searcher (${known.join(', ')})`, options[key]);
  }
}

/**
 * The options every built-in searcher reads (`MorphSearcher`); all are optional, defaults in `DEFAULTS`.
 *
 * @example
 * ```ts
 * const o: MorphSearcherOptions = { initialTimeShare: 0.3, minTrialEpochs: 3 };
 * ```
 */
export interface MorphSearcherOptions {
  /** Share of the search's time the initial architectures may take (default `DEFAULTS.search.initialTimeShare`). */
  initialTimeShare?: number;
  /** Whole epochs a child must be able to train within the per-trial cap (default `DEFAULTS.search.minTrialEpochs`; 0: off). */
  minTrialEpochs?: number;
  /** Most a child's epoch time may be, as a multiple of its ancestor's (default `DEFAULTS.search.maxCostGrowth`; 0: off). */
  maxCostGrowth?: number;
  /** Seconds one proposal may search (`fit` sets it from `DEFAULTS.search.proposeTime`); the searchers that search a tree honour it. */
  proposeTimeLimit?: number;
}

/**
 * Options of the searchers with a Gaussian process (`BayesianSearcher`, `GreedySearcher`).
 *
 * @example
 * ```ts
 * const o: SurrogateSearcherOptions = { lambda: 0.5, liar: 'worst' };
 * ```
 */
export interface SurrogateSearcherOptions extends MorphSearcherOptions {
  /** Weight of the skip-connection term of the edit distance (default `DEFAULTS.kernel.lambda`). */
  lambda?: number;
  /** What the GP believes of pending architectures (default `DEFAULTS.search.liar`). */
  liar?: 'believer' | 'worst';
}

/**
 * Options of `BayesianSearcher` (the `searcherOptions` of `searcher: 'bayesian'`).
 *
 * @example
 * ```ts
 * new ImageClassifier({ searcher: 'bayesian', searcherOptions: { beta: 1.5, maxDepth: 2 } });
 * ```
 */
export interface BayesianSearcherOptions extends SurrogateSearcherOptions {
  /** UCB exploration weight (default `DEFAULTS.search.ucbBeta`). */
  beta?: number;
  /** Simulated annealing (defaults in `DEFAULTS.annealing`). */
  initialTemperature?: number;
  decay?: number;
  minTemperature?: number;
  /** Most morph operations from a trained architecture (default `DEFAULTS.annealing.maxDepth`; `Infinity`: none). */
  maxDepth?: number;
}

/**
 * Options of `RandomSearcher` (the `searcherOptions` of `searcher: 'random'`).
 *
 * @example
 * ```ts
 * new ImageClassifier({ searcher: 'random', searcherOptions: { walkLength: 2 } });
 * ```
 */
export interface RandomSearcherOptions extends MorphSearcherOptions {
  /** Most morphs in one walk (default `DEFAULTS.search.randomWalkLength`). */
  walkLength?: number;
}

const MORPH_KEYS: Record<keyof MorphSearcherOptions, true> = { initialTimeShare: true, minTrialEpochs: true, maxCostGrowth: true, proposeTimeLimit: true };
const SURROGATE_KEYS: Record<keyof SurrogateSearcherOptions, true> = { ...MORPH_KEYS, lambda: true, liar: true };
const BAYESIAN_KEYS: Record<keyof BayesianSearcherOptions, true> = { ...SURROGATE_KEYS, beta: true, initialTemperature: true, decay: true, minTemperature: true, maxDepth: true };
const RANDOM_KEYS: Record<keyof RandomSearcherOptions, true> = { ...MORPH_KEYS, walkLength: true };

/**
 * The option keys each built-in searcher declares (the keys of its options interface, checked by the
 * compiler against it).
 *
 * @example
 * ```ts
 * OPTION_KEYS.random; // ['initialTimeShare', 'minTrialEpochs', 'maxCostGrowth', 'proposeTimeLimit', 'walkLength']
 * ```
 */
export const OPTION_KEYS = {
  morph: Object.keys(MORPH_KEYS),
  surrogate: Object.keys(SURROGATE_KEYS),
  bayesian: Object.keys(BAYESIAN_KEYS),
  greedy: Object.keys(SURROGATE_KEYS),
  random: Object.keys(RANDOM_KEYS),
} as const satisfies Record<string, readonly string[]>;
