import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';
import type { TrialOutcome } from '../search/trial';
import type { ResolvedMetric } from '../train/metrics';
import type { StreamTrainData, TrainData } from '../train/types';
import { executeTrial } from './run-spec';
import type { TrialExecutor, TrialListener, TrialSpec } from './types';

/** Options of {@link InProcessExecutor}. */
export interface InProcessOptions {
  /** The prepared data in memory, a `tf.data` stream included (default: loaded from each spec's data reference, once). */
  data?: TrainData | StreamTrainData;
  /**
   * The trained graph of a past trial, for a search kept in memory (default: read from the search
   * directory the spec's `parent` names).
   */
  trainedGraph?: (trialId: number) => Promise<Graph>;
  /** Times one trial is started before it is recorded as failed (default `DEFAULTS.execute.attempts`, 2: one retry). */
  attempts?: number;
  /** The search's metrics, user functions included (default: the built-ins each spec names in `train.metrics`). */
  metrics?: readonly ResolvedMetric[];
}

/**
 * Runs one trial at a time in this process (capacity 1): the `executor: 'in-process'` of the task
 * classes. The trained graph is returned in memory; nothing is written to the outcome files; the
 * listener hears every epoch. A trial that throws (its parent's weights cannot be read, say) is
 * retried once, then failed.
 *
 * @example
 * ```ts
 * const executor = new InProcessExecutor({ data: { x, y, xVal, yVal } });
 * const outcome = await executor.run(spec);
 * ```
 */
export class InProcessExecutor implements TrialExecutor {
  readonly capacity = 1;
  private readonly attempts: number;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: InProcessOptions = {}) {
    this.attempts = options.attempts ?? DEFAULTS.execute.attempts;
    if (!Number.isInteger(this.attempts) || this.attempts < 1) invalidArgument('attempts', 'a positive integer', options.attempts);
  }

  run(spec: TrialSpec, listener?: TrialListener): Promise<TrialOutcome> {
    // One at a time: a second call waits for the first (tfjs training on one thread gains nothing from overlap).
    const next = this.busy.then(() => this.attempt(spec, listener));
    this.busy = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.busy;
  }

  private async attempt(spec: TrialSpec, listener: TrialListener | undefined): Promise<TrialOutcome> {
    const errors: string[] = [];
    const { data, trainedGraph, metrics } = this.options;
    for (let a = 1; a <= this.attempts && !(a > 1 && listener?.signal?.aborted); a++) {
      try {
        const parent = trainedGraph ? (spec.parentId === null ? null : await trainedGraph(spec.parentId)) : undefined;
        return await executeTrial(spec, { ...(data ? { data } : {}), ...(parent !== undefined ? { parent } : {}), ...(listener ? { listener } : {}), ...(metrics ? { metrics } : {}) });
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    return { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: `Trial ${spec.trialId} failed after ${this.attempts} attempt(s): ${errors.join('; ')}` };
  }
}
