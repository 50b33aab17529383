import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../backend/kernels';

/** The slots tfjs's AdamOptimizer keeps (private in its typings; same names at runtime). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/**
 * tfjs's Adam (same updates, slots, weights, config and class name 'Adam', so saved optimizer state and
 * `model.compile` see no difference) whose step runs one fused kernel per variable (`AutokerasAdamUpdate`)
 * on backends that register it (wasm), instead of about ten small kernels per variable. Elsewhere it is
 * tfjs's AdamOptimizer.
 *
 * @example
 * ```ts
 * const opt = new FusedAdamOptimizer(1e-3); // beta1 0.9, beta2 0.999
 * model.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
 * ```
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** The defaults of `tf.train.adam`: beta1 0.9, beta2 0.999, epsilon the backend's. */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const slots = this as unknown as AdamSlots;
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // The bias corrections of this step, from the iteration count (setWeights restores accBeta* the same way).
    const t = this.iterations + 1;
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** t, correction2: 1 - this.beta2 ** t,
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        const slot = (originalName: string) => ({ originalName, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
        slots.accumulatedFirstMoment[i] ??= slot(`${name}/m`);
        slots.accumulatedSecondMoment[i] ??= slot(`${name}/v`);
        const grad = list ? variableGradients[i]!.tensor : (variableGradients as tf.NamedTensorMap)[name];
        if (grad == null) return;
        const m = slots.accumulatedFirstMoment[i]!.variable;
        const v = slots.accumulatedSecondMoment[i]!.variable;
        const [value2, m2, v2] = tf.engine().runKernel(ADAM_UPDATE, { value, m, v, grad }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m2!);
        v.assign(v2!);
        value.assign(value2!);
      });
      // Kept in step for tfjs's own applyGradients, should the backend change.
      slots.accBeta1.assign(tf.scalar(this.beta1 ** (t + 1)));
      slots.accBeta2.assign(tf.scalar(this.beta2 ** (t + 1)));
    });
    this.incrementIterations();
  }
}
