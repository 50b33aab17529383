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
   * As {@link AutoModel.fit}; `x` may also be an {@link ImageList} of 2D images of mixed sizes, resized
   * to `imageSize` (default: their median size, capped at `DEFAULTS.data.maxImageSize`).
   */
  override async fit(x: InputLike | ImageList | BatchDataset, y?: TargetLike, fitOptions: FitOptions = {}): Promise<this> {
    return super.fit(x as InputLike, y, fitOptions);
  }

  /**
   * Predicted labels in the form `y` was given to `fit`: `[N]` labels in the training labels' values,
   * one-hot rows `[N, K]` for one-hot `y`, multi-hot rows `[N, K]` with `multiLabel` (each label over
   * its threshold). The form is saved with the model, so a loaded or exported model answers the same.
   * 2D images of another size are resized (see the `resize` option).
   */
  override async predict(x: InputLike | ImageList): Promise<Label[] | number[][]> {
    return super.predict(x as InputLike);
  }

  /** As {@link AutoModel.evaluate}; 2D images of another size are resized (see the `resize` option). */
  override async evaluate(x: InputLike | ImageList, y: TargetLike): Promise<number>;
  override async evaluate(x: InputLike | ImageList, y: TargetLike, options: { returnDict: true }): Promise<Record<string, number>>;
  override async evaluate(x: InputLike | ImageList, y: TargetLike, options?: { returnDict?: boolean }): Promise<number | Record<string, number>>;
  override async evaluate(x: InputLike | ImageList, y: TargetLike, options: { returnDict?: boolean } = {}): Promise<number | Record<string, number>> {
    return super.evaluate(x as InputLike, y, options);
  }

  /** Class probabilities `[N, K]`, columns in the order of {@link ImageClassifier.classes} (with `multiLabel`, each label's own probability: rows need not sum to 1). */
  async predictProba(x: InputLike | ImageList): Promise<number[][]> {
    return this.outputRows(x);
  }

  /** The classes, in the order of the model's outputs. */
  get classes(): Label[] {
    return this.classList();
  }
}
