import { currentBackend, selectBackend } from '../backend/select';
import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { graphFromJSON } from '../graph/json';
import { GraphMorpher } from '../morph/morpher';
import { SearchDirectory } from '../persist/search-directory';
import type { TrialOutcome, WorkerResult } from '../search/trial';
import { trainGraph } from '../train/train';
import type { StreamTrainData, TrainData, TrainResult } from '../train/types';
import { Rng } from '../util/rng';
import { resolveMetric } from '../train/metrics';
import type { ResolvedMetric } from '../train/metrics';
import { loadPreparedData } from './data-files';
import { writeOutcome } from './outcome-files';
import type { TrialListener, TrialSpec } from './types';

/** Options of {@link executeTrial}. */
export interface ExecuteOptions {
  /** Data already in memory (the in-process executor, a `tf.data` stream included); default: loaded from `spec.data`. */
  data?: TrainData | StreamTrainData;
  /** The trained parent already in memory; default: read from `spec.parent`. */
  parent?: Graph | null;
  /** Hears the trial's epochs. */
  listener?: TrialListener;
  /** The metrics, functions included (in-process only); default: the built-ins named by `spec.train.metrics`. */
  metrics?: readonly ResolvedMetric[];
}

const morpher = new GraphMorpher();

/**
 * The {@link TrialOutcome} of a {@link trainGraph} result, with the mean seconds of a whole epoch read
 * off the history (the end of the last uncut epoch over its number) and whether it failed for lack of
 * memory after its retry (paper section 4.4).
 *
 * @example
 * ```ts
 * const outcome = trialOutcome(await trainGraph(graph, data, { task: 'classification', rng }));
 * ```
 */
export function trialOutcome(r: TrainResult): TrialOutcome {
  const whole = r.history.filter((log) => !log.partial);
  const last = whole[whole.length - 1];
  return {
    ...(r.status === 'ok' ? { graph: r.graph } : {}), metric: r.metric, ...(r.metrics ? { metrics: r.metrics } : {}), epochs: r.epochs, seconds: r.seconds, status: r.status,
    ...(r.error ? { error: r.error } : {}), valLoss: r.valLoss, bestEpoch: r.bestEpoch, batchSize: r.batchSize, stoppedBy: r.stoppedBy,
    ...(last && last.seconds > 0 ? { epochSeconds: last.seconds / last.epoch } : {}),
    ...(r.status === 'failed' && r.retries > 0 ? { outOfMemory: true } : {}),
  };
}

/**
 * Runs one {@link TrialSpec} in this process, the one trial runner of every executor: switches to
 * `spec.backend` when it names one, reads the data and the trained parent by reference (or takes them
 * from `options`), replays the morph operations on the parent (or builds the graph from fresh
 * weights), trains it with early stopping and returns the outcome with the trained graph. Throws when
 * the trial cannot start (missing parent weights, unreadable data): executors count that as a failed
 * attempt and retry it once.
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
  const epochEnd = options.listener?.epochEnd;
  const metrics = options.metrics ?? t.metrics?.map((m, i) => resolveMetric(m, t.task, `spec.train.metrics[${i}]`));
  const r = await trainGraph(graph, data, {
    task: t.task, epochs: t.epochs, patience: t.patience, batchSize: t.batchSize, optimizer: t.optimizer, augment: t.augment, lrSchedule: t.lrSchedule,
    deadline: t.maxSeconds === undefined ? spec.deadline : Math.min(spec.deadline, Date.now() + t.maxSeconds * 1000), rng: new Rng(spec.seed),
    ...(epochEnd ? { onEpochEnd: epochEnd } : {}), ...(metrics && metrics.length > 0 ? { metrics } : {}), ...(t.monitor ? { monitor: t.monitor } : {}),
    ...(t.multiLabel ? { multiLabel: true } : {}), ...(t.classWeight ? { classWeight: t.classWeight } : {}),
    ...(options.listener?.signal ? { signal: options.listener.signal } : {}),
  });
  return trialOutcome(r);
}

/**
 * What a worker does with a spec: {@link executeTrial}, then the outcome files (trained weights and
 * `result.json`) into the search directory; returns the JSON-safe {@link WorkerResult}.
 *
 * @example
 * ```ts
 * const result = await executeAndWrite(spec, { epochEnd: (log) => report(log) }); // outcomes/<id>/ now holds the trained graph
 * ```
 */
export async function executeAndWrite(spec: TrialSpec, listener?: TrialListener): Promise<WorkerResult> {
  checkSpec(spec);
  return writeOutcome(spec, await executeTrial(spec, listener ? { listener } : {}));
}

function checkSpec(spec: TrialSpec): void {
  const ok = spec !== null && typeof spec === 'object' && Number.isInteger(spec.trialId) && typeof spec.directory === 'string'
    && typeof spec.graph === 'object' && typeof spec.train === 'object' && Array.isArray(spec.ops);
  if (!ok) invalidArgument('spec', 'a TrialSpec ({ trialId, directory, graph, ops, train, ... })', spec);
}
