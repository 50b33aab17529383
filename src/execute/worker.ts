import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { loadBullmq, redisConnection } from './bullmq';
import { clearDataCache } from './data-files';
import { executeAndWrite } from './run-spec';
import type { TrialSpec, WorkerResult } from './types';

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** Queue name (the chief's `executor.queue`). */
  queue: string;
  /** Trials this process trains at once (default 1: tfjs trains on one thread). */
  concurrency?: number;
  /**
   * Milliseconds a job's lock lasts without renewal (default 30 000): a worker killed mid-trial
   * leaves its job stalled, and another worker takes it over after about this long.
   */
  lockDuration?: number;
  /** Milliseconds between checks for stalled jobs (default 30 000). */
  stalledInterval?: number;
}

/** A running worker: close it to finish the current trial and stop. */
export interface WorkerHandle {
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker that trains the trials of `queue` (the worker side of {@link internals!BullMQExecutor};
 * `autokeras-ts worker --redis URL --queue NAME` runs it). Each job is a {@link TrialSpec}: the worker
 * reads the data and the parent's weights from the shared search directory, trains, and writes the
 * trained weights into the directory's outcome files; the job's return value is the
 * {@link WorkerResult}. It never writes `history.json` (the chief does).
 *
 * @example
 * ```ts
 * const worker = await runWorker({ redis: 'redis://127.0.0.1:6379', queue: 'ak' });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerHandle> {
  if (typeof options?.queue !== 'string' || options.queue.length === 0) invalidArgument('queue', 'a non-empty queue name', options?.queue);
  const concurrency = options.concurrency ?? DEFAULTS.execute.workerConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) invalidArgument('concurrency', 'a positive integer', options.concurrency);
  const { Worker } = loadBullmq();
  const worker = new Worker<TrialSpec, WorkerResult>(options.queue, (job) => executeAndWrite(job.data, { epochEnd: (log) => { void job.updateProgress(log as never).catch(() => undefined); } }), {
    connection: redisConnection(options.redis), concurrency, maxStalledCount: 1,
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
  });
  worker.on('error', (e) => console.error(`autokeras-ts worker: ${e.message}`));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      clearDataCache();
    },
  };
}
