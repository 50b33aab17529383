import { invalidArgument } from '../errors';
import type { TrialOutcome } from '../search/search-loop';
import type { TrainData } from '../train/types';
import { executeTrial } from './run-spec';
import type { TrialExecutor, TrialSpec } from './types';

/** Options of {@link InProcessExecutor}. */
export interface InProcessOptions {
  /** The prepared data in memory (default: loaded from each spec's data reference, once). */
  data?: TrainData;
  /** Times one trial is started before it is recorded as failed (default 2: one retry). */
  attempts?: number;
}

/**
 * Runs one trial at a time in this process (capacity 1), the behaviour of a search without an
 * executor. The trained graph is returned in memory; nothing is written to the outcome files. A
 * trial that throws (its parent's weights cannot be read, say) is retried once, then failed.
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
    this.attempts = options.attempts ?? 2;
    if (!Number.isInteger(this.attempts) || this.attempts < 1) invalidArgument('attempts', 'a positive integer', options.attempts);
  }

  run(spec: TrialSpec): Promise<TrialOutcome> {
    // One at a time: a second call waits for the first (tfjs training on one thread gains nothing from overlap).
    const next = this.busy.then(() => this.attempt(spec));
    this.busy = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.busy;
  }

  private async attempt(spec: TrialSpec): Promise<TrialOutcome> {
    const errors: string[] = [];
    for (let a = 1; a <= this.attempts; a++) {
      try {
        return await executeTrial(spec, this.options.data ? { data: this.options.data } : {});
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    return { metric: NaN, epochs: 0, seconds: 0, status: 'failed', error: `Trial ${spec.trialId} failed after ${this.attempts} attempt(s): ${errors.join('; ')}` };
  }
}
