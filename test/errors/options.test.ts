import * as tf from '@tensorflow/tfjs';
import EventEmitter from 'eventemitter3';
import { ArgumentError } from '../../src/errors';
import { checkExecutorOption, ProcessPoolExecutor } from '../../src/execute';
import { createSearcher, registerSearcher } from '../../src/search';
import { runSearchLoop } from '../../src/execute/search-loop';
import { finiteOrFailed } from '../../src/search/search-loop';
import type { SearchEvents, TrialStore, TrialSummary } from '../../src/search/search-loop';
import type { TrialOutcome } from '../../src/search/trial';
import { fakeExecutor } from '../helpers/loop';
import type { FakeJob as TrialJob } from '../helpers/loop';
import { ImageClassifier, ImageRegressor } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { smallMlp } from '../helpers/graphs';
import { patterns, tinyCnn } from '../tasks/fixtures';
import type { ErrorCase } from './harness';
import { expectTypedError } from './harness';

// Options of every entry point are checked strictly: a typo is an error naming the known keys, never ignored.
const base: AutoModelOptions = { seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 1, augment: false, searchThread: false, generators: [tinyCnn] };
const d = patterns(24, 1);
let clf: ImageClassifier;

beforeAll(async () => {
  await tf.setBackend('cpu');
  clf = await new ImageClassifier(base).fit(d.x, d.labels, { timeLimit: 30 });
});
afterAll(() => clf.dispose());

const fit = (o: unknown) => new ImageClassifier(base).fit(d.x, d.labels, o as never);
const finalFit = (o: unknown) => clf.finalFit(d.x, d.labels, undefined, undefined, o as never);
const config = { initialGraphs: [smallMlp()], direction: 'max' as const };

const cases: ErrorCase[] = [
  // The hang of issue 21: `timelimit` was ignored and the 24-hour default ran.
  { name: 'fit: { timelimit: 2 } (lower-case l)', call: () => fit({ timelimit: 2 }), error: ArgumentError, message: /`timelimit`, expected a known option of fit \(timeLimit, validationData, callbacks, signal\); did you mean `timeLimit`\?/ },
  { name: 'fit: an unknown key', call: () => fit({ timeLimit: 5, epochs: 3 }), error: ArgumentError, message: /`epochs`, expected a known option of fit/ },
  { name: 'fit: timeLimit 0', call: () => fit({ timeLimit: 0 }), error: ArgumentError, message: /`timeLimit`, expected a positive, finite number/ },
  { name: 'fit: timeLimit Infinity', call: () => fit({ timeLimit: Infinity }), error: ArgumentError, message: /`timeLimit`/ },
  { name: 'fit: timeLimit as a string', call: () => fit({ timeLimit: '60' }), error: ArgumentError, message: /`timeLimit`.*Received: timeLimit="60"/ },
  { name: 'fit: options not an object', call: () => fit(60), error: ArgumentError, message: /`fitOptions`, expected an object/ },
  { name: 'fit: validationData not a pair', call: () => fit({ validationData: [d.x] }), error: ArgumentError, message: /`validationData`, expected a pair \[x, y\]/ },
  { name: 'fit: a callback of an unknown event', call: () => fit({ callbacks: { onTrialEnd: () => undefined } }), error: ArgumentError, message: /`callbacks.onTrialEnd`, expected a listener of a known event/ },
  { name: 'fit: a callback that is not a function', call: () => fit({ callbacks: { trialEnd: 'log' } }), error: ArgumentError, message: /`callbacks.trialEnd`, expected a function/ },
  { name: 'finalFit: { timelimit: 2 }', call: () => finalFit({ timelimit: 2 }), error: ArgumentError, message: /`timelimit`, expected a known option of finalFit.*did you mean `timeLimit`/ },
  { name: 'finalFit: { epoch: 3 }', call: () => finalFit({ epoch: 3 }), error: ArgumentError, message: /`epoch`, expected a known option of finalFit \(retrain, timeLimit, epochs, patience, validationData\)/ },
  { name: 'finalFit: epochs 0', call: () => finalFit({ epochs: 0 }), error: ArgumentError, message: /`epochs`, expected a positive integer/ },
  { name: 'finalFit: patience 1.5', call: () => finalFit({ patience: 1.5 }), error: ArgumentError, message: /`patience`, expected a positive integer/ },
  { name: 'finalFit: retrain "yes"', call: () => finalFit({ retrain: 'yes' }), error: ArgumentError, message: /`retrain`, expected a boolean/ },
  { name: 'constructor: { maxtrials: 3 }', call: () => new ImageRegressor({ maxtrials: 3 } as never), error: ArgumentError, message: /`maxtrials`, expected a known option of the constructor.*did you mean `maxTrials`/ },
  { name: 'constructor: options null', call: () => new ImageClassifier(null as never), error: ArgumentError, message: /`options`, expected an object/ },
  { name: 'constructor: directory a number', call: () => new ImageClassifier({ directory: 3 as never }), error: ArgumentError, message: /`directory`, expected a non-empty path string/ },
  { name: 'constructor: executor bullmq without queue', call: () => new ImageClassifier({ directory: '/tmp/x', executor: { type: 'bullmq', redis: 'redis://h' } as never }), error: ArgumentError, message: /`executor`/ },
  { name: 'executor option: workers 0', call: () => checkExecutorOption({ type: 'process-pool', workers: 0 }), error: ArgumentError, message: /`executor.workers`, expected a positive integer/ },
  { name: 'ProcessPoolExecutor: workers -1', call: () => new ProcessPoolExecutor({ workers: -1 }), error: ArgumentError, message: /`workers`, expected a positive integer/ },
  { name: 'searcher registry: empty name', call: () => registerSearcher('', () => null as never), error: ArgumentError, message: /`name`, expected a non-empty string/ },
  { name: 'searcher registry: taken name', call: () => registerSearcher('bayesian', () => null as never), error: ArgumentError, message: /`name`, expected a name not registered yet/ },
  { name: 'searcher registry: unknown name', call: () => createSearcher('bayes', config as never), error: ArgumentError, message: /`searcher`, expected one of 'bayesian'/ },
  { name: 'searcher registry: a factory that returns no Searcher', call: () => createSearcher(() => ({}) as never, config as never), error: ArgumentError, message: /`searcher`, expected a Searcher/ },
];

describe('options of every entry point', () => {
  it.each(cases)('$name', async (c) => {
    await expectTypedError(c);
  });

  it('fit with correct options still runs', async () => {
    const m = await new ImageClassifier(base).fit(d.x, d.labels, { timeLimit: 30, callbacks: { searchStart: () => undefined, trialEnd: () => undefined } });
    expect(m.history).toHaveLength(1);
    m.dispose();
  });
});

describe('a non-finite metric is never recorded as a success', () => {
  it('finiteOrFailed turns an ok outcome with a NaN metric into a failure', () => {
    expect(finiteOrFailed({ status: 'ok', metric: NaN }).status).toBe('failed');
    expect(finiteOrFailed<{ status: 'ok' | 'failed'; metric: number; error?: string }>({ status: 'ok', metric: Infinity }).error).toMatch(/non-finite metric/);
    expect(finiteOrFailed({ status: 'ok', metric: 0.5 })).toEqual({ status: 'ok', metric: 0.5 });
  });

  it('the search loop saves such a trial as failed, and it is never the best', async () => {
    const saved: TrialSummary[] = [];
    const store: TrialStore = { trainedGraph: async () => smallMlp(), saveTrial: async (s) => { saved.push(s); } };
    const metrics = [0.4, NaN];
    const runTrial = async (job: TrialJob): Promise<TrialOutcome> => ({ graph: job.graph, metric: metrics[job.trialId]!, epochs: 1, seconds: 0, status: 'ok' });
    const searcher = { name: 'one', propose: async () => ({ graph: smallMlp(), parentId: null, ops: [] }), observe: () => undefined, state: () => null, restore: () => undefined };
    const executor = fakeExecutor(store, runTrial);
    const history = await runSearchLoop({ searcher, executor, toSpec: executor.toSpec, store, direction: 'max', deadline: Date.now() + 60_000, maxTrials: 2, events: new EventEmitter<SearchEvents>() });
    expect(saved.map((t) => t.status)).toEqual(['ok', 'failed']);
    expect(history[1]!.error).toMatch(/non-finite metric/);
  });
});
