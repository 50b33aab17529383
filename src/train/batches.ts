import * as tf from '@tensorflow/tfjs';
import { InputDataError } from '../errors';
import type { Rng } from '../util/rng';

/** One training batch: inputs `[B, ...sampleShape]` and targets `[B, K]`, already preprocessed. */
// A type alias, not an interface: tf.data.Dataset needs an index-signature-compatible element type.
export type Batch = { xs: tf.Tensor; ys: tf.Tensor };

/**
 * Training batches for data that do not fit in memory (the pipeline case): a `tf.data.Dataset` of
 * batched `{xs, ys}` (e.g. `dataset.map(prep.mapBatch).batch(64)`), or a function returning a fresh
 * (async) iterable of batches for each epoch. Shuffling is the stream's job. The trainer disposes every
 * batch it pulls, as `model.fitDataset` does.
 */
export type BatchStream = tf.data.Dataset<Batch> | (() => AsyncIterable<Batch> | Iterable<Batch>);

/**
 * Shuffled mini-batches gathered from in-memory tensors `x` `[N, ...]`, `y` `[N, K]` (one epoch).
 *
 * @example
 * ```ts
 * for await (const { xs, ys } of tensorBatches(x, y, 32, rng)) { ...; tf.dispose([xs, ys]); }
 * ```
 */
export async function* tensorBatches(x: tf.Tensor, y: tf.Tensor, batchSize: number, rng: Rng): AsyncGenerator<Batch> {
  const order = rng.shuffle(Array.from({ length: x.shape[0]! }, (_, i) => i));
  for (let start = 0; start < order.length; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    yield tf.tidy(() => {
      const i = tf.tensor1d(idx, 'int32');
      return { xs: tf.gather(x, i), ys: tf.gather(y, i) };
    });
  }
}

/**
 * The batches of one epoch of a {@link BatchStream}, each checked to be a `{xs, ys}` pair of tensors
 * with as many rows (an InputDataError naming `batches` otherwise).
 *
 * @example
 * ```ts
 * for await (const b of streamBatches(tf.data.array(items).batch(32))) { ... }
 * ```
 */
export async function* streamBatches(stream: BatchStream): AsyncGenerator<Batch> {
  const check = (b: unknown, i: number): Batch => {
    const { xs, ys } = (b ?? {}) as Partial<Batch>;
    if (!(xs instanceof tf.Tensor) || !(ys instanceof tf.Tensor)) throw new InputDataError(`Received an invalid value for \`batches\`, expected elements {xs: tf.Tensor, ys: tf.Tensor}. Received: element ${i} without them`);
    if (xs.shape[0] !== ys.shape[0]) throw new InputDataError(`Received an invalid value for \`batches\`, expected xs and ys with as many rows. Received: element ${i} with ${xs.shape[0]} and ${ys.shape[0]}`);
    return { xs, ys };
  };
  let i = 0;
  if (stream instanceof tf.data.Dataset) {
    const it = await stream.iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) yield check(r.value, i++);
    return;
  }
  for await (const b of stream()) yield check(b, i++);
}
