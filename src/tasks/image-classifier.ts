import type { InputLike } from '../data/input';
import type { Label } from '../data/labels';
import { AutoModel } from './auto-model';
import type { AutoModelOptions } from './options';
import { CLASSIFICATION } from './task-spec';

/**
 * Searches for an image classifier (Auto-Keras `ImageClassifier`). Labels may be numbers, strings or
 * one-hot rows; `predict` returns them in the same values. The validation metric is accuracy.
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

  /** Predicted labels `[N]`, in the values of the training labels. */
  override async predict(x: InputLike): Promise<Label[]> {
    return (await super.predict(x)) as Label[];
  }

  /** Class probabilities `[N, K]`, columns in the order of {@link ImageClassifier.classes}. */
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
