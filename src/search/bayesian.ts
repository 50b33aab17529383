import { UpperConfidenceBound } from '../acquisition/ucb';
import { TreeSearchOptimizer } from '../acquisition/tree-search';
import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { checkOptionKeys, numberOption, OPTION_KEYS } from './config';
import { SurrogateSearcher } from './surrogate-searcher';
import type { BayesianSearcherOptions } from './config';
import type { Proposal, SearcherConfig } from './types';

/**
 * Auto-Keras's searcher (paper section 3, docs/algorithms.md sections 3-4): after the initial graphs, a
 * Gaussian process on the edit-distance kernel models the metric of the successful trials, and the
 * tree-structured optimiser anneals over morph operations from the trained architectures to the child
 * of best UCB. Falls back to a random neighbour, then to a fresh default, when nothing new is found.
 *
 * Options (`config.options`, {@link BayesianSearcherOptions}; any other key is an ArgumentError): `beta` (UCB weight, default 2.576), `lambda` (skip weight of the
 * distance, default 1), `liar` (what the GP believes of pending architectures, see
 * {@link SurrogateSearcher}), `minTrialEpochs` (with a per-trial cap, a child is proposed only if its
 * estimated epoch time lets it train this many epochs within the cap, unless none can; default
 * `DEFAULTS.search.minTrialEpochs`), `maxCostGrowth` (with a per-trial cap, a child may cost at most this
 * multiple of its trained ancestor per epoch, unless none can; default `DEFAULTS.search.maxCostGrowth`,
 * 1.5; 0 turns it off), `proposeTimeLimit` (seconds one propose may search; default none),
 * `initialTemperature`, `decay`, `minTemperature`, `maxDepth` (morph operations from a trained
 * architecture; defaults in `DEFAULTS.annealing`).
 *
 * @example
 * ```ts
 * const searcher = new BayesianSearcher({ initialGraphs: [cnn], neighbours, direction: 'max', rng: new Rng(0) });
 * const p = await searcher.propose(); // cnn first
 * searcher.observe({ id: 0, graph: p.graph, metric: 0.91, parentId: null, ops: [], status: 'ok' });
 * const next = await searcher.propose(); // { graph, parentId: 0, ops: [...], acquisition }
 * ```
 */
export class BayesianSearcher extends SurrogateSearcher {
  readonly name: string = 'bayesian';
  private readonly acquisition: UpperConfidenceBound;
  private readonly annealing: { initialTemperature?: number; decay?: number; minTemperature?: number; maxDepth?: number };
  private readonly timeLimit: number;

  /** The keys of {@link BayesianSearcherOptions}: any other key in `config.options` is an ArgumentError. */
  static readonly optionKeys: readonly string[] = OPTION_KEYS.bayesian;

  constructor(config: SearcherConfig) {
    super(config);
    if (new.target === BayesianSearcher) checkOptionKeys(config.options, BayesianSearcher.optionKeys, 'bayesian');
    const o = config.options;
    const beta = numberOption(o, 'beta', DEFAULTS.search.ucbBeta, (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');
    this.timeLimit = numberOption(o, 'proposeTimeLimit', Infinity, (v) => v > 0, 'a positive number of seconds');
    this.acquisition = new UpperConfidenceBound({ beta, direction: config.direction });
    this.annealing = {
      initialTemperature: optionalNumber(o, 'initialTemperature'),
      decay: optionalNumber(o, 'decay'),
      minTemperature: optionalNumber(o, 'minTemperature'),
      maxDepth: optionalNumber(o, 'maxDepth'),
    };
    // Checks the annealing options now rather than at the first propose.
    new TreeSearchOptimizer({ ...this.annealing, surrogate: this.surrogate.sync([]), acquisition: this.acquisition, neighbours: config.neighbours });
  }

  protected proposeNext(): Proposal | null {
    const ok = this.successful();
    if (ok.length === 0) return null;
    const optimizer = new TreeSearchOptimizer({
      ...this.annealing,
      surrogate: this.model(ok),
      acquisition: this.acquisition,
      neighbours: this.config.neighbours,
      direction: this.config.direction,
      feasible: this.trialBudgetTest(),
    });
    const okSet = new Set(ok);
    const failed = this.trials.filter((t) => !okSet.has(t)).map((t) => t.graph);
    const deadline = Number.isFinite(this.timeLimit) ? Date.now() + this.timeLimit * 1000 : undefined;
    const result = optimizer.optimize(
      ok.map((t) => ({ id: t.id, graph: t.graph, metric: t.metric })),
      { rng: this.rng, exclude: [...failed, ...this.proposed, ...this.pending], deadline },
    );
    if (!result) return null;
    const [bound] = this.acquisition.bound({ mean: [result.mean], std: [result.std] });
    return { graph: result.graph, parentId: result.ancestorId, ops: result.ops, acquisition: bound };
  }
}

function optionalNumber(o: Record<string, unknown> | undefined, key: string): number | undefined {
  const v = o?.[key];
  if (v !== undefined && typeof v !== 'number') invalidArgument(`options.${key}`, 'a number', v);
  return v as number | undefined;
}
