import type { Task } from '../data/preprocessing';
import type { MetricDirection } from '../search/types';

/** What differs between a classifier and a regressor, as data (no if-chains in the facade). */
export interface TaskSpec {
  task: Task;
  /** Direction of the validation metric. */
  direction: MetricDirection;
  /** Name of the validation metric. */
  metricName: 'accuracy' | 'mse';
  /** Output head of generated architectures. */
  head: 'softmax' | 'linear';
}

/** Classification: softmax head, cross-entropy loss, accuracy to maximise. */
export const CLASSIFICATION: TaskSpec = { task: 'classification', direction: 'max', metricName: 'accuracy', head: 'softmax' };

/** Regression: linear head, mean squared error to minimise. */
export const REGRESSION: TaskSpec = { task: 'regression', direction: 'min', metricName: 'mse', head: 'linear' };
