import * as tf from '@tensorflow/tfjs';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BullMQExecutor } from '../../src/execute';
import type { TrialExecutor } from '../../src/execute';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { patterns, tinyCnn } from '../tasks/fixtures';
import { redisBinary, redisMissing, startRedis, startWorker, stopProcess } from './redis';

const missing = redisMissing();
const binary = redisBinary();
if (missing) console.warn(`test/execute/bullmq.test.ts skipped: ${missing}`);
const describeRedis = missing ? describe.skip : describe;

const train = patterns(60, 1);
const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 4, epochsPerTrial: 1, augment: false, generators: [tinyCnn], searcher: 'random' };
// Short locks so that a killed worker's job is taken over within seconds.
const FAST_STALL = ['--lock-duration', '2000', '--stalled-interval', '1000'];

describeRedis('BullMQ executor on a loopback Redis', () => {
  let root: string;
  let redis: { url: string; stop: () => Promise<void> };
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = mkdtempSync(path.join(tmpdir(), 'ak-bullmq-'));
    redis = await startRedis(binary!);
  });
  afterEach(async () => { for (const w of workers.splice(0)) await stopProcess(w); });
  afterAll(async () => {
    await redis?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('runs a search on 2 workers: every trial recorded once, every epoch reported', async () => {
    workers.push(...(await Promise.all([startWorker(redis.url, 'q1', FAST_STALL), startWorker(redis.url, 'q1', FAST_STALL)])));
    const directory = path.join(root, 'run');
    const m = new ImageClassifier({ ...base, directory, executor: { type: 'bullmq', redis: redis.url, queue: 'q1', workers: 2 } });
    const epochs: string[] = [];
    m.on('epochEnd', (e) => epochs.push(`${e.trialId}:${e.epoch}`));
    await m.fit(train.x, train.labels, { timeLimit: 120 });
    expect(m.history.map((t) => t.id).sort()).toEqual([0, 1, 2, 3]);
    expect(m.history.every((t) => t.status === 'ok' && t.epochs === 1)).toBe(true);
    expect(epochs.sort()).toEqual(['0:1', '1:1', '2:1', '3:1']);
    const doc = JSON.parse(await fs.readFile(path.join(directory, 'history.json'), 'utf8'));
    expect(doc.trials).toHaveLength(4);
    m.dispose();
  });

  it('loses nothing when a worker is killed mid-trial: the stalled job is retried elsewhere, recorded once', async () => {
    const [a, b] = await Promise.all([startWorker(redis.url, 'q2', FAST_STALL), startWorker(redis.url, 'q2', FAST_STALL)]);
    workers.push(a!, b!);
    const inner = new BullMQExecutor({ redis: redis.url, queue: 'q2', capacity: 2 });
    let killed = false;
    const killer: TrialExecutor = {
      capacity: 2,
      run: (spec, listener) => inner.run(spec, {
        // Killed once trial 1 is training (its first epoch reported): a holds trial 0 or 1, whose job stalls.
        // (A fixed 1.5 s delay came after the whole search on a fast machine.)
        epochEnd: (log) => {
          if (spec.trialId === 1 && !killed) { killed = true; a!.kill('SIGKILL'); }
          listener?.epochEnd?.(log);
        },
      }),
      close: () => inner.close(),
    };
    const m = new ImageClassifier({ ...base, epochsPerTrial: 10, patience: 10, directory: path.join(root, 'kill'), executor: killer });
    try {
      await m.fit(train.x, train.labels, { timeLimit: 120 });
      expect(killed).toBe(true);
      expect(m.history.map((t) => t.id).sort()).toEqual([0, 1, 2, 3]);
      expect(m.history.every((t) => t.status === 'ok')).toBe(true);
    } finally {
      m.dispose();
      await inner.close();
    }
  });

  it('records a trial whose two attempts fail as failed', async () => {
    workers.push(await startWorker(redis.url, 'q3'));
    const executor = new BullMQExecutor({ redis: redis.url, queue: 'q3' });
    try {
      const nowhere = path.join(root, 'nowhere');
      const outcome = await executor.run({
        trialId: 0, key: 'bad-0', directory: nowhere, graph: {} as never, parentId: null, parent: null, ops: [],
        train: { task: 'classification', epochs: 1, patience: 1, batchSize: 8, optimizer: { name: 'adam' }, augment: false },
        seed: 1, deadline: Date.now() + 10_000, data: { directory: nowhere }, backend: 'cpu',
      });
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatch(/Trial 0 failed: .*data\.json/);
    } finally {
      await executor.close();
    }
  });
});
