import * as tf from '@tensorflow/tfjs';
import { invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { OptimizerConfig } from './types';
import { FusedAdamOptimizer } from './adam';

/**
 * A fresh tfjs optimiser from its config (the caller disposes it). Adam ({@link FusedAdamOptimizer}: tfjs's,
 * one kernel per variable on wasm) defaults to `DEFAULTS.train.learningRate` (2e-3; Auto-Keras 0.2
 * used 1e-3); SGD takes `momentum` (default 0.9) and `nesterov`. Both use
 * `DEFAULTS.train.learningRate` unless given (Auto-Keras 0.3's SGD used lr 0.025; pass it explicitly).
 *
 * @example
 * ```ts
 * const opt = makeOptimizer({ name: 'sgd', learningRate: 0.025, momentum: 0.9 });
 * ```
 */
export function makeOptimizer(config: OptimizerConfig = { name: DEFAULTS.optimizer.name }): tf.Optimizer {
  const lr = config.learningRate ?? DEFAULTS.train.learningRate;
  if (!(lr > 0 && Number.isFinite(lr))) invalidArgument('learningRate', 'a positive number', lr);
  if (config.name === 'adam') return new FusedAdamOptimizer(lr, config.beta1, config.beta2, config.epsilon);
  if (config.name === 'sgd') {
    const momentum = config.momentum ?? DEFAULTS.optimizer.momentum;
    if (!(momentum >= 0 && momentum < 1)) invalidArgument('momentum', 'a number in [0, 1)', momentum);
    return momentum === 0 ? tf.train.sgd(lr) : tf.train.momentum(lr, momentum, config.nesterov ?? false);
  }
  return invalidArgument('optimizer.name', '"adam" or "sgd"', (config as { name: unknown }).name);
}
