import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../src/compile';
import { makeOptimizer } from '../src/train';
import { Rng } from '../src/util/rng';
import { NETWORKS } from './networks';

/**
 * The kernels one training step of `model` (batch 64, Adam) spends its time in on the active backend:
 * mean milliseconds per step over `steps` steps under `tf.profile`, leaf kernels only (`*__op` wrappers
 * contain other kernels), the `top` largest.
 */
export async function topKernels(model: string, steps = 3, top = 8): Promise<Array<{ kernel: string; ms: number; calls: number }>> {
  const network = NETWORKS[model]!;
  const net = compileGraph(network.graph(), { rng: new Rng(0) });
  const optimizer = makeOptimizer({ name: 'adam', learningRate: 1e-3 });
  const x = network.inputs(64, 3);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, network.classes, 'int32', 4), network.classes));
  const step = () => tf.dispose(optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar) ?? []);
  step(); // creates the optimizer's slots
  const checking = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false); // else every kernel's output is read back
  const info = await tf.profile(() => { for (let i = 0; i < steps; i++) step(); });
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', checking);
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    if (k.name.endsWith('__op') || k.name === 'unnamed scope') continue; // wrappers (ops, custom gradients) of kernels listed on their own
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += (k.kernelTimeMs as number) / steps;
    e.calls += 1 / steps;
    byName.set(k.name, e);
  }
  tf.dispose([x, y]);
  net.dispose();
  optimizer.dispose();
  return [...byName].map(([kernel, e]) => ({ kernel, ms: Math.round(e.ms * 10) / 10, calls: Math.round(e.calls) }))
    .sort((a, b) => b.ms - a.ms).slice(0, top);
}
