import type * as Bullmq from 'bullmq';
import { invalidArgument, UnsupportedError } from '../errors';
import { DEFAULTS } from '../options';
import type { TrialOutcome } from '../search/trial';
import type { EpochLog } from '../train/types';
import { readOutcome } from './outcome-files';
import type { TrialExecutor, TrialListener, TrialSpec, WorkerResult } from './types';

/**
 * Loads the optional peer dependency `bullmq` on demand (the rest of the library never needs it), with
 * `ioredis`, the Redis client BullMQ 6 builds its connections with from connection options.
 *
 * @throws UnsupportedError when bullmq or ioredis is not installed.
 * @example
 * ```ts
 * const { Queue } = loadBullmq();
 * ```
 */
export function loadBullmq(): typeof Bullmq {
  for (const name of ['bullmq', 'ioredis']) {
    try {
      require.resolve(name);
    } catch {
      throw new UnsupportedError(`The BullMQ executor needs the optional peer dependencies bullmq and ioredis; ${name} could not be found. Install them: npm install bullmq ioredis`);
    }
  }
  return require('bullmq') as typeof Bullmq;
}

/**
 * BullMQ connection options (ioredis) for a `redis://[user:password@]host:port[/db]` URL.
 *
 * @example
 * ```ts
 * redisConnection('redis://127.0.0.1:6379/0'); // { host: '127.0.0.1', port: 6379, db: 0 }
 * ```
 */
export function redisConnection(url: string): { host: string; port: number; db?: number; username?: string; password?: string; maxRetriesPerRequest: null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return invalidArgument('redis', 'a Redis URL such as redis://127.0.0.1:6379', url);
  }
  if (u.protocol !== 'redis:') invalidArgument('redis', 'a redis:// URL', url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) invalidArgument('redis', 'a URL whose path is a database number', url);
  return {
    host: u.hostname, port: u.port ? Number(u.port) : 6379, maxRetriesPerRequest: null,
    ...(db !== undefined ? { db } : {}), ...(u.username ? { username: decodeURIComponent(u.username) } : {}), ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** Options of {@link BullMQExecutor}. */
export interface BullMQExecutorOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** Queue name the workers listen on (`autokeras-ts worker --queue NAME`). */
  queue: string;
  /** Trials to keep in flight: the number of workers (times their concurrency) expected (default 1). */
  capacity?: number;
  /** Attempts of one job before it is recorded as failed (default 2). */
  attempts?: number;
}

/**
 * Runs trials as BullMQ jobs on Redis, for workers on any machine that shares the search directory
 * (`runWorker` / `autokeras-ts worker`). The job carries the {@link TrialSpec} (job id: `spec.key`,
 * so a resumed chief re-attaches to a job that is still running instead of queueing it twice); the
 * worker writes the trained weights into the search directory and returns the numbers. A job that
 * throws is retried (`attempts`, default 2); a worker killed mid-trial leaves a stalled job, which
 * BullMQ moves back to the queue for another worker (once; a second stall fails it).
 *
 * @example
 * ```ts
 * const executor = new BullMQExecutor({ redis: 'redis://127.0.0.1:6379', queue: 'ak', capacity: 2 });
 * const outcome = await executor.run(spec);
 * await executor.close();
 * ```
 */
export class BullMQExecutor implements TrialExecutor {
  readonly capacity: number;
  private readonly attempts: number;
  private readonly queue: Bullmq.Queue;
  private readonly events: Bullmq.QueueEvents;
  /** The listeners of the jobs in flight, by job id (the worker reports each epoch as the job's progress). */
  private readonly listeners = new Map<string, TrialListener>();

  constructor(options: BullMQExecutorOptions) {
    if (typeof options?.queue !== 'string' || options.queue.length === 0 || options.queue.includes(':')) invalidArgument('queue', 'a non-empty queue name without ":"', options?.queue);
    this.capacity = options.capacity ?? DEFAULTS.execute.queueCapacity;
    this.attempts = options.attempts ?? DEFAULTS.execute.attempts;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) invalidArgument('capacity', 'a positive integer', options.capacity);
    if (!Number.isInteger(this.attempts) || this.attempts < 1) invalidArgument('attempts', 'a positive integer', options.attempts);
    const connection = redisConnection(options.redis);
    const { Queue, QueueEvents } = loadBullmq();
    this.queue = new Queue(options.queue, { connection });
    this.events = new QueueEvents(options.queue, { connection });
    this.events.on('progress', ({ jobId, data }: { jobId: string; data: unknown }) => {
      if (isEpochLog(data)) this.listeners.get(jobId)?.epochEnd?.(data);
    });
  }

  async run(spec: TrialSpec, listener?: TrialListener): Promise<TrialOutcome> {
    await this.events.waitUntilReady();
    const day = 24 * 3600;
    const jobId = spec.key.replace(/:/g, '-');
    if (listener) this.listeners.set(jobId, listener);
    const job = await this.queue.add('trial', spec, {
      jobId, attempts: this.attempts, removeOnComplete: { age: day }, removeOnFail: { age: day },
    });
    try {
      const result = (await job.waitUntilFinished(this.events)) as WorkerResult;
      return (await readOutcome(spec.directory, spec.trialId)) ?? failed(spec, `the worker reported ${result?.status} but wrote no outcome files into ${spec.directory}`);
    } catch (e) {
      return failed(spec, (e as Error).message);
    } finally {
      this.listeners.delete(jobId);
    }
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
  }
}

function isEpochLog(v: unknown): v is EpochLog {
  return typeof v === 'object' && v !== null && typeof (v as EpochLog).epoch === 'number' && typeof (v as EpochLog).valMetric === 'number';
}

function failed(spec: TrialSpec, why: string): TrialOutcome {
  return { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: `Trial ${spec.trialId} failed: ${why}` };
}
