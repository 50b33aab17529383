import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import type { Surrogate } from '../gp/surrogate';
import { ArchitectureSet } from '../kernel/architecture-set';
import type { MorphOp } from '../morph/ops';
import { DEFAULTS } from '../options';
import type { MetricDirection, NeighbourFn } from '../search/types';
import type { Rng } from '../util/rng';
import { PriorityQueue } from './priority-queue';
import type { AcquisitionFunction } from './ucb';

/**
 * A trained architecture the search tree starts from (`metric` NaN for a failed trial: never expanded).
 *
 * @example
 * ```ts
 * const t: TrainedArchitecture = { id: 4, graph, metric: 0.93 };
 * ```
 */
export interface TrainedArchitecture {
  id: number;
  graph: Graph;
  metric: number;
}

/** Options of {@link TreeSearchOptimizer}; the temperatures default to `DEFAULTS.annealing`. */
export interface TreeSearchOptions {
  surrogate: Surrogate<Graph>;
  acquisition: AcquisitionFunction;
  neighbours: NeighbourFn;
  /** Direction of the observed metric (orders the trained architectures in the queue). Default `max`. */
  direction?: MetricDirection;
  initialTemperature?: number;
  decay?: number;
  minTemperature?: number;
  /** Edit distance under which two architectures are the same. */
  duplicateDistance?: number;
  /**
   * Most morph operations between a proposal and its trained ancestor (default `DEFAULTS.annealing.maxDepth`).
   * Children at this depth are scored (and may be returned) but not expanded. `Infinity` is the paper's
   * unbounded tree.
   */
  maxDepth?: number;
  /**
   * Whether a child may be proposed (default: every child may), e.g. whether it can train long enough
   * within a per-trial time cap. A child that fails it is neither queued nor returned while any child
   * passes; morphs only add compute, so its descendants would fail too. When no child passes, the
   * best-scoring child of all is returned.
   */
  feasible?: (child: Graph, ancestorId: number) => boolean;
}

/** One call of {@link TreeSearchOptimizer.optimize}. */
export interface TreeSearchRun {
  rng: Rng;
  /** More architectures that must not be returned (pending proposals, failed trials). */
  exclude?: readonly Graph[];
  /** `Date.now()` value after which no node is expanded. */
  deadline?: number;
}

/** The optimiser's answer: replay `ops` on trained architecture `ancestorId` to build `graph`. */
export interface TreeSearchResult {
  graph: Graph;
  ancestorId: number;
  ops: MorphOp[];
  /** The acquisition score (larger is better). */
  acquisition: number;
  mean: number;
  std: number;
  /** Nodes expanded and new children scored, for reports. */
  expansions: number;
  generated: number;
}

interface TreeNode {
  graph: Graph;
  ancestorId: number;
  ops: MorphOp[];
}

/**
 * Tree-structured acquisition optimiser (Auto-Keras section 3.3, Algorithm 1; docs/algorithms.md section 4):
 * simulated annealing over the tree whose nodes are architectures and edges morph operations.
 *
 * A priority queue starts with the trained architectures keyed by observed metric (negated when
 * minimising). Each step pops the best node, generates its children with the neighbour function, skips
 * children within `duplicateDistance` of any trained, excluded, queued or generated architecture, scores
 * the rest with the acquisition function, and queues each feasible child (option `feasible`) with probability
 * `exp(min((acq - best_acq) / T, 1))` (the per-child test) unless it is `maxDepth` ops from its trained
 * ancestor; the best child so far is tracked; then `T *= decay`.
 * It stops when `T < minTemperature` (88 steps with the defaults), the queue is empty or the deadline passes.
 * Depends only on a {@link Surrogate} and an {@link AcquisitionFunction}, never on a searcher.
 *
 * @example
 * ```ts
 * const opt = new TreeSearchOptimizer({ surrogate: gp, acquisition: new UpperConfidenceBound(), neighbours });
 * const best = opt.optimize([{ id: 0, graph: g0, metric: 0.91 }], { rng });
 * // best?.graph, best?.ancestorId (0), best?.ops (replay them on trial 0's weights)
 * ```
 */
export class TreeSearchOptimizer {
  private readonly direction: MetricDirection;
  private readonly t0: number;
  private readonly decay: number;
  private readonly tLow: number;
  private readonly duplicateDistance: number;
  private readonly maxDepth: number;

  constructor(private readonly options: TreeSearchOptions) {
    const a = DEFAULTS.annealing;
    this.direction = options.direction ?? 'max';
    this.t0 = options.initialTemperature ?? a.initialTemperature;
    this.decay = options.decay ?? a.decay;
    this.tLow = options.minTemperature ?? a.minTemperature;
    this.duplicateDistance = options.duplicateDistance ?? a.duplicateDistance;
    this.maxDepth = options.maxDepth ?? a.maxDepth;
    if (!(this.maxDepth >= 1)) invalidArgument('maxDepth', 'a number >= 1 (Infinity for no limit)', options.maxDepth);
    if (!(this.t0 > 0)) invalidArgument('initialTemperature', 'a positive number', options.initialTemperature);
    if (!(this.decay > 0 && this.decay < 1)) invalidArgument('decay', 'a number in (0, 1)', options.decay);
    if (!(this.tLow > 0)) invalidArgument('minTemperature', 'a positive number', options.minTemperature);
    if (typeof options.neighbours !== 'function') invalidArgument('neighbours', 'a function (graph, rng) => MorphChild[]', options.neighbours);
  }

  /** Runs the annealing from `trained`; null when no new architecture was found. */
  optimize(trained: readonly TrainedArchitecture[], run: TreeSearchRun): TreeSearchResult | null {
    const state: AnnealingState = {
      known: new ArchitectureSet(this.duplicateDistance), queue: new PriorityQueue<TreeNode>(), best: null, bestInfeasible: null, expansions: 0, generated: 0,
    };
    const sign = this.direction === 'max' ? 1 : -1;
    for (const t of trained) {
      state.known.add(t.graph);
      if (Number.isFinite(t.metric)) state.queue.push({ graph: t.graph, ancestorId: t.id, ops: [] }, sign * t.metric);
    }
    for (const g of run.exclude ?? []) state.known.add(g);
    for (let T = this.t0; T >= this.tLow && state.queue.size > 0; T *= this.decay) {
      if (run.deadline !== undefined && Date.now() >= run.deadline) break;
      this.expand(state, state.queue.pop()!.item, T, run.rng);
    }
    const best = state.best ?? state.bestInfeasible;
    return best ? { ...best, expansions: state.expansions, generated: state.generated } : null;
  }

  /** Generates, scores and (per-child annealing test) queues the new children of one node. */
  private expand(state: AnnealingState, node: TreeNode, T: number, rng: Rng): void {
    state.expansions++;
    const children = this.options.neighbours(node.graph, rng).filter((c) => state.known.add(c.graph));
    if (children.length === 0) return;
    state.generated += children.length;
    const prediction = this.options.surrogate.predict(children.map((c) => c.graph));
    const scores = this.options.acquisition.evaluate(prediction);
    children.forEach((child, i) => {
      const acq = scores[i]!;
      if (!Number.isFinite(acq)) return;
      const bestAcq = state.best?.acquisition ?? -Infinity;
      const entry: TreeNode = { graph: child.graph, ancestorId: node.ancestorId, ops: [...node.ops, child.op] };
      const scored = { ...entry, acquisition: acq, mean: prediction.mean[i]!, std: prediction.std[i]! };
      if (this.options.feasible && !this.options.feasible(child.graph, node.ancestorId)) {
        if (acq > (state.bestInfeasible?.acquisition ?? -Infinity)) state.bestInfeasible = scored;
        return;
      }
      const p = Math.exp(Math.min((acq - bestAcq) / T, 1));
      if ((p >= 1 || rng.next() < p) && entry.ops.length < this.maxDepth) state.queue.push(entry, acq);
      if (acq > bestAcq) state.best = scored;
    });
  }
}

interface AnnealingState {
  known: ArchitectureSet;
  queue: PriorityQueue<TreeNode>;
  best: Omit<TreeSearchResult, 'expansions' | 'generated'> | null;
  /** The best child that failed `feasible`, returned only when no child passed. */
  bestInfeasible: Omit<TreeSearchResult, 'expansions' | 'generated'> | null;
  expansions: number;
  generated: number;
}
