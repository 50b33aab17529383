import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputDataError } from '../errors';
import type { CsvImagesOptions } from './image-folder';
import { loadCsvImages } from './image-folder';
import { loadIdxPair } from './idx';
import type { ShapedArray, TypedArray } from './input';
import { nestedShape } from './input';
import type { Label } from './labels';

/** A loaded labelled data set: images or arrays `x` with a shape, labels `y`. */
export interface LoadedData {
  x: ShapedArray;
  y: Label[] | TypedArray;
  /** Where it came from, for messages. */
  source: string;
}

/** Options of {@link loadData}. */
export interface LoadDataOptions extends CsvImagesOptions {
  /** IDX part to read from a folder or prefix: `train` (default) or `t10k` / `test`. */
  part?: 'train' | 'test';
}

const exists = (f: string) => existsSync(f);
const idxFile = (prefix: string, kind: 'images-idx3' | 'labels-idx1'): string | undefined =>
  [`${prefix}-${kind}-ubyte.gz`, `${prefix}-${kind}-ubyte`].find(exists);

/**
 * Loads a data set from a path, as the CLI's `--data` takes it:
 * - a `.csv` file: file names + labels, images beside it ({@link loadCsvImages});
 * - a `.json` file of plain arrays `{ "x": [[...]], "y": [...] }`;
 * - an IDX prefix `dir/train` (reads `dir/train-images-idx3-ubyte[.gz]` and `dir/train-labels-idx1-ubyte[.gz]`);
 * - a folder holding IDX files (`train-*` or, with `part: 'test'`, `t10k-*`), or a single `*.csv`.
 * Errors are InputDataErrors naming the path.
 *
 * @example
 * ```ts
 * const { x, y } = await loadData('data/fashion-mnist-sample');       // IDX training part
 * const test = await loadData('data/fashion-mnist-sample', { part: 'test' });
 * ```
 */
export async function loadData(source: string, options: LoadDataOptions = {}): Promise<LoadedData> {
  const prefix = options.part === 'test' ? 't10k' : 'train';
  if (/\.csv$/i.test(source)) {
    const { x, y } = await loadCsvImages(source, options);
    return { x, y, source };
  }
  if (/\.json$/i.test(source)) return loadJsonArrays(source);
  if (exists(source) && statSync(source).isDirectory()) {
    if (idxFile(path.join(source, prefix), 'images-idx3')) return loadData(path.join(source, prefix), options);
    const csvs = (await fs.readdir(source)).filter((f) => /\.csv$/i.test(f));
    if (csvs.length === 1) return loadData(path.join(source, csvs[0]!), options);
    throw new InputDataError(`Folder ${source} holds neither IDX files (${prefix}-images-idx3-ubyte[.gz]) nor exactly one CSV file (found ${csvs.length})`);
  }
  const images = idxFile(source, 'images-idx3');
  const labels = idxFile(source, 'labels-idx1');
  if (!images || !labels) throw new InputDataError(`No data at ${source}: expected a .csv or .json file, a folder, or an IDX prefix with ${source}-images-idx3-ubyte[.gz] and ${source}-labels-idx1-ubyte[.gz]`);
  const { x, y } = await loadIdxPair(images, labels);
  return { x: { data: x.data, shape: x.shape }, y, source };
}

/** Reads `{ "x": nested numbers, "y": labels }` from a JSON file. */
async function loadJsonArrays(file: string): Promise<LoadedData> {
  let doc: { x?: unknown; y?: unknown };
  try {
    doc = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new InputDataError(`Cannot read JSON data file ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc?.x) || !Array.isArray(doc?.y)) throw new InputDataError(`JSON data file ${file} must hold {"x": [...], "y": [...]} arrays`);
  const shape = nestedShape(doc.x, 'x');
  return { x: { data: (doc.x as unknown[]).flat(shape.length) as number[], shape }, y: doc.y as Label[], source: file };
}
