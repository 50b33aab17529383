import type { GraphJSON } from '../graph/json';
import type { MorphOptions } from '../morph/morpher';
import type { MorphOp } from '../morph/ops';
import type { JsonValue, MetricDirection, SearchBudget } from './types';

/** What a searcher thread is built from: everything JSON-safe (a registered searcher's name, not a closure). */
export interface ThreadedSearcherSpec {
  /** A registered searcher name (`bayesian`, `random`, `greedy`, or one registered in the thread's modules). */
  searcher: string;
  initialGraphs: GraphJSON[];
  direction: MetricDirection;
  /** The random stream's state (`Rng.state()`). */
  rng: number[];
  /** Searcher options (e.g. `beta`, `proposeTimeLimit`). */
  options?: Record<string, JsonValue>;
  /** Options of the thread's own GraphMorpher (its neighbour function). */
  morph?: MorphOptions;
}

/** A proposal crossing the thread boundary. */
export interface ProposalMessage {
  graph: GraphJSON;
  parentId: number | null;
  ops: MorphOp[];
  acquisition?: number;
}

/** Main thread -> searcher thread. */
export type ToThread =
  | { type: 'observe'; trial: { id: number; graph: GraphJSON; metric: number | null; parentId: number | null; ops: MorphOp[]; status: 'ok' | 'failed'; seconds?: number; epochSeconds?: number } }
  | { type: 'propose'; id: number; pending: { graph: GraphJSON; parentId: number | null }[]; budget?: SearchBudget }
  | { type: 'restore'; state: JsonValue };

/** Searcher thread -> main thread. */
export type FromThread =
  | { type: 'ready'; name: string }
  | { type: 'proposal'; id: number; proposal: ProposalMessage; state: JsonValue; seconds: number }
  | { type: 'error'; id: number | null; message: string };
