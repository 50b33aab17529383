import type { Task } from '../data/preprocessing';
import type { MetricDirection } from '../search/types';
import { DEFAULTS } from '../options';
import { invalidArgument } from '../errors';
import type { ResolvedMetric } from '../train/metrics';
import { resolveMetrics } from '../train/metrics';

/** What differs between a classifier and a regressor, as data (no if-chains in the facade). */
export interface TaskSpec {
  task: Task;
  /** Direction of the validation metric. */
  direction: MetricDirection;
  /** Name of the validation metric (the objective). */
  metricName: string;
  /** Output head of generated architectures. */
  head: 'softmax' | 'linear' | 'sigmoid';
}

/** Classification: softmax head, cross-entropy loss, accuracy to maximise. */
export const CLASSIFICATION: TaskSpec = { task: 'classification', direction: 'max', metricName: 'accuracy', head: 'softmax' };

/** Regression: linear head, mean squared error to minimise. */
export const REGRESSION: TaskSpec = { task: 'regression', direction: 'min', metricName: 'mse', head: 'linear' };

/** A task's spec with the search's objective: its direction and name replace the task's defaults. */
export interface SearchSpec extends TaskSpec {
  /** The objective first, then the other metrics of the `metrics` option. */
  metrics: ResolvedMetric[];
  /** Whether the user chose an objective or metrics (without, trials compute only the task's default metric and early stopping monitors the loss). */
  chosen: boolean;
  /** Whether the user chose the objective (early stopping then monitors it). */
  monitorObjective: boolean;
}

/**
 * The {@link SearchSpec} of a task under the `objective` and `metrics` options (checked against the
 * task: an ArgumentError names a metric of the other task).
 *
 * @example
 * ```ts
 * searchSpec(REGRESSION, { objective: 'r2' }).direction; // 'max'
 * ```
 */
export function searchSpec(spec: TaskSpec, options: { objective?: unknown; metrics?: unknown[]; multiLabel?: boolean }): SearchSpec {
  if (options.multiLabel && spec.task !== 'classification') invalidArgument('multiLabel', 'false for a regressor (multi-hot targets are a classification task)', options.multiLabel);
  const metrics = resolveMetrics(options.objective, options.metrics ?? [], spec.task, DEFAULTS.objective[spec.task]);
  const objective = metrics[0]!;
  return {
    ...spec, ...(options.multiLabel ? { head: 'sigmoid' as const } : {}), direction: objective.direction, metricName: objective.name, metrics,
    chosen: options.objective !== undefined || (options.metrics ?? []).length > 0, monitorObjective: options.objective !== undefined,
  };
}
