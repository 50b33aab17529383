import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError, SearchError } from '../../src/errors';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, tinyCnn } from './fixtures';

// Issue 22 item 5: fit's `signal` and stopSearch() end a search early with the best model so far.

const train = patterns(60, 1);
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 4, epochsPerTrial: 2, augment: false, generators: [tinyCnn], executor: 'in-process' };

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-stop-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('stopping a search', () => {
  it('stopSearch() from a listener: fit resolves with the best so far, searchEnd says stopped, the directory resumes; no leaks', async () => {
    const before = tf.memory().numTensors;
    const directory = path.join(root, 'callback');
    const clf = new ImageClassifier({ ...base, directory });
    const reasons: string[] = [];
    await clf.fit(train.x, train.labels, {
      timeLimit: 60,
      callbacks: { trialEnd: (t) => { if (t.id === 0) expect(clf.stopSearch()).toBe(true); }, searchEnd: (e) => reasons.push(e.reason) },
    });
    expect(clf.history.map((t) => t.id)).toEqual([0]);
    expect(reasons).toEqual(['stopped']);
    expect(clf.stopSearch()).toBe(false); // no fit running
    expect(await clf.predict(train.x.slice(0, 3))).toHaveLength(3);
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const resumed = new ImageClassifier({ ...base, directory, resume: true, maxTrials: 2 });
    await resumed.fit(train.x, train.labels, { timeLimit: 60 });
    expect(resumed.history.map((t) => t.id)).toEqual([0, 1]);
    resumed.dispose();
  });

  it('an AbortSignal aborted during a trial stops it before its next batch and records what it trained', async () => {
    const controller = new AbortController();
    const clf = new ImageClassifier({ ...base, epochsPerTrial: 40, patience: 40 });
    await clf.fit(train.x, train.labels, { timeLimit: 60, signal: controller.signal, callbacks: { epochEnd: (e) => { if (e.epoch === 2) controller.abort(); } } });
    expect(clf.history).toHaveLength(1);
    expect(clf.history[0]!.stoppedBy).toBe('aborted');
    expect(clf.history[0]!.epochs).toBeLessThanOrEqual(3);
    expect(clf.history[0]!.status).toBe('ok');
    clf.dispose();
  });

  it('a trial stopped before its first epoch is not recorded', async () => {
    const clf = new ImageClassifier({ ...base, maxTrials: 3 });
    const started: number[] = [];
    await clf.fit(train.x, train.labels, { timeLimit: 60, callbacks: { trialStart: (e) => { started.push(e.trialId); if (e.trialId === 1) clf.stopSearch(); } } });
    expect(started).toEqual([0, 1]);
    expect(clf.history.map((t) => t.id)).toEqual([0]);
    clf.dispose();
  });

  it('a signal aborted before any trial finished: a SearchError saying so; a non-signal is an ArgumentError', async () => {
    const clf = new ImageClassifier(base);
    await expect(clf.fit(train.x, train.labels, { timeLimit: 60, signal: AbortSignal.abort() })).rejects.toThrow(SearchError);
    await expect(clf.fit(train.x, train.labels, { timeLimit: 60, signal: AbortSignal.abort() })).rejects.toThrow(/stopped before any trial finished/);
    await expect(clf.fit(train.x, train.labels, { signal: 'stop' as never })).rejects.toThrow(ArgumentError);
    await expect(clf.fit(train.x, train.labels, { signal: 'stop' as never })).rejects.toThrow(/`signal`, expected an AbortSignal/);
  });

  it('a process pool: the running trial in a worker process stops, fit resolves with it', async () => {
    const controller = new AbortController();
    const directory = path.join(root, 'pool');
    const clf = new ImageClassifier({ ...base, directory, epochsPerTrial: 200, patience: 200, executor: { type: 'process-pool', workers: 1 } });
    await clf.fit(train.x, train.labels, { timeLimit: 600, signal: controller.signal, callbacks: { epochEnd: (e) => { if (e.epoch === 1) controller.abort(); } } });
    expect(clf.history).toHaveLength(1);
    expect(clf.history[0]!.stoppedBy).toBe('aborted');
    expect(clf.history[0]!.epochs).toBeLessThanOrEqual(5); // of 200: the worker heard the abort within a few epochs
    clf.dispose();
  }, 300_000);
});
