import type { Graph } from '../graph/graph';
import type { MorphOp } from '../morph/ops';
import type { Rng } from '../util/rng';
import type { TrialRecord } from './trial';

export type { TrialRecord } from './trial';

/** Whether a larger metric is better (accuracy) or a smaller one (loss, MSE). */
export type MetricDirection = 'max' | 'min';

/**
 * What to train next. With `parentId === null` the graph is trained from fresh weights; otherwise
 * the trial is built by replaying `ops` on trial `parentId`'s trained graph (whose structure, after
 * replay, equals `graph`).
 */
export interface Proposal {
  /** The proposed architecture (structure; weights not needed). */
  graph: Graph;
  parentId: number | null;
  ops: MorphOp[];
  /** The searcher's acquisition value for this proposal, when it has one (for reports). */
  acquisition?: number;
}

/**
 * The search's clock as the loop sees it when it asks for a proposal.
 *
 * @example
 * ```ts
 * const budget: SearchBudget = { totalSeconds: 600, remainingSeconds: 420, trialSeconds: 120 };
 * ```
 */
export interface SearchBudget {
  /** Seconds of the whole search (this run's time limit plus the trained seconds of a resumed history). */
  totalSeconds: number;
  /** Seconds left before the deadline. */
  remainingSeconds: number;
  /** Most seconds one trial may train (the per-trial cap), when there is one. */
  trialSeconds?: number;
}

/**
 * What the loop tells {@link Searcher.propose}: the proposals handed out and not observed yet (a
 * prefetching or parallel loop), whose architectures must not be proposed again, and the time budget.
 *
 * @example
 * ```ts
 * const next = await searcher.propose({ pending: [running1, running2], budget: { totalSeconds: 600, remainingSeconds: 300 } });
 * ```
 */
export interface ProposeContext {
  pending: readonly Proposal[];
  /** The time budget, when the loop has a deadline. */
  budget?: SearchBudget;
}

/** A child of a graph in the search tree, with the op that made it. */
export interface MorphChild {
  graph: Graph;
  op: MorphOp;
}

/** The neighbour function a searcher explores with (GraphMorpher.neighbours bound to its options). */
export type NeighbourFn = (graph: Graph, rng: Rng) => MorphChild[];

/** What a searcher factory receives. */
export interface SearcherConfig {
  /** Architectures to try first (e.g. CNN, ResNet, DenseNet for images). */
  initialGraphs: Graph[];
  /** Children of a graph (structure only). */
  neighbours: NeighbourFn;
  /** Direction of the validation metric. */
  direction: MetricDirection;
  /** The searcher's random stream. */
  rng: Rng;
  /** Searcher-specific options (e.g. `beta` for UCB), untyped at this level. */
  options?: Record<string, unknown>;
}

/** JSON-safe state. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The Searcher contract (docs/architecture.md, "Modules"; docs/extending.md). The search loop calls `propose()`, trains the proposal,
 * then `observe()`s the result; it never reaches into the searcher. To resume, the loop creates a
 * fresh searcher, `observe()`s every past trial in order, then `restore()`s the saved state.
 *
 * @example
 * ```ts
 * class FirstOnly implements Searcher {
 *   readonly name = 'first-only';
 *   constructor(private config: SearcherConfig) {}
 *   async propose() { return { graph: this.config.initialGraphs[0]!, parentId: null, ops: [] }; }
 *   observe() {}
 *   state() { return null; }
 *   restore() {}
 * }
 * registerSearcher('first-only', (config) => new FirstOnly(config));
 * ```
 */
export interface Searcher {
  readonly name: string;
  /**
   * The next architecture to train. `context.pending` (optional; given by a parallel search loop) lists
   * proposals still training, whose architectures must not be proposed again.
   */
  propose(context?: ProposeContext): Promise<Proposal>;
  /** Records a finished or failed trial. */
  observe(trial: TrialRecord): void;
  /** JSON-safe state beyond the observed trials (random stream, counters). */
  state(): JsonValue;
  /** Restores {@link Searcher.state} after the past trials were observed. */
  restore(state: JsonValue): void;
}

/** Builds a searcher from its config. */
export type SearcherFactory = (config: SearcherConfig) => Searcher;
