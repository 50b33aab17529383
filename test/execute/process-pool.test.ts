import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { getEventListeners } from 'node:events';
import * as path from 'node:path';
import { ProcessPoolExecutor } from '../../src/execute';
import type { TrialExecutor } from '../../src/execute';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, tinyCnn } from '../tasks/fixtures';

const train = patterns(60, 1);
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 4, epochsPerTrial: 1, augment: false, generators: [tinyCnn], searcher: 'random', executor: 'in-process' };
const FIELDS = ['id', 'graph', 'metric', 'parentId', 'ops', 'status', 'epochs', 'seconds', 'proposeSeconds'];

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-pool-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('process-pool executor', () => {
  it('runs a 2-worker search: every trial recorded once, same structure as an in-process run', async () => {
    const inProc = new ImageClassifier({ ...base, directory: path.join(root, 'in') });
    const before = tf.memory().numTensors;
    await inProc.fit(train.x, train.labels, { timeLimit: 120 });
    const reference = inProc.history;
    inProc.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const directory = path.join(root, 'pool');
    const pooled = new ImageClassifier({ ...base, directory, executor: { type: 'process-pool', workers: 2 } });
    await pooled.fit(train.x, train.labels, { timeLimit: 120 });
    const ids = pooled.history.map((t) => t.id).sort((a, b) => a - b);
    expect(ids).toEqual([0, 1, 2, 3]);
    expect(pooled.history.length).toBe(reference.length);
    for (const t of reference) expect(Object.keys(pooled.history.find((p) => p.id === t.id)!).sort()).toEqual(Object.keys(t).sort());
    for (const t of pooled.history) for (const f of FIELDS) expect(t).toHaveProperty(f);
    expect(pooled.history.every((t) => t.status === 'ok')).toBe(true);
    const doc = JSON.parse(await fs.readFile(path.join(directory, 'history.json'), 'utf8'));
    expect(doc.trials.map((t: { id: number }) => t.id).sort()).toEqual([0, 1, 2, 3]);
    await expect(fs.readdir(path.join(directory, 'outcomes'))).resolves.toEqual([]);
    expect(await pooled.predict(train.x.slice(0, 3))).toHaveLength(3);
    pooled.dispose();
  });

  it('loses nothing when a worker is killed mid-trial: the trial is retried on a fresh child and recorded once', async () => {
    const pool = new ProcessPoolExecutor({ workers: 2 });
    let killed: number | undefined;
    const killer: TrialExecutor = {
      capacity: pool.capacity,
      run: (spec) => {
        const running = pool.run(spec);
        if (spec.trialId === 1) {
          const timer = setInterval(() => {
            const busy = pool.workerPids(true);
            if (killed === undefined && busy.length > 0) { killed = busy[0]!; process.kill(killed, 'SIGKILL'); clearInterval(timer); }
          }, 100);
          void running.finally(() => clearInterval(timer));
        }
        return running;
      },
      close: () => pool.close(),
    };
    const directory = path.join(root, 'kill');
    const m = new ImageClassifier({ ...base, epochsPerTrial: 8, patience: 8, directory, executor: killer });
    try {
      await m.fit(train.x, train.labels, { timeLimit: 120 });
      expect(killed).toBeDefined();
      expect(pool.retries).toBe(1);
      expect(pool.workerPids()).not.toContain(killed);
      expect(m.history.map((t) => t.id).sort()).toEqual([0, 1, 2, 3]);
      expect(m.history.every((t) => t.status === 'ok')).toBe(true);
    } finally {
      m.dispose();
      await pool.close();
    }
  });

  it('rejects an executor whose workers need a shared directory when none is given', () => {
    expect(() => new ImageClassifier({ executor: { type: 'bullmq', redis: 'redis://127.0.0.1:6379', queue: 'q' } })).toThrow(/`executor`, expected 'auto', 'in-process' or a process pool when no `directory`/);
    expect(() => new ImageClassifier({ executor: new ProcessPoolExecutor({ workers: 1 }) })).toThrow(/`executor`, expected .* when no `directory`/);
    expect(() => new ImageClassifier({ directory: root, executor: { type: 'process-pool', workers: 0 } })).toThrow(/`executor.workers`/);
  });

  it('fails a trial whose every attempt throws, after one retry; removes its abort listener', async () => {
    const pool = new ProcessPoolExecutor({ workers: 1 });
    try {
      const spec = { trialId: 9, key: 'x-9', directory: path.join(root, 'nowhere'), graph: {} as never, parentId: 1, parent: { directory: path.join(root, 'nowhere'), trialId: 1 },
        ops: [], train: { task: 'classification' as const, epochs: 1, patience: 1, batchSize: 8, optimizer: { name: 'adam' as const }, augment: false },
        seed: 1, deadline: Date.now() + 10_000, data: { directory: path.join(root, 'nowhere') }, backend: 'cpu' as const };
      const stop = new AbortController();
      const outcome = await pool.run(spec, { signal: stop.signal });
      expect(outcome.status).toBe('failed');
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0); // the trial's abort listener went with it
      expect(outcome.error).toMatch(/Trial 9 failed after 2 attempt\(s\).*data\.json.*;.*data\.json/);
    } finally {
      await pool.close();
    }
  });
});
