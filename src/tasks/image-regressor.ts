import type { InputLike } from '../data/input';
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

  /** Predicted targets `[N, K]`. */
  override async predict(x: InputLike): Promise<number[][]> {
    return (await super.predict(x)) as number[][];
  }
}
