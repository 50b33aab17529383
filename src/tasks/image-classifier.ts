import type { InputLike } from '../data/input';
import type { ImageList } from '../data/resize';
import type { FitOptions } from './auto-model';
import type { BatchDataset, TargetLike } from './data';
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

  /**
   * As {@link AutoModel.fit}; `x` may also be an {@link ImageList} of 2D images of mixed sizes, resized
   * to `imageSize` (default: their median size, capped at `DEFAULTS.data.maxImageSize`).
   */
  override async fit(x: InputLike | ImageList | BatchDataset, y?: TargetLike, fitOptions: FitOptions = {}): Promise<this> {
    return super.fit(x as InputLike, y, fitOptions);
  }

  /** Predicted labels `[N]`, in the values of the training labels (2D images of another size are resized, see `resize`). */
  override async predict(x: InputLike | ImageList): Promise<Label[]> {
    return (await super.predict(x as InputLike)) as Label[];
  }

  /** Accuracy on `x`, `y` (2D images of another size are resized, see `resize`). */
  override async evaluate(x: InputLike | ImageList, y: TargetLike): Promise<number> {
    return super.evaluate(x as InputLike, y);
  }

  /** Class probabilities `[N, K]`, columns in the order of {@link ImageClassifier.classes}. */
  async predictProba(x: InputLike | ImageList): Promise<number[][]> {
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
