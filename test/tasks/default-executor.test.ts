import * as tf from '@tensorflow/tfjs';
import type * as Fs from 'node:fs';
import type * as Os from 'node:os';
import * as path from 'node:path';
import { ProcessPoolExecutor } from '../../src/execute';
import { SearchError } from '../../src/errors';
import { ImageClassifier } from '../../src/tasks';
import { defaultExecutor } from '../../src/tasks/config';
import { patterns, tinyCnn } from './fixtures';

// Issue 17: every core by default. The default executor is a process pool of one worker per core when
// there are two or more and the data are in memory, with a temporary search directory when none is given.

const train = patterns(60, 1);
const small = { seed: 2, backend: 'cpu' as const, maxTrials: 2, epochsPerTrial: 1, augment: false, generators: [tinyCnn] };

// The modules themselves (an `import * as` namespace is a frozen copy that jest cannot spy on).
const fs = require('node:fs') as typeof Fs;
const os = require('node:os') as typeof Os;

beforeAll(async () => { await tf.setBackend('cpu'); });
afterEach(() => jest.restoreAllMocks());

/** The temporary folders `fit` makes, through fs.mkdtempSync. */
function watchTemporaryFolders(): string[] {
  const made: string[] = [];
  const original = fs.mkdtempSync;
  jest.spyOn(fs, 'mkdtempSync').mockImplementation(((prefix: string, options?: never) => {
    const dir = original(prefix, options) as string;
    made.push(dir);
    return dir;
  }) as typeof Fs.mkdtempSync);
  return made;
}

describe("executor 'auto' (the default)", () => {
  it('is a pool of one worker per core with two or more cores and in-memory data, in-process otherwise', () => {
    expect(defaultExecutor(true, 2)).toEqual({ type: 'process-pool', workers: 2 });
    expect(defaultExecutor(true, 16)).toEqual({ type: 'process-pool', workers: 16 });
    expect(defaultExecutor(true, 1)).toBe('in-process');
    expect(defaultExecutor(false, 8)).toBe('in-process'); // a tf.data.Dataset
    expect(new ImageClassifier().options.executor).toBe('auto');
  });

  it('on a 2-core machine runs the trials of a default classifier in 2 worker processes, in a temporary folder it removes', async () => {
    jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
    const made = watchTemporaryFolders();
    const directories = new Set<string>();
    const realRun = ProcessPoolExecutor.prototype.run;
    let pids: number[] = [];
    jest.spyOn(ProcessPoolExecutor.prototype, 'run').mockImplementation(function (this: ProcessPoolExecutor, spec, listener) {
      expect(this.capacity).toBe(2);
      directories.add(spec.directory);
      const done = realRun.call(this, spec, listener);
      setTimeout(() => { pids = [...new Set([...pids, ...this.workerPids()])]; }, 50);
      return done;
    });
    const clf = new ImageClassifier(small);
    await clf.fit(train.x, train.labels, { timeLimit: 60 });
    expect(clf.history.map((t) => t.status)).toEqual(['ok', 'ok']);
    expect(directories.size).toBe(1);
    const [directory] = [...directories];
    expect(made).toEqual([directory]);
    expect(directory!.startsWith(os.tmpdir())).toBe(true);
    expect(fs.existsSync(directory!)).toBe(false); // removed after the search
    expect(pids.length).toBeGreaterThan(0);
    expect(pids).not.toContain(process.pid);
    expect(await clf.predict(train.x.slice(0, 2))).toHaveLength(2); // the model stays in memory
    clf.dispose();
  });

  it('removes the temporary folder when the search fails too', async () => {
    jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
    const made = watchTemporaryFolders();
    const clf = new ImageClassifier({ ...small, memoryBudget: 1 }); // every candidate over budget: no trial succeeds
    await expect(clf.fit(train.x, train.labels, { timeLimit: 60 })).rejects.toThrow(SearchError);
    expect(made).toHaveLength(1);
    expect(fs.existsSync(made[0]!)).toBe(false);
  });

  it('stays in-process on one core', async () => {
    jest.spyOn(os, 'availableParallelism').mockReturnValue(1);
    const made = watchTemporaryFolders();
    const run = jest.spyOn(ProcessPoolExecutor.prototype, 'run');
    const clf = new ImageClassifier({ ...small, maxTrials: 1 });
    await clf.fit(train.x, train.labels, { timeLimit: 60 });
    expect(run).not.toHaveBeenCalled();
    expect(made).toEqual([]);
    clf.dispose();
  });
});
