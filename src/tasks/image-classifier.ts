import type { InputLike } from '../data/input';
import type { Label } from '../data/labels';
import { AutoModel } from './auto-model';
import type { AutoModelOptions } from './options';
import { CLASSIFICATION } from './task-spec';

/**
 * Searches for an image classifier (Auto-Keras `ImageClassifier`). Labels may be numbers, strings or
 * one-hot rows (multi-hot with `multiLabel`); `predict` returns them in the same form. The search
 * optimises accuracy unless the `objective` option names another metric.
 *
 * @example
 * ```ts
 * const clf = new ImageClassifier({ directory: './ak-run', seed: 1 });
 * await clf.fit(xTrain, yTrain, { timeLimit: 600 });   // x: [N, 28, 28] or [N, 28, 28, 1]
 * await clf.finalFit(xTrain, yTrain, xTest, yTest);
 * const labels = await clf.predict(xTest);             // e.g. ['shirt', 'bag', ...]
 * const accuracy = await clf.evaluate(xTest, yTest);
 * await clf.export('./model');
 * const again = await ImageClassifier.load('./ak-run');
 * ```
 */
export class ImageClassifier extends AutoModel {
  protected readonly spec = CLASSIFICATION;

  /**
   * Restores a fitted classifier from a search directory or an `export()` folder; `options` as for the
   * constructor (e.g. `backend`, `verbose`).
   */
  static async load(directory: string, options: AutoModelOptions = {}): Promise<ImageClassifier> {
    return new ImageClassifier(options).restore(directory);
  }

  /**
   * Predicted labels in the form `y` was given to `fit`: `[N]` labels in the training labels' values,
   * one-hot rows `[N, K]` for one-hot `y`, multi-hot rows `[N, K]` with `multiLabel` (each label over
   * its threshold). The form is saved with the model, so a loaded or exported model answers the same.
   */
  override async predict(x: InputLike): Promise<Label[] | number[][]> {
    return super.predict(x);
  }

  /** Class probabilities `[N, K]`, columns in the order of {@link ImageClassifier.classes} (with `multiLabel`, each label's own probability: rows need not sum to 1). */
  async predictProba(x: InputLike): Promise<number[][]> {
    const out = this.forward(x);
    try {
      return out.arraySync() as number[][];
    } finally {
      out.dispose();
    }
  }

  /** The classes, in the order of the model's outputs. */
  get classes(): Label[] {
    return this.requireFitted('classes').prep.labels!.classes.slice();
  }
}
