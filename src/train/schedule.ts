import type * as tf from '@tensorflow/tfjs';
import { DEFAULTS } from '../options';
import type { LrSchedule } from './types';

/**
 * The learning rate at `progress` in [0, 1] of a run's budget: `'constant'` keeps `base`; `'cosine'`
 * follows half a cosine from `base` down to `DEFAULTS.train.minLearningRateRatio * base` (Loshchilov &
 * Hutter 2017, without restarts; decaying to the end of a known budget is what Li, Yumer & Ramanan 2020
 * found best for training under a time budget).
 *
 * @example
 * ```ts
 * scheduledLearningRate(1e-3, 'cosine', 0);   // 1e-3
 * scheduledLearningRate(1e-3, 'cosine', 0.5); // 5.25e-4
 * scheduledLearningRate(1e-3, 'cosine', 1);   // 5e-5
 * ```
 */
export function scheduledLearningRate(base: number, schedule: LrSchedule, progress: number): number {
  if (schedule === 'constant') return base;
  const p = Math.min(1, Math.max(0, progress));
  const floor = DEFAULTS.train.minLearningRateRatio;
  return base * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

/**
 * Sets the learning rate of a tfjs optimiser made by `makeOptimizer` (Adam reads its `learningRate`
 * at every step; SGD and momentum keep a scalar that `setLearningRate` replaces).
 *
 * @example
 * ```ts
 * setLearningRate(optimizer, 5e-4);
 * ```
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === rate) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  o.learningRate = rate;
}
