import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearDataCache, InProcessExecutor, loadBullmq, loadPreparedData, redisConnection, trialOutcome, writePreparedData } from '../../src/execute';
import type { TrialSpec } from '../../src/execute';
import { ArgumentError, UnsupportedError } from '../../src/errors';
import { graphToJSON } from '../../src/graph/json';
import { tinyCnn } from '../tasks/fixtures';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-inproc-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

function spec(directory: string, trialId = 0): TrialSpec {
  return {
    trialId, key: `k-${trialId}`, directory, graph: graphToJSON(tinyCnn.generate([8, 8, 1], 2, 'softmax'), false), parentId: null, parent: null, ops: [],
    train: { task: 'classification', epochs: 1, patience: 1, batchSize: 8, optimizer: { name: 'adam' }, augment: false },
    seed: 5, deadline: Date.now() + 30_000, data: { directory }, backend: 'cpu',
  };
}

describe('prepared data files and the in-process executor', () => {
  it('writes the data once, loads it back equal (cached), trains a spec without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([16, 8, 8, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2).toFloat());
    const directory = path.join(root, 'a');
    await writePreparedData(directory, { x, y, xVal: x, yVal: y });
    const loaded = await loadPreparedData({ directory });
    expect(loaded.x.shape).toEqual([16, 8, 8, 1]);
    expect(Array.from(await loaded.y.data())).toEqual(Array.from(await y.data()));
    expect(await loadPreparedData({ directory })).toBe(loaded);
    const outcome = await new InProcessExecutor().run(spec(directory));
    expect(outcome).toMatchObject({ status: 'ok', epochs: 1 });
    expect(outcome.graph?.hasWeights()).toBe(true);
    clearDataCache();
    x.dispose();
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('hears every epoch, and marks a trial that failed out of memory after its retry (the loop lowers its budget on it)', async () => {
    const directory = path.join(root, 'b');
    const x = tf.randomUniform([16, 8, 8, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2).toFloat());
    const epochs: number[] = [];
    const s = spec(directory);
    const outcome = await new InProcessExecutor({ data: { x, y, xVal: x, yVal: y } }).run({ ...s, train: { ...s.train, epochs: 2, patience: 2 } }, { epochEnd: (log) => epochs.push(log.epoch) });
    expect(epochs).toEqual([1, 2]);
    expect(outcome.outOfMemory).toBeUndefined();
    x.dispose();
    y.dispose();
    const failed = { graph: tinyCnn.generate([8, 8, 1], 2, 'softmax'), metric: NaN, valLoss: NaN, epochs: 0, bestEpoch: 0, seconds: 1, history: [], stoppedBy: 'failed' as const, status: 'failed' as const, error: 'Out of memory at batch size 4', batchSize: 4 };
    expect(trialOutcome({ ...failed, retries: 1 }).outOfMemory).toBe(true);
    expect(trialOutcome({ ...failed, retries: 0, error: 'NaN loss' }).outOfMemory).toBeUndefined();
  });

  it('records a trial that throws twice as failed', async () => {
    const outcome = await new InProcessExecutor().run(spec(path.join(root, 'missing'), 3));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/Trial 3 failed after 2 attempt\(s\): .*data\.json.*; .*data\.json/);
  });

  it('parses Redis URLs and explains a missing bullmq / ioredis', () => {
    expect(redisConnection('redis://u:p%40ss@127.0.0.1:6390/2')).toEqual({ host: '127.0.0.1', port: 6390, db: 2, username: 'u', password: 'p@ss', maxRetriesPerRequest: null });
    expect(() => redisConnection('http://x')).toThrow(ArgumentError);
    let missing = false;
    for (const n of ['bullmq', 'ioredis']) try { require.resolve(n); } catch { missing = true; }
    if (missing) expect(() => loadBullmq()).toThrow(UnsupportedError);
    else expect(typeof loadBullmq().Queue).toBe('function');
  });
});
