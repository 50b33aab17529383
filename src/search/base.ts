import { SearchError, invalidArgument } from '../errors';
import { Graph } from '../graph/graph';
import { ArchitectureSet } from '../kernel/architecture-set';
import type { MorphOp } from '../morph/ops';
import { Rng } from '../util/rng';
import { DEFAULTS } from '../options';
import { checkSearcherConfig, numberOption } from './config';
import type { JsonValue, Proposal, ProposeContext, SearchBudget, Searcher, SearcherConfig, TrialRecord } from './types';

/** The state every {@link MorphSearcher} saves: its random stream and how many initial graphs it proposed. */
interface BaseState {
  rng: number[];
  nextInitial: number;
  extra: JsonValue;
}

/**
 * Shared machinery of the built-in searchers (not required for custom ones: implement {@link Searcher}
 * directly if you like). It proposes `config.initialGraphs` first, in order, while the time budget
 * affords them (`options.initialTimeShare`, default {@link DEFAULTS}.search.initialTimeShare: together
 * they may train for at most that share of the search's time; the first is always proposed), then asks the subclass
 * ({@link MorphSearcher.proposeNext}); when that finds nothing new it falls back to a random neighbour
 * of a trained architecture, then to a fresh copy of the first initial graph. It remembers every
 * observed and proposed architecture, so a proposal is never a duplicate of one (edit distance < 1e-5)
 * unless it is the last-resort fresh default.
 *
 * @example
 * ```ts
 * class FirstChild extends MorphSearcher {
 *   readonly name = 'first-child';
 *   protected proposeNext() { return this.randomWalk(this.rng.choice(this.successful()), 1); }
 * }
 * ```
 */
export abstract class MorphSearcher implements Searcher {
  abstract readonly name: string;
  protected rng: Rng;
  /** Every observed trial, in order. */
  protected readonly trials: TrialRecord[] = [];
  /** Every observed or proposed architecture. */
  protected readonly known = new ArchitectureSet();
  /** Architectures proposed, in order (some may not be observed yet). */
  protected readonly proposed: Graph[] = [];
  /** Architectures still training when the current proposal is made (parallel search). */
  protected pending: Graph[] = [];
  /** The time budget of the current proposal, when the loop has a deadline. */
  protected budget: SearchBudget | undefined;
  private nextInitial = 0;
  private readonly initialTimeShare: number;
  private readonly minTrialEpochs: number;
  private readonly maxCostGrowth: number;
  private readonly costs = new WeakMap<Graph, number>();

  constructor(protected readonly config: SearcherConfig) {
    checkSearcherConfig(config);
    this.rng = config.rng;
    this.initialTimeShare = numberOption(config.options, 'initialTimeShare', DEFAULTS.search.initialTimeShare, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
    this.minTrialEpochs = numberOption(config.options, 'minTrialEpochs', DEFAULTS.search.minTrialEpochs, (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0');
    this.maxCostGrowth = numberOption(config.options, 'maxCostGrowth', DEFAULTS.search.maxCostGrowth, (v) => v === 0 || (v >= 1 && Number.isFinite(v)), '0 (off) or a finite number >= 1');
  }

  async propose(context?: ProposeContext): Promise<Proposal> {
    // Pending trials may come from before a restart, which this searcher never proposed itself.
    const pending = context?.pending ?? [];
    this.budget = context?.budget;
    this.pending = pending.map((p) => p.graph);
    for (const g of this.pending) this.known.add(g);
    const freshPending = pending.filter((p) => p.parentId === null).length;
    let initial = this.config.initialGraphs[this.nextInitial];
    // An initial architecture too slow for the per-trial cap never becomes affordable: skip it for good.
    while (initial !== undefined && this.nextInitial > 0 && !this.initialFitsCap(initial)) initial = this.config.initialGraphs[++this.nextInitial];
    if (initial !== undefined && this.nextInitial > 0 && !this.affordsInitial(context?.budget, freshPending)) initial = undefined;
    if (initial !== undefined) this.nextInitial++;
    const proposal: Proposal = initial !== undefined ? { graph: initial, parentId: null, ops: [] } : this.proposeNext() ?? this.fallback();
    this.known.add(proposal.graph);
    this.proposed.push(proposal.graph);
    return proposal;
  }

  observe(trial: TrialRecord): void {
    if (trial === null || typeof trial !== 'object' || !(trial.graph instanceof Graph) || !Number.isInteger(trial.id)) {
      invalidArgument('trial', 'a TrialRecord with an integer id and a Graph', trial);
    }
    if (trial.status !== 'ok' && trial.status !== 'failed') invalidArgument('trial.status', "'ok' or 'failed'", trial.status);
    this.trials.push(trial);
    this.known.add(trial.graph);
  }

  state(): JsonValue {
    const s: BaseState = { rng: this.rng.state(), nextInitial: this.nextInitial, extra: this.extraState() };
    return s as unknown as JsonValue;
  }

  restore(state: JsonValue): void {
    const s = state as unknown as BaseState;
    if (s === null || typeof s !== 'object' || !Array.isArray(s.rng) || !Number.isInteger(s.nextInitial)) {
      invalidArgument('state', `the object a ${this.name} searcher's state() returned ({rng, nextInitial, extra})`, state);
    }
    this.rng = Rng.fromState(s.rng);
    this.nextInitial = s.nextInitial;
    this.restoreExtra(s.extra ?? null);
  }

  /**
   * Whether one more architecture from scratch fits in `initialTimeShare` of the budget: the seconds the
   * observed ones trained, plus the pending ones and the next one at their mean length (the per-trial cap
   * before any is observed). Always true without a budget, and while no trial has succeeded and none is
   * pending (there is nothing to morph yet).
   */
  private affordsInitial(budget: SearchBudget | undefined, freshPending: number): boolean {
    if (!budget) return true;
    if (this.successful().length === 0 && this.pending.length === 0) return true;
    const fresh = this.trials.filter((t) => t.parentId === null && typeof t.seconds === 'number' && t.seconds > 0).map((t) => t.seconds!);
    const spent = fresh.reduce((a, b) => a + b, 0);
    const each = fresh.length > 0 ? spent / fresh.length : budget.trialSeconds;
    if (each === undefined) return true;
    return spent + (freshPending + 1) * each <= this.initialTimeShare * budget.totalSeconds;
  }

  /**
   * Whether an initial architecture (trained from scratch) can train `options.minTrialEpochs` epochs
   * within the per-trial cap, its epoch estimated from the first trial with a measured epoch time by the
   * ratio of their {@link trainingCost}. True without a cap, with `minTrialEpochs` 0, or before any
   * epoch was measured. For 28x28x1 inputs the default ResNet costs 3.7 times the default CNN per
   * epoch and the DenseNet 8 times (the CNN trains an epoch of 6,000 images in ~7 s on wasm): under the
   * 20 s cap of a 60 s search they would not finish an epoch.
   */
  private initialFitsCap(graph: Graph): boolean {
    const cap = this.budget?.trialSeconds;
    if (cap === undefined || !(cap > 0) || this.minTrialEpochs === 0) return true;
    const measured = this.trials.find((t) => t.status === 'ok' && typeof t.epochSeconds === 'number' && t.epochSeconds > 0);
    if (!measured) return true;
    return cap / (measured.epochSeconds! * (this.cost(graph) / this.cost(measured.graph))) >= this.minTrialEpochs;
  }

  /**
   * The test a morphed proposal must pass to fit the per-trial cap (the tree search's `feasible` option).
   * A child of trained trial `ancestorId`:
   * - may cost at most `options.maxCostGrowth` (default {@link DEFAULTS}.search.maxCostGrowth) times
   *   its ancestor per epoch, by the ratio of their {@link trainingCost};
   * - must train at least `options.minTrialEpochs` (default {@link DEFAULTS}.search.minTrialEpochs)
   *   whole epochs within the cap, its epoch estimated as the ancestor's measured `epochSeconds` times
   *   that ratio (a child of an ancestor without a measured epoch passes this part).
   *
   * Undefined (no test) without a cap, or with both options 0.
   */
  protected trialBudgetTest(): ((child: Graph, ancestorId: number) => boolean) | undefined {
    const cap = this.budget?.trialSeconds;
    if (cap === undefined || !(cap > 0) || (this.minTrialEpochs === 0 && this.maxCostGrowth === 0)) return undefined;
    const byId = new Map(this.trials.map((t) => [t.id, t]));
    return (child, ancestorId) => {
      const a = byId.get(ancestorId);
      if (!a) return true;
      const growth = this.cost(child) / this.cost(a.graph);
      if (this.maxCostGrowth > 0 && growth > this.maxCostGrowth) return false;
      return !a.epochSeconds || cap / (a.epochSeconds * growth) >= this.minTrialEpochs;
    };
  }

  private cost(graph: Graph): number {
    let c = this.costs.get(graph);
    if (c === undefined) this.costs.set(graph, c = trainingCost(graph));
    return c;
  }

  /** The searcher's own choice after the initial graphs; null when it found nothing new. */
  protected abstract proposeNext(): Proposal | null;

  /** Subclass state beyond the random stream (JSON-safe). */
  protected extraState(): JsonValue {
    return null;
  }

  /** Restores {@link MorphSearcher.extraState}. */
  protected restoreExtra(_extra: JsonValue): void {}

  /** Trials that succeeded with a finite metric (the only ones a surrogate may learn from). */
  protected successful(): TrialRecord[] {
    return this.trials.filter((t) => t.status === 'ok' && Number.isFinite(t.metric));
  }

  /** The best successful trial by the configured direction. */
  protected best(): TrialRecord | undefined {
    const sign = this.config.direction === 'max' ? 1 : -1;
    return this.successful().reduce<TrialRecord | undefined>((b, t) => (b === undefined || sign * t.metric > sign * b.metric ? t : b), undefined);
  }

  /**
   * A random morph walk of 1..`maxSteps` steps from trial `from`, ending on an architecture not known yet;
   * null when `attempts` walks all ended on known ones (or found no children).
   */
  protected randomWalk(from: TrialRecord, maxSteps: number, attempts = 8): Proposal | null {
    for (let a = 0; a < attempts; a++) {
      const steps = 1 + this.rng.int(maxSteps);
      let graph = from.graph;
      const ops: MorphOp[] = [];
      for (let s = 0; s < steps; s++) {
        const children = this.config.neighbours(graph, this.rng);
        if (children.length === 0) break;
        const child = this.rng.choice(children);
        graph = child.graph;
        ops.push(child.op);
      }
      if (ops.length > 0 && !this.known.has(graph)) return { graph, parentId: from.id, ops };
    }
    return null;
  }

  /** A random neighbour of a random successful trial, else a fresh copy of the first initial graph. */
  protected fallback(): Proposal {
    const ok = this.successful();
    for (const from of this.rng.shuffle(ok).slice(0, 4)) {
      const p = this.randomWalk(from, 1);
      if (p) return p;
    }
    const first = this.config.initialGraphs[0];
    if (!first) {
      throw new SearchError(`${this.name} searcher: found no new architecture and config.initialGraphs is empty, so there is no default to fall back to`);
    }
    return { graph: first.clone(false), parentId: null, ops: [] };
  }
}

/**
 * A relative measure of the time one training step spends per sample: forward multiply-accumulates
 * (conv and dense layers) plus `DEFAULTS.search.activationCost` times the elements of every activation
 * (batch normalisation, ReLU, pooling and merges run element-wise kernels over them, forward and
 * backward). Only ratios between architectures are meaningful.
 *
 * @example
 * ```ts
 * trainingCost(child) / trainingCost(parent); // 1.4: an epoch of the child takes about 1.4x as long
 * ```
 */
export function trainingCost(graph: Graph): number {
  return graph.macCount() + DEFAULTS.search.activationCost * graph.activationCount();
}
