import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import * as os from 'node:os';
import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { TrialOutcome } from '../search/trial';
import type { ChildReply } from './child';
import { forkEntry } from './fork-entry';
import { readOutcome } from './outcome-files';
import type { TrialExecutor, TrialListener, TrialSpec } from './types';

/** Options of {@link ProcessPoolExecutor}. */
export interface ProcessPoolOptions {
  /** Child processes, each running one trial at a time (default `DEFAULTS.execute.poolWorkers`: the cores, `os.availableParallelism()`). */
  workers?: number;
  /** Times one trial is started before it is recorded as failed (default 2: one retry). */
  attempts?: number;
  /** Environment of the children (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

interface Task {
  spec: TrialSpec;
  attempts: number;
  errors: string[];
  listener: TrialListener | undefined;
  resolve: (o: TrialOutcome) => void;
}

interface Slot {
  child: ChildProcess;
  task: Task | null;
}

/**
 * Runs trials in `workers` child processes on this machine (`child_process.fork` of the worker entry,
 * IPC). Each child loads the prepared data once and writes every trial's trained weights into the
 * search directory's outcome files, which this executor reads back. A child that crashes or is
 * killed mid-trial is replaced by a fresh one and its trial retried; a trial whose every attempt
 * crashed or threw resolves as failed with the reasons.
 *
 * @example
 * ```ts
 * const pool = new ProcessPoolExecutor({ workers: 2 });
 * const [a, b] = await Promise.all([pool.run(spec0), pool.run(spec1)]); // in parallel
 * await pool.close();
 * ```
 */
export class ProcessPoolExecutor implements TrialExecutor {
  readonly capacity: number;
  private readonly attempts: number;
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private closed = false;

  constructor(private readonly options: ProcessPoolOptions = {}) {
    this.capacity = options.workers ?? defaultPoolWorkers();
    this.attempts = options.attempts ?? DEFAULTS.execute.attempts;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) invalidArgument('workers', 'a positive integer', options.workers);
    if (!Number.isInteger(this.attempts) || this.attempts < 1) invalidArgument('attempts', 'a positive integer', options.attempts);
  }

  /** Attempts started again after a child crashed or a trial threw. */
  retries = 0;

  /** Process ids of the live children; with `busy`, only those training a trial (for monitoring, and tests that kill one). */
  workerPids(busy = false): number[] {
    return this.slots.filter((s) => !busy || s.task !== null).map((s) => s.child.pid).filter((p): p is number => p !== undefined);
  }

  run(spec: TrialSpec, listener?: TrialListener): Promise<TrialOutcome> {
    if (this.closed) invalidArgument('executor', 'an open executor (close() was called)', 'closed');
    return new Promise((resolve) => {
      const signal = listener?.signal;
      const onAbort = () => this.abort(task);
      // The abort listener goes with the trial: a search of many trials on one signal leaves none behind.
      const done = (o: TrialOutcome) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(o);
      };
      const task: Task = { spec, attempts: 0, errors: [], listener, resolve: done };
      this.waiting.push(task);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.dispatch();
    });
  }

  /** The search was stopped: a waiting trial is not started; a running one is told to stop before its next batch. */
  private abort(task: Task): void {
    const i = this.waiting.indexOf(task);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      task.resolve({ metric: NaN, epochs: 0, seconds: 0, status: 'failed', stoppedBy: 'aborted', error: `Trial ${task.spec.trialId} was not started: the search was stopped` });
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot?.child.connected) slot.child.send({ type: 'abort', trialId: task.spec.trialId });
  }

  async close(): Promise<void> {
    this.closed = true;
    const exits = this.slots.map((s) => new Promise<void>((r) => (s.child.exitCode !== null || s.child.signalCode !== null ? r() : s.child.once('exit', () => r()))));
    for (const s of this.slots) if (s.child.connected) s.child.disconnect();
    await Promise.all(exits);
    this.slots.length = 0;
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.capacity) slot = this.spawn();
      if (!slot) return;
      const task = this.waiting.shift()!;
      task.attempts++;
      slot.task = task;
      slot.child.send({ type: 'run', spec: task.spec });
    }
  }

  private spawn(): Slot {
    const { file, execArgv } = forkEntry('child');
    const child = fork(file, [], { execArgv, env: this.options.env ?? process.env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const slot: Slot = { child, task: null };
    this.slots.push(slot);
    child.on('message', (m: ChildReply) => { void this.onReply(slot, m); });
    child.on('exit', (code, signal) => this.onExit(slot, `the worker process exited (${signal ?? `code ${code}`})`));
    child.on('error', (e) => this.onExit(slot, `the worker process failed (${e.message})`));
    return slot;
  }

  private async onReply(slot: Slot, m: ChildReply): Promise<void> {
    const task = slot.task;
    if (!task || m.type === 'ready') return;
    if (m.type === 'epoch') {
      if (m.trialId === task.spec.trialId) task.listener?.epochEnd?.(m.log);
      return;
    }
    slot.task = null;
    if (m.type === 'error') this.retry(task, m.message);
    else {
      try {
        task.resolve((await readOutcome(task.spec.directory, task.spec.trialId)) ?? failed(task, [`no outcome files for trial ${task.spec.trialId}`]));
      } catch (e) {
        task.resolve(failed(task, [(e as Error).message]));
      }
    }
    this.dispatch();
  }

  private onExit(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.task) this.retry(slot.task, why);
    slot.task = null;
    this.dispatch();
  }

  private retry(task: Task, why: string): void {
    task.errors.push(why);
    if (task.attempts < this.attempts && !this.closed && !task.listener?.signal?.aborted) {
      this.retries++;
      this.waiting.unshift(task);
    }
    else task.resolve(failed(task, task.errors));
  }
}

/**
 * The child processes of a pool given without `workers` (`DEFAULTS.execute.poolWorkers`): the cores
 * (`os.availableParallelism()`) when it says `'cores'`.
 *
 * @example
 * ```ts
 * defaultPoolWorkers(); // 2 on a 2-core machine
 * ```
 */
export function defaultPoolWorkers(): number {
  const w = DEFAULTS.execute.poolWorkers;
  return w === 'cores' ? availableCores() : w;
}

/**
 * The cores this process may use (`os.availableParallelism()`, which honours CPU affinity; at least 1).
 *
 * @example
 * ```ts
 * availableCores(); // 2
 * ```
 */
export function availableCores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

function failed(task: Task, errors: string[]): TrialOutcome {
  const error = `Trial ${task.spec.trialId} failed after ${task.attempts} attempt(s): ${errors.join('; ')}`;
  return { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error };
}
