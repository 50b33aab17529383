import type * as tf from '@tensorflow/tfjs';
import { InputDataError, invalidArgument } from '../errors';
import type { Task } from '../data/preprocessing';
import type { Graph } from '../graph/graph';
import type { StreamTrainData, TrainData } from './types';

const text = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Checks one pair of tensors against the graph's input and output shapes and each other's length;
 * the InputDataError names the pair (`xVal` / `yVal`, ...).
 *
 * @example
 * ```ts
 * checkTensorPair(graph, xs, ys, 'batches.xs', 'batches.ys');
 * ```
 */
export function checkTensorPair(graph: Graph, x: tf.Tensor | undefined, y: tf.Tensor | undefined, xName: string, yName: string): void {
  if (!x && !y) return;
  if (!x || !y) throw new InputDataError(`\`${x ? yName : xName}\` is missing: pass both \`${xName}\` and \`${yName}\` or neither`);
  const sample = x.shape.slice(1);
  if (sample.length !== graph.inputShape.length || sample.some((d, i) => d !== graph.inputShape[i])) {
    throw new InputDataError(`Received an invalid value for \`${xName}\`, expected samples of shape ${text(graph.inputShape)} (the graph's input). Received: ${xName} of shape ${text(x.shape)}`);
  }
  const out = graph.outputShape;
  if (y.rank !== 2 || y.shape[1] !== out[out.length - 1]) {
    throw new InputDataError(`Received an invalid value for \`${yName}\`, expected targets of shape [N, ${out[out.length - 1]}] (the graph's output). Received: ${yName} of shape ${text(y.shape)}`);
  }
  if (x.shape[0] !== y.shape[0] || x.shape[0] === 0) {
    throw new InputDataError(`Received an invalid value for \`${yName}\`, expected as many samples as \`${xName}\` (${x.shape[0]}), at least one. Received: ${y.shape[0]} samples`);
  }
}

/**
 * Validates the tensors of {@link TrainData} against the graph (shapes, lengths, pairs).
 *
 * @example
 * ```ts
 * checkTrainData(graph, { x, y, xVal, yVal }, 'classification'); // InputDataError naming `yVal` if its width is wrong
 * ```
 */
export function checkTrainData(graph: Graph, data: TrainData | StreamTrainData, task: Task): void {
  if (task !== 'classification' && task !== 'regression') invalidArgument('task', '"classification" or "regression"', task);
  if ('batches' in data) {
    if (typeof data.batches !== 'function' && typeof (data.batches as { iterator?: unknown })?.iterator !== 'function') {
      invalidArgument('batches', 'a tf.data.Dataset of {xs, ys} or a function returning an iterable of batches', data.batches);
    }
  } else checkTensorPair(graph, data.x, data.y, 'x', 'y');
  checkTensorPair(graph, data.xVal, data.yVal, 'xVal', 'yVal');
  checkTensorPair(graph, data.xTest, data.yTest, 'xTest', 'yTest');
}
