import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';

/**
 * A rough upper estimate of the memory one training step of `graph` needs, in bytes (paper 4.4):
 *
 *   bytes = 4 * (3 * P + 2 * B * A)
 *
 * with P the parameter count (weights, their gradients and the optimiser's moments, counted as three
 * float32 copies as in the brief: Adam keeps two moments; SGD fewer), A the activation elements per
 * sample summed over every node of the graph (`graph.activationCount()`), B the batch size, and the
 * activations kept twice (forward values and their gradients).
 *
 * @example
 * ```ts
 * estimateMemoryBytes(graph, 128) > 2 ** 30; // skip candidates over a 1 GiB budget
 * ```
 */
export function estimateMemoryBytes(graph: Graph, batchSize: number): number {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) invalidArgument('batchSize', 'a positive integer', batchSize);
  return 4 * (3 * graph.paramCount() + 2 * batchSize * graph.activationCount());
}

/**
 * The batch size for `n` training samples: `min(requested, DEFAULTS.train.maxBatchSize, n)`, lowered
 * for small data so that an epoch has about `DEFAULTS.data.minBatchesPerEpoch` (10) batches, but not
 * below `DEFAULTS.data.minBatchSize` (8) nor above n.
 *
 * @example
 * ```ts
 * adaptBatchSize(3000);  // 128
 * adaptBatchSize(200);   // 20
 * adaptBatchSize(5);     // 5
 * ```
 */
export function adaptBatchSize(n: number, requested: number = DEFAULTS.train.maxBatchSize): number {
  if (!(Number.isInteger(requested) && requested > 0)) invalidArgument('batchSize', 'a positive integer', requested);
  let b = Math.min(requested, DEFAULTS.train.maxBatchSize);
  if (n / b < DEFAULTS.data.minBatchesPerEpoch) b = Math.min(b, Math.max(DEFAULTS.data.minBatchSize, Math.ceil(n / DEFAULTS.data.minBatchesPerEpoch)));
  return Math.max(1, Math.min(b, n));
}

/**
 * Whether an error thrown by a backend means it ran out of memory (tfjs cpu, webgl, wasm, node).
 *
 * @example
 * ```ts
 * isOutOfMemoryError(new RangeError('Array buffer allocation failed')); // true
 * ```
 */
export function isOutOfMemoryError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return /out of memory|\bOOM\b|array buffer allocation failed|invalid typed array length|failed to allocate|cannot allocate|allocation failed|requested texture size/i.test(text);
}
