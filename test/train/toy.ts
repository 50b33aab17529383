import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng';

/** A learnable 3-class toy problem on [4, 4, 1] inputs: class c lights up pixels j with j % 3 === c. */
export function toyClassification(n: number, seed = 1): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const rng = new Rng(seed);
  const xs = new Float32Array(n * 16);
  const ys = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    for (let j = 0; j < 16; j++) xs[i * 16 + j] = rng.normal() * 0.5 + (j % 3 === c ? 1.5 : 0);
    ys[i * 3 + c] = 1;
  }
  return { x: tf.tensor4d(xs, [n, 4, 4, 1]), y: tf.tensor2d(ys, [n, 3]) };
}
