import type { Preprocessing } from '../data/preprocessing';
import { ArgumentError } from '../errors';
import { savedObjective } from '../train/metrics';
import { openExecutor } from '../execute/facade';
import type { ExecutorSession } from '../execute/facade';
import { MemoryBudget } from '../execute/memory-budget';
import type { SearchLoopOptions } from '../execute/search-loop';
import { defaultGenerators } from '../generators/defaults';
import { textGenerators } from '../generators/text';
import { GraphMorpher } from '../morph/morpher';
import type { SearchDirectory } from '../persist/search-directory';
import { graphToJSON } from '../graph/json';
import { createSearcher } from '../search/registry';
import { ThreadedSearcher } from '../search/threaded';
import type { TrialStore } from '../search/search-loop';
import type { TrialResult } from '../search/trial';
import type { JsonValue, Searcher } from '../search/types';
import type { StreamTrainData, TrainData } from '../train/types';
import type { Rng } from '../util/rng';
import type { FitConfig } from './config';
import type { ResolvedOptions } from './options';
import { MemoryTrialStore } from './stores';
import type { SearchSpec } from './task-spec';

/** What `fit` hands to {@link openSession}. */
export interface SessionInput {
  /** The fit's resolved configuration. */
  config: FitConfig;
  /** The task with the search's objective (its direction drives the searcher). */
  spec: SearchSpec;
  prep: Preprocessing;
  /** The search directory: the user's, or a temporary one for an executor's workers; null to keep the search in memory. */
  dir: SearchDirectory | null;
  /** Whether `dir` holds a search to continue. */
  resume: boolean;
  rng: Rng;
  data: TrainData | StreamTrainData;
}

/** The wired parts of one search, ready for `runSearchLoop`. */
export interface Session {
  loop: Omit<SearchLoopOptions, 'deadline' | 'maxTrials' | 'events'> & { store: TrialStore };
  /** Stops what the session started (the executor it created, the searcher thread). */
  close: () => Promise<void>;
}

/** Searchers the worker thread can build (a custom one registered in the main thread only cannot cross). */
const THREADABLE: readonly string[] = ['bayesian', 'random', 'greedy'];

/**
 * Wires one search: initial architectures for the input shape, the morpher, the searcher, the store
 * (search directory or memory; resumed when asked), the executor that runs the trials (in this
 * process, or workers reading the search directory) and the memory rule.
 */
export async function openSession(input: SessionInput): Promise<Session> {
  const { config, spec, prep, dir, rng, data } = input;
  const options = config.options;
  const shape = prep.sampleShape.slice();
  const outputs = prep.labels ? prep.labels.numClasses : prep.targets!;
  const initialGraphs = (options.generators ?? (prep.text ? textGenerators(prep.text.size) : defaultGenerators(shape))).map((g) => g.generate(shape, outputs, spec.head));
  const morpher = new GraphMorpher();
  const searcherRng = rng.fork();
  // Paper 4.3: a built-in searcher runs in a worker thread and proposes while the running trials train.
  const threaded = options.searchThread && typeof options.searcher === 'string' && THREADABLE.includes(options.searcher);
  const searcher = threaded
    ? new ThreadedSearcher({ searcher: options.searcher as string, initialGraphs: initialGraphs.map((g) => graphToJSON(g, false)), direction: spec.direction, rng: searcherRng.state(), options: config.searcherOptions })
    : createSearcher(options.searcher, {
      initialGraphs, neighbours: (g, r) => morpher.neighbours(g, r), direction: spec.direction, rng: searcherRng, options: config.searcherOptions,
    });
  let executor: ExecutorSession | undefined;
  try {
    let history: TrialResult[] = [];
    if (dir && input.resume && dir.exists()) {
      history = await resume(dir, searcher, spec);
    } else if (dir) {
      await dir.create({ task: spec.task, options: jsonOptions(options), preprocessing: prep.toJSON() }, { overwrite: options.overwrite });
    }
    const store: TrialStore = dir ?? new MemoryTrialStore();
    const trialSeed = rng.seed();
    executor = await openExecutor(config.executor, dir, data, config.train, trialSeed, (id) => store.trainedGraph(id), config.train.metrics ? config.metrics : undefined);
    const { executor: run, directory } = executor;
    // The first architecture trains until it converges, within firstTrialSeconds (DEFAULTS.search.firstTrialShare).
    const toSpec: typeof executor.toSpec = (trialId, proposal, deadline) => {
      const spec = executor!.toSpec(trialId, proposal, deadline);
      return trialId === 0 ? { ...spec, train: { ...spec.train, maxSeconds: config.firstTrialSeconds } } : spec;
    };
    const memory = new MemoryBudget(config.memoryBudget, config.train.batchSize);
    const session = executor;
    const close = async () => {
      await session.close();
      if (searcher instanceof ThreadedSearcher) await searcher.close();
    };
    return {
      loop: { searcher, store, executor: run, toSpec, direction: spec.direction, history, memory, prefetch: threaded, trialSeconds: config.trialSeconds, ...(directory ? { directory } : {}) },
      close,
    };
  } catch (e) {
    await executor?.close();
    if (searcher instanceof ThreadedSearcher) await searcher.close();
    throw e;
  }
}

/** Reads a search directory back: checks every file, replays the history into the searcher, restores its state. */
async function resume(dir: SearchDirectory, searcher: Searcher, spec: SearchSpec): Promise<TrialResult[]> {
  const meta = await dir.readMeta();
  if (meta.task !== spec.task) throw new ArgumentError(`Cannot resume: ${dir.root} holds a ${meta.task} search, not ${spec.task}`);
  // The history's metrics are the saved objective's values: another objective would compare unlike numbers.
  const objective = savedObjective(meta.options, spec.task).name;
  if (objective !== spec.metricName) throw new ArgumentError(`Cannot resume: ${dir.root} holds a search with objective '${objective}', not '${spec.metricName}' (pass objective: '${objective}', or start a new search)`);
  const history = await dir.readTrials();
  for (const t of history) searcher.observe(t);
  const saved = await dir.readSearcherState();
  if (saved && saved.searcher === searcher.name) searcher.restore(saved.state);
  return history;
}

/** The JSON-safe part of the options, for meta.json. */
function jsonOptions(options: ResolvedOptions): JsonValue {
  const { searcher, generators, executor, ...rest } = options;
  return { ...JSON.parse(JSON.stringify(rest)), executor: typeof executor === 'string' || !('run' in executor) ? executor : 'TrialExecutor', generators: generators?.map((g) => g.name) ?? null, searcher: typeof searcher === 'string' ? searcher : typeof searcher === 'function' ? 'factory' : (searcher as Searcher).name };
}
