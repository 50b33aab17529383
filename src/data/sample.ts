import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputDataError } from '../errors';
import type { IdxArray } from './idx';
import { loadIdxPair } from './idx';

/** Fashion-MNIST class names, in label order (Xiao, Rasul & Vollgraf 2017). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** One part of an IDX data set: uint8 images `[N, H, W]` and labels `[N]`. */
export interface IdxSplit {
  x: { data: Uint8Array; shape: number[] };
  y: Uint8Array;
}

/**
 * The root of the installed autokeras-ts package (the folder of its package.json), from this file's location.
 *
 * @example
 * ```ts
 * path.join(packageRoot(), 'data'); // the bundled data folder
 * ```
 */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if (JSON.parse(readFileSync(file, 'utf8')).name === 'autokeras-ts') return dir;
      } catch {
        // not ours: keep climbing
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new InputDataError(`Cannot find the autokeras-ts package root above ${__dirname}`);
    dir = up;
  }
}

/**
 * The folder of the bundled Fashion-MNIST sample (`data/fashion-mnist-sample` in the package).
 *
 * @example
 * ```ts
 * await readIdx(path.join(fashionMnistSampleDir(), 't10k-labels-idx1-ubyte.gz'));
 * ```
 */
export function fashionMnistSampleDir(): string {
  return path.join(packageRoot(), 'data', 'fashion-mnist-sample');
}

/**
 * Loads an IDX data set stored under the Fashion-MNIST file names
 * (`{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]`) from `dir`.
 *
 * @example
 * ```ts
 * const { train, test } = await loadIdxDirectory('/usr/share/datasets/fashion-mnist');
 * ```
 */
export async function loadIdxDirectory(dir: string): Promise<{ train: IdxSplit; test: IdxSplit }> {
  const file = (stem: string) => {
    const gz = path.join(dir, `${stem}.gz`);
    return existsSync(gz) ? gz : path.join(dir, stem);
  };
  const part = async (prefix: string): Promise<IdxSplit> => {
    const { x, y } = await loadIdxPair(file(`${prefix}-images-idx3-ubyte`), file(`${prefix}-labels-idx1-ubyte`));
    return { x: asUint8(x, file(`${prefix}-images-idx3-ubyte`)), y: asUint8({ shape: [y.length], data: y }, file(`${prefix}-labels-idx1-ubyte`)).data };
  };
  const [train, test] = await Promise.all([part('train'), part('t10k')]);
  return { train, test };
}

function asUint8(a: IdxArray, file: string): { data: Uint8Array; shape: number[] } {
  if (!(a.data instanceof Uint8Array)) throw new InputDataError(`IDX file ${file} must hold unsigned bytes (type 0x08)`);
  return { data: a.data, shape: a.shape };
}

/**
 * The bundled stratified sample of Fashion-MNIST (3,000 training and 1,000 test images, 28x28
 * grayscale uint8, 10 classes; Zalando Research, MIT licence; see data/fashion-mnist-sample/README.md).
 * Resolved relative to the package root, so it works from `src`, `dist` and an installed package.
 *
 * @example
 * ```ts
 * const { train, test, classNames } = await loadFashionMnistSample();
 * train.x.shape; // [3000, 28, 28]
 * ```
 */
export async function loadFashionMnistSample(): Promise<{ train: IdxSplit; test: IdxSplit; classNames: readonly string[] }> {
  const { train, test } = await loadIdxDirectory(fashionMnistSampleDir());
  return { train, test, classNames: FASHION_MNIST_CLASSES };
}
