import type { Preprocessing } from '../data/preprocessing';
import { ArgumentError } from '../errors';
import { openParallel } from '../execute/facade';
import type { ParallelSession } from '../execute/facade';
import { defaultGenerators } from '../generators/defaults';
import { GraphMorpher } from '../morph/morpher';
import { DEFAULTS } from '../options';
import type { SearchDirectory } from '../persist/search-directory';
import { graphToJSON } from '../graph/json';
import { createSearcher } from '../search/registry';
import { ThreadedSearcher } from '../search/threaded';
import { trialOutcome } from '../search/search-loop';
import type { SearchLoopOptions, TrialJob, TrialOutcome, TrialStore, TrialSummary } from '../search/search-loop';
import type { JsonValue, Searcher } from '../search/types';
import { estimateMemoryBytes } from '../train/memory';
import { trainGraph } from '../train/train';
import type { StreamTrainData, TrainData } from '../train/types';
import { Rng } from '../util/rng';
import type { AutoModelEvents } from './events';
import type { ResolvedOptions } from './options';
import { MemoryTrialStore } from './stores';
import type { TaskSpec } from './task-spec';

/** What `fit` hands to {@link openSession}. */
export interface SessionInput {
  options: ResolvedOptions;
  spec: TaskSpec;
  prep: Preprocessing;
  dir: SearchDirectory | null;
  rng: Rng;
  data: TrainData | StreamTrainData;
  /** Seconds of the whole search (bounds the time one proposal may take). */
  timeLimit: number;
  emit: <E extends keyof AutoModelEvents>(event: E, ...args: Parameters<AutoModelEvents[E]>) => boolean;
}

/** The wired parts of one search, ready for `runSearchLoop`. */
export interface Session {
  loop: Omit<SearchLoopOptions, 'deadline' | 'maxTrials' | 'events'> & { store: TrialStore };
  /** Stops what the session started (the searcher thread). */
  close: () => Promise<void>;
  /** Set when trials run through an executor other than in-process (`runParallelSearchLoop`). */
  parallel?: ParallelSession;
}

const MiB = 1024 * 1024;

/** Searchers the worker thread can build (a custom one registered in the main thread only cannot cross). */
const THREADABLE: readonly string[] = ['bayesian', 'random', 'greedy'];

/**
 * Wires one search: initial architectures for the input shape, the morpher, the searcher, the store
 * (search directory or memory; resumed when asked), and the trial runner (replay the morphs on the
 * trained parent, train with early stopping, lower the memory bound after an out-of-memory failure).
 */
export async function openSession(input: SessionInput): Promise<Session> {
  const { options, spec, prep, dir, rng, data, emit, timeLimit } = input;
  const shape = prep.sampleShape.slice();
  const outputs = prep.labels ? prep.labels.numClasses : prep.targets!;
  const initialGraphs = (options.generators ?? defaultGenerators(shape)).map((g) => g.generate(shape, outputs, spec.head));
  const morpher = new GraphMorpher();
  // One proposal may use 5% of the budget, between 5 and 60 seconds (the GP and tree search would otherwise grow with the history).
  const proposeTimeLimit = Math.min(60, Math.max(5, timeLimit * 0.05));
  const searcherRng = rng.fork();
  // Paper 4.3: a built-in searcher runs in a worker thread and proposes while the previous trial trains.
  const threaded = options.searchThread && options.executor === 'in-process' && typeof options.searcher === 'string' && THREADABLE.includes(options.searcher);
  const searcher = threaded
    ? new ThreadedSearcher({ searcher: options.searcher as string, initialGraphs: initialGraphs.map((g) => graphToJSON(g, false)), direction: spec.direction, rng: searcherRng.state(), options: { proposeTimeLimit, ...options.searcherOptions } })
    : createSearcher(options.searcher, {
      initialGraphs, neighbours: (g, r) => morpher.neighbours(g, r), direction: spec.direction, rng: searcherRng, options: { proposeTimeLimit, ...options.searcherOptions },
    });
  let history: TrialSummary[] = [];
  // Temporary files of writes that a killed run left behind are removed as the folder is opened.
  if (dir) await dir.cleanTempFiles();
  const resumed = dir !== null && options.resume && dir.exists();
  if (resumed) {
    history = await resume(dir, searcher, spec);
  } else if (dir) {
    await dir.create({ task: spec.task, options: jsonOptions(options), preprocessing: prep.toJSON() }, { overwrite: options.overwrite });
  }
  emit('searchStart', {
    directory: dir?.root ?? null, resumed, trials: history.length,
    ...(options.resume && !resumed ? { notice: `resume: true, but ${dir!.root} holds no search (no meta.json / history.json): a new search was started there` } : {}),
  });
  const store: TrialStore = dir ?? new MemoryTrialStore();
  const trialSeed = rng.seed();
  let budget = options.memoryBudget;
  const admit = (g: Parameters<typeof estimateMemoryBytes>[0]): string | null => {
    const bytes = estimateMemoryBytes(g, options.batchSize);
    return bytes > budget ? `estimated memory ${(bytes / MiB).toFixed(0)} MiB exceeds the budget of ${(budget / MiB).toFixed(0)} MiB` : null;
  };
  const trialSeconds = options.trialTimeLimit ?? Math.max(DEFAULTS.search.minTrialTime, timeLimit * DEFAULTS.search.trialTimeFraction);
  // The first architecture trains until it converges, within firstTrialShare of the budget (DEFAULTS.search).
  const firstSeconds = options.trialTimeLimit ?? Math.max(trialSeconds, timeLimit * DEFAULTS.search.firstTrialShare);
  const capOf = (trialId: number): number => (trialId === 0 ? firstSeconds : trialSeconds);
  const runTrial = async (job: TrialJob): Promise<TrialOutcome> => {
    const graph = job.parent ? morpher.replay(job.parent, job.ops) : job.graph;
    const r = await trainGraph(graph, data, {
      task: spec.task, epochs: options.epochsPerTrial, patience: options.patience, batchSize: options.batchSize,
      optimizer: options.optimizer, augment: options.augment, lrSchedule: options.lrSchedule, deadline: Math.min(job.deadline, Date.now() + capOf(job.trialId) * 1000), rng: new Rng(trialSeed + job.trialId),
      onEpochEnd: (log) => emit('epochEnd', { ...log, trialId: job.trialId }),
    });
    // Paper 4.4: after an out-of-memory failure, nothing this size or larger is tried again.
    if (r.status === 'failed' && r.retries > 0) budget = Math.min(budget, estimateMemoryBytes(graph, options.batchSize) - 1);
    return trialOutcome(r);
  };
  const parallel = options.executor === 'in-process' ? undefined : await openParallel(options.executor, dir, data as TrainData, {
    task: spec.task, epochs: options.epochsPerTrial, patience: options.patience, batchSize: options.batchSize, optimizer: options.optimizer, augment: options.augment, lrSchedule: options.lrSchedule,
    maxSeconds: trialSeconds,
  }, trialSeed);
  if (parallel && firstSeconds !== trialSeconds) {
    const toSpec = parallel.toSpec;
    parallel.toSpec = (trialId, proposal, deadline) => {
      const spec = toSpec(trialId, proposal, deadline);
      return { ...spec, train: { ...spec.train, maxSeconds: capOf(trialId) } };
    };
  }
  const close = async () => { if (searcher instanceof ThreadedSearcher) await searcher.close(); };
  return { loop: { searcher, store, runTrial, direction: spec.direction, history, admit, prefetch: threaded, trialSeconds }, close, ...(parallel ? { parallel } : {}) };
}

/** Reads a search directory back: checks every file, replays the history into the searcher, restores its state. */
async function resume(dir: SearchDirectory, searcher: Searcher, spec: TaskSpec): Promise<TrialSummary[]> {
  const meta = await dir.readMeta();
  if (meta.task !== spec.task) throw new ArgumentError(`Cannot resume: ${dir.root} holds a ${meta.task} search, not ${spec.task}`);
  const entries = await dir.check();
  const history: TrialSummary[] = [];
  for (const e of entries) {
    const t: TrialSummary = {
      id: e.id, graph: await dir.readTrialGraph(e.id, false), metric: e.metric, parentId: e.parentId, ops: e.ops, status: e.status,
      epochs: e.epochs, seconds: e.seconds, proposeSeconds: e.proposeSeconds ?? 0, ...(e.error ? { error: e.error } : {}),
      ...(e.epochSeconds !== undefined ? { epochSeconds: e.epochSeconds } : {}),
    };
    history.push(t);
    searcher.observe(t);
  }
  const saved = await dir.readSearcherState();
  if (saved && saved.searcher === searcher.name) searcher.restore(saved.state);
  return history;
}

/** The JSON-safe part of the options, for meta.json. */
function jsonOptions(options: ResolvedOptions): JsonValue {
  const { searcher, generators, executor, ...rest } = options;
  return { ...JSON.parse(JSON.stringify(rest)), executor: typeof executor === 'string' || !('run' in executor) ? executor : 'TrialExecutor', generators: generators?.map((g) => g.name) ?? null, searcher: typeof searcher === 'string' ? searcher : typeof searcher === 'function' ? 'factory' : (searcher as Searcher).name };
}
