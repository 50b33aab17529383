import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ExecutorOption } from '../../src/execute';
import { Graph } from '../../src/graph';
import type { GraphGenerator } from '../../src/generators';
import { structureKey } from '../../src/morph';
import type { TrialResult } from '../../src/search';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { estimateMemoryBytes } from '../../src/train/memory';
import { patterns, tinyCnn } from '../tasks/fixtures';

// Issue 20: every executor gives the same events, the same history (every field, each trial's own
// graph) and the same failure handling. The same seeded search runs in-process and on a one-worker
// process pool (one trial at a time in both, so the searcher sees the same results in the same order),
// then on a two-worker pool.

/** A CNN too wide for the memory budget below: its trial is recorded as failed without training. */
const wideCnn: GraphGenerator = {
  name: 'wide-cnn',
  generate(inputShape, numOutputs, head = 'softmax') {
    const g = Graph.create(inputShape);
    let x = g.addLayer({ kind: 'conv', rank: 2, filters: 256, kernelSize: 3, strides: 1, padding: 'same' }, g.input);
    x = g.addLayer({ kind: 'relu' }, x);
    x = g.addLayer({ kind: 'globalavgpool' }, x);
    x = g.addLayer({ kind: 'dense', units: numOutputs }, x);
    if (head === 'softmax') x = g.addLayer({ kind: 'softmax' }, x);
    g.setOutput(x);
    return g;
  },
};

const train = patterns(60, 1);
const budget = (estimateMemoryBytes(tinyCnn.generate([8, 8, 1], 3, 'softmax'), 16) + estimateMemoryBytes(wideCnn.generate([8, 8, 1], 3, 'softmax'), 16)) / 2;
const base: AutoModelOptions = {
  seed: 5, backend: 'cpu', maxTrials: 4, epochsPerTrial: 2, patience: 2, batchSize: 16, augment: false, searcher: 'random',
  generators: [tinyCnn, wideCnn], memoryBudget: budget,
};

interface Run { history: TrialResult[]; loaded: TrialResult[]; events: string[]; starts: Map<number, number> }

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-parity-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

async function search(name: string, executor: ExecutorOption): Promise<Run> {
  const directory = path.join(root, name);
  const m = new ImageClassifier({ ...base, directory, executor });
  const events: string[] = [];
  const starts = new Map<number, number>();
  m.on('trialStart', (e) => { events.push(`start ${e.trialId}`); starts.set(e.trialId, e.params); });
  m.on('epochEnd', (e) => events.push(`epoch ${e.trialId}:${e.epoch}`));
  m.on('trialEnd', (t) => events.push(`end ${t.id} ${t.status}`));
  m.on('newBest', (t) => events.push(`best ${t.id}`));
  m.on('searchEnd', (e) => events.push(`searchEnd ${e.trials} ${e.reason} best ${e.best?.id}`));
  try {
    await m.fit(train.x, train.labels, { timeLimit: 120 });
    const history = m.history;
    const loaded = (await ImageClassifier.load(directory, { backend: 'cpu' })).history;
    return { history, loaded, events, starts };
  } finally {
    m.dispose();
  }
}

/** A trial without its timing (which differs between runs), its graph as a structure key. */
function facts(t: TrialResult): Record<string, unknown> {
  const { graph, seconds: _s, epochSeconds: _e, proposeSeconds: _p, proposeWaitSeconds: _w, metric, valLoss, ...rest } = t;
  return { ...rest, structure: structureKey(graph), metric: Number.isNaN(metric) ? 'NaN' : metric.toFixed(4), valLoss: valLoss === undefined ? undefined : valLoss.toFixed(4) };
}

const normalize = (history: TrialResult[]) => history.map((t) => ({ ...t, graph: structureKey(t.graph) }));

describe('the same seeded search through every executor (issue 20)', () => {
  let inProcess: Run;
  let pool: Run;
  beforeAll(async () => {
    inProcess = await search('in-process', 'in-process');
    pool = await search('pool-1', { type: 'process-pool', workers: 1 });
  });

  it('gives the same events: trial starts, every epoch, ends, new bests, search end', () => {
    expect(inProcess.events.filter((e) => e.startsWith('epoch')).length).toBeGreaterThan(2);
    expect(pool.events).toEqual(inProcess.events);
  });

  it('gives the same history: every field, each trial\'s own architecture, the same failure record', () => {
    expect(inProcess.history.map((t) => t.id)).toEqual([0, 1, 2, 3]);
    expect(pool.history.map(facts)).toEqual(inProcess.history.map(facts));
    for (const run of [inProcess, pool]) {
      const failed = run.history[1]!;
      expect(failed).toMatchObject({ status: 'failed', epochs: 0, parentId: null });
      expect(failed.error).toMatch(/exceeds the budget/);
      for (const t of run.history.filter((h) => h.status === 'ok')) {
        for (const f of ['valLoss', 'bestEpoch', 'batchSize', 'stoppedBy', 'epochSeconds', 'proposeSeconds', 'proposeWaitSeconds'] as const) expect(t).toHaveProperty(f);
        expect(t.graph.paramCount()).toBe(run.starts.get(t.id)); // the trial's own graph
      }
      expect(new Set(run.history.map((t) => structureKey(t.graph))).size).toBe(4);
    }
  });

  it('reads the same history back from the search directory, every field and graph included', () => {
    for (const run of [inProcess, pool]) expect(normalize(run.loaded)).toEqual(normalize(run.history));
  });

  it('on a two-worker pool: every trial once, the same fields, epochs and graphs per trial, the same failure', async () => {
    const two = await search('pool-2', { type: 'process-pool', workers: 2 });
    expect(two.history.map((t) => t.id).sort()).toEqual([0, 1, 2, 3]);
    const keys = (t: TrialResult) => Object.keys(t).sort();
    for (const t of two.history) {
      const same = inProcess.history.find((h) => h.status === t.status)!;
      expect(keys(t)).toEqual(keys(same));
      if (t.status === 'ok') {
        expect(t.graph.paramCount()).toBe(two.starts.get(t.id));
        expect(two.events.filter((e) => e.startsWith(`epoch ${t.id}:`)).length).toBe(t.epochs);
      }
    }
    expect(two.history.find((t) => t.id === 1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/exceeds the budget/) });
    expect(normalize(two.loaded)).toEqual(normalize(two.history));
  });
});
