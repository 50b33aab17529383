import { invalidArgument } from '../errors';
import { BayesianSearcher } from './bayesian';
import { GreedySearcher } from './greedy';
import { RandomSearcher } from './random';
import type { Searcher, SearcherConfig, SearcherFactory } from './types';

const registry = new Map<string, SearcherFactory>();
const optionKeys = new Map<string, readonly string[]>();

/**
 * Registers a searcher under a name, so that `createSearcher(name, config)` (and the `searcher` option
 * of the task classes) can build it. Registering a taken name throws unless `replace` is set. With
 * `optionKeys`, the task classes' constructor rejects any other `searcherOptions` key with an
 * ArgumentError naming these (the built-in searchers declare theirs); `proposeTimeLimit`, which `fit`
 * always passes, is accepted too.
 *
 * @example
 * ```ts
 * registerSearcher('first-only', (config) => new FirstOnly(config), { optionKeys: ['depth'] });
 * const searcher = createSearcher('first-only', config);
 * ```
 */
export function registerSearcher(name: string, factory: SearcherFactory, options: { replace?: boolean; optionKeys?: readonly string[] } = {}): void {
  if (typeof name !== 'string' || name.length === 0) invalidArgument('name', 'a non-empty string', name);
  if (typeof factory !== 'function') invalidArgument('factory', 'a function (config) => Searcher', factory);
  if (registry.has(name) && !options.replace) {
    invalidArgument('name', `a name not registered yet (or pass { replace: true }); registered: ${listSearchers().join(', ')}`, name);
  }
  if (options.optionKeys !== undefined && !(Array.isArray(options.optionKeys) && options.optionKeys.every((k) => typeof k === 'string'))) {
    invalidArgument('optionKeys', 'an array of option names', options.optionKeys);
  }
  registry.set(name, factory);
  if (options.optionKeys) optionKeys.set(name, [...new Set([...options.optionKeys, 'proposeTimeLimit'])]);
  else optionKeys.delete(name);
}

/**
 * The `searcherOptions` keys a registered searcher declares, or undefined when it declares none (then
 * any key is passed on unchecked).
 *
 * @example
 * ```ts
 * searcherOptionKeys('random'); // ['initialTimeShare', 'minTrialEpochs', 'maxCostGrowth', 'proposeTimeLimit', 'walkLength']
 * ```
 */
export function searcherOptionKeys(name: string): readonly string[] | undefined {
  return optionKeys.get(name);
}

/** The registered searcher names, sorted. */
export function listSearchers(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Builds a searcher from a registered name, a factory, or returns a ready instance unchanged.
 *
 * @example
 * ```ts
 * createSearcher('bayesian', config);
 * createSearcher((c) => new RandomSearcher(c), config);
 * createSearcher(myInstance, config); // myInstance
 * ```
 */
export function createSearcher(searcher: string | SearcherFactory | Searcher, config: SearcherConfig): Searcher {
  if (typeof searcher === 'string') {
    const factory = registry.get(searcher);
    if (!factory) invalidArgument('searcher', `one of ${listSearchers().map((n) => `'${n}'`).join(', ')} or a factory / Searcher instance`, searcher);
    return checkSearcher(factory(config), searcher);
  }
  if (typeof searcher === 'function') return checkSearcher(searcher(config), 'factory');
  return checkSearcher(searcher, 'searcher');
}

function checkSearcher(s: Searcher, source: string): Searcher {
  const methods = ['propose', 'observe', 'state', 'restore'] as const;
  if (s === null || typeof s !== 'object' || methods.some((m) => typeof s[m] !== 'function')) {
    invalidArgument('searcher', `a Searcher (propose, observe, state, restore) from ${source}`, s);
  }
  return s;
}

registerSearcher('bayesian', (config) => new BayesianSearcher(config), { optionKeys: BayesianSearcher.optionKeys });
registerSearcher('random', (config) => new RandomSearcher(config), { optionKeys: RandomSearcher.optionKeys });
registerSearcher('greedy', (config) => new GreedySearcher(config), { optionKeys: GreedySearcher.optionKeys });
