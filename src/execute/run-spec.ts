import { currentBackend, selectBackend } from '../backend/select';
import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { graphFromJSON } from '../graph/json';
import { GraphMorpher } from '../morph/morpher';
import { SearchDirectory } from '../persist/search-directory';
import { trialOutcome } from '../search/search-loop';
import type { TrialOutcome } from '../search/search-loop';
import { trainGraph } from '../train/train';
import type { TrainData } from '../train/types';
import { Rng } from '../util/rng';
import { loadPreparedData } from './data-files';
import { writeOutcome } from './outcome-files';
import type { TrialSpec, WorkerResult } from './types';

/** Options of {@link executeTrial}. */
export interface ExecuteOptions {
  /** Data already in memory (the in-process executor); default: loaded from `spec.data`. */
  data?: TrainData;
  /** The trained parent already in memory; default: read from `spec.parent`. */
  parent?: Graph | null;
}

const morpher = new GraphMorpher();

/**
 * Runs one {@link TrialSpec} in this process: switches to `spec.backend` when it names one, reads the
 * data and the trained parent by reference, replays the morph operations on the parent (or builds the
 * graph from fresh weights), trains it with early stopping and returns the outcome with the trained
 * graph. Throws when the trial cannot start (missing parent weights, unreadable data): executors count
 * that as a failed attempt and retry it once.
 *
 * @example
 * ```ts
 * const outcome = await executeTrial(spec); // { graph, metric, epochs, seconds, status, ... }
 * ```
 */
export async function executeTrial(spec: TrialSpec, options: ExecuteOptions = {}): Promise<TrialOutcome> {
  if (spec.backend && currentBackend() !== spec.backend) await selectBackend(spec.backend);
  const data = options.data ?? (await loadPreparedData(spec.data));
  const parent = options.parent !== undefined ? options.parent
    : spec.parent ? await new SearchDirectory(spec.parent.directory).trainedGraph(spec.parent.trialId) : null;
  const graph = parent ? morpher.replay(parent, spec.ops) : graphFromJSON(spec.graph);
  const t = spec.train;
  const r = await trainGraph(graph, data, {
    task: t.task, epochs: t.epochs, patience: t.patience, batchSize: t.batchSize, optimizer: t.optimizer, augment: t.augment, lrSchedule: t.lrSchedule,
    deadline: t.maxSeconds === undefined ? spec.deadline : Math.min(spec.deadline, Date.now() + t.maxSeconds * 1000), rng: new Rng(spec.seed),
  });
  return trialOutcome(r);
}

/**
 * What a worker does with a spec: {@link executeTrial}, then the outcome files (trained weights and
 * `result.json`) into the search directory; returns the JSON-safe {@link WorkerResult}.
 *
 * @example
 * ```ts
 * const result = await executeAndWrite(spec); // outcomes/<id>/ now holds the trained graph
 * ```
 */
export async function executeAndWrite(spec: TrialSpec): Promise<WorkerResult> {
  checkSpec(spec);
  return writeOutcome(spec, await executeTrial(spec));
}

function checkSpec(spec: TrialSpec): void {
  const ok = spec !== null && typeof spec === 'object' && Number.isInteger(spec.trialId) && typeof spec.directory === 'string'
    && typeof spec.graph === 'object' && typeof spec.train === 'object' && Array.isArray(spec.ops);
  if (!ok) invalidArgument('spec', 'a TrialSpec ({ trialId, directory, graph, ops, train, ... })', spec);
}
