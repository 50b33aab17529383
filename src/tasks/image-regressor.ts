import type { InputLike } from '../data/input';
import type { ImageList } from '../data/resize';
import type { FitOptions } from './auto-model';
import type { BatchDataset, TargetLike } from './data';
import { AutoModel } from './auto-model';
import type { AutoModelOptions } from './options';
import { REGRESSION } from './task-spec';

/**
 * Searches for an image regressor (Auto-Keras `ImageRegressor`): numeric targets `[N]` or `[N, K]`,
 * a linear head, mean squared error as loss and, unless the `objective` option names another metric
 * (`'mae'`, `'rmse'`, `'r2'`, a function), as the validation metric (lower is better).
 *
 * @example
 * ```ts
 * const reg = new ImageRegressor({ seed: 1 });
 * await reg.fit(images, ages, { timeLimit: 300 });
 * const predicted = await reg.predict(testImages);     // [[23.5], [41.2], ...]
 * const mse = await reg.evaluate(testImages, testAges);
 * ```
 */
export class ImageRegressor extends AutoModel {
  protected readonly spec = REGRESSION;

  /**
   * Restores a fitted regressor from a search directory or an `export()` folder; `options` as for the
   * constructor (e.g. `backend`, `verbose`).
   */
  static async load(directory: string, options: AutoModelOptions = {}): Promise<ImageRegressor> {
    return new ImageRegressor(options).restore(directory);
  }

  /**
   * As {@link AutoModel.fit}; `x` may also be an {@link ImageList} of 2D images of mixed sizes, resized
   * to `imageSize` (default: their median size, capped at `DEFAULTS.data.maxImageSize`).
   */
  override async fit(x: InputLike | ImageList | BatchDataset, y?: TargetLike, fitOptions: FitOptions = {}): Promise<this> {
    return super.fit(x as InputLike, y, fitOptions);
  }

  /** Predicted targets `[N, K]` (2D images of another size are resized, see `resize`). */
  override async predict(x: InputLike | ImageList): Promise<number[][]> {
    return (await super.predict(x as InputLike)) as number[][];
  }

  /** As {@link AutoModel.evaluate}; 2D images of another size are resized (see the `resize` option). */
  override async evaluate(x: InputLike | ImageList, y: TargetLike): Promise<number>;
  override async evaluate(x: InputLike | ImageList, y: TargetLike, options: { returnDict: true }): Promise<Record<string, number>>;
  override async evaluate(x: InputLike | ImageList, y: TargetLike, options?: { returnDict?: boolean }): Promise<number | Record<string, number>>;
  override async evaluate(x: InputLike | ImageList, y: TargetLike, options: { returnDict?: boolean } = {}): Promise<number | Record<string, number>> {
    return super.evaluate(x as InputLike, y, options);
  }
}
