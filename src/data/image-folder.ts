import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type SharpFn from 'sharp';
import { InputDataError, UnsupportedError, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import { checkExistingFolder } from '../persist/paths';
import { Rng } from '../util/rng';
import type { ShapedArray } from './input';
import type { Label } from './labels';
import { findColumns, readCsv } from './csv';
import { checkImageSize, chooseImageSize } from './resize';

/** Options of {@link loadCsvImages}. */
export interface CsvImagesOptions {
  /** Folder the file names are relative to (default: the CSV file's folder). */
  imageDir?: string;
  /** Header of the file-name column (default: guessed, see findColumns). */
  fileColumn?: string;
  /** Header of the label column (default: guessed). */
  labelColumn?: string;
  /** `grayscale` (1 channel), `rgb` (3) or `auto` (grayscale when every image is; default). */
  color?: 'grayscale' | 'rgb' | 'auto';
  /** Common `[height, width]` (default: the median height and width of the images, each capped at `DEFAULTS.data.maxImageSize`). */
  size?: [number, number];
  /**
   * Allow file names that lead outside the image folder (`../x.png`, an absolute path elsewhere; default false: such
   * a row is an InputDataError, so a CSV from elsewhere cannot make the loader open arbitrary files).
   * The check is on the names as written; symbolic links inside the folder are followed.
   */
  allowOutsidePaths?: boolean;
}

/** Images decoded from a CSV + image folder: uint8 `[N, H, W, C]`, labels, and the file of each sample. */
export interface CsvImages {
  x: { data: Uint8Array; shape: [number, number, number, number] };
  /** Labels as in the CSV: numbers when every label parses as a number, else strings. */
  y: Label[];
  files: string[];
}

let sharpLoad: Promise<typeof SharpFn> | undefined;

/**
 * sharp, loaded on the first image read: `import 'autokeras-ts'` must not load its native library
 * (most users never read image files). A sharp that cannot load is an {@link UnsupportedError}.
 */
function loadSharp(): Promise<typeof SharpFn> {
  sharpLoad ??= import('sharp').then(
    (m) => m.default,
    (err: Error) => {
      sharpLoad = undefined;
      throw new UnsupportedError(`reading image files needs the sharp package, which did not load: ${err.message}`);
    },
  );
  return sharpLoad;
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await fn(items[i]!); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Loads a labelled image data set described by a CSV of file names and labels (Auto-Keras 0.3's
 * `load_image_dataset`): PNG, JPEG, WebP, ... decoded with sharp, alpha dropped, resized to a
 * common shape (`fit: fill`), grayscale or RGB. Typed errors name the CSV file and line for a missing
 * label column, an empty label or a missing / undecodable image.
 *
 * @example
 * ```ts
 * const { x, y } = await loadCsvImages('photos/labels.csv', { size: [32, 32] });
 * x.shape; // [N, 32, 32, 3]
 * ```
 */
export async function loadCsvImages(csvFile: string, options: CsvImagesOptions = {}): Promise<CsvImages> {
  if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object of CsvImagesOptions', options);
  const color = options.color ?? 'auto';
  if (!['grayscale', 'rgb', 'auto'].includes(color)) invalidArgument('color', '"grayscale", "rgb" or "auto"', color);
  if (options.size && !(options.size.length === 2 && options.size.every((d) => Number.isInteger(d) && d > 0))) invalidArgument('size', '[height, width] positive integers', options.size);
  if (options.allowOutsidePaths !== undefined && typeof options.allowOutsidePaths !== 'boolean') invalidArgument('allowOutsidePaths', 'a boolean', options.allowOutsidePaths);
  const table = await readCsv(csvFile);
  const cols = findColumns(table, csvFile, options);
  const dir = options.imageDir ?? path.dirname(csvFile);
  if (table.rows.length === 0) throw new InputDataError(`CSV file ${csvFile} has a header but no data lines`);
  const entries = table.rows.map(({ line, fields }) => {
    const name = fields[cols.file] ?? '';
    const label = fields[cols.label] ?? '';
    if (name === '') throw new InputDataError(`CSV file ${csvFile} line ${line}: the file-name field is empty`);
    if (label === '') throw new InputDataError(`CSV file ${csvFile} line ${line}: no label for ${name}`);
    const file = path.resolve(dir, name);
    const rel = path.relative(path.resolve(dir), file);
    if (!options.allowOutsidePaths && (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel))) {
      throw new InputDataError(`CSV file ${csvFile} line ${line}: the file name ${JSON.stringify(name)} leads outside the image folder ${dir}; pass allowOutsidePaths: true to allow it`);
    }
    return { line, file, label };
  });
  const where = (e: { line: number; file: string }) => `CSV file ${csvFile} line ${e.line}: image ${e.file}`;
  const metas = await readMetas(entries.map((e) => ({ file: e.file, where: where(e) })));
  const [h, w] = options.size ?? chooseImageSize(metas.map((m) => [m.h, m.w]));
  const channels = color === 'grayscale' || (color === 'auto' && metas.every((m) => m.gray)) ? 1 : 3;
  const data = new Uint8Array(entries.length * h * w * channels);
  await mapLimited(entries.map((e, i) => ({ e, i })), DEFAULTS.data.decodeConcurrency, async ({ e, i }) => {
    data.set(await decodeImage(e.file, where(e), channels, [h, w]), i * h * w * channels);
  });
  const numeric = entries.every((e) => e.label.trim() !== '' && Number.isFinite(Number(e.label)));
  return {
    x: { data, shape: [entries.length, h, w, channels] },
    y: entries.map((e) => (numeric ? Number(e.label) : e.label)),
    files: entries.map((e) => e.file),
  };
}

/** Image sizes and colour of `files` from their headers (sharp metadata; no pixel is decoded). */
async function readMetas(files: Array<{ file: string; where: string }>): Promise<Array<{ h: number; w: number; gray: boolean }>> {
  const sharp = await loadSharp();
  return mapLimited(files, DEFAULTS.data.decodeConcurrency, async (e) => {
    try {
      const m = await sharp(e.file).metadata();
      return { h: m.height, w: m.width, gray: (m.channels ?? 3) - (m.hasAlpha ? 1 : 0) === 1 };
    } catch (err) {
      throw new InputDataError(`${e.where} cannot be read: ${(err as Error).message}`);
    }
  });
}

/** uint8 pixels `[h, w, channels]` of one image file, alpha dropped, resized to `size` (`fit: fill`) or kept at its own size. */
async function decodeImage(file: string, where: string, channels: number, size: [number, number] | null): Promise<Uint8Array> {
  const sharp = await loadSharp();
  let img = sharp(file).removeAlpha();
  if (size) img = img.resize(size[1], size[0], { fit: 'fill' });
  img = channels === 1 ? img.grayscale() : img.toColourspace('srgb');
  const { data: raw, info } = await img.raw().toBuffer({ resolveWithObject: true }).catch((err: Error) => {
    throw new InputDataError(`${where} cannot be decoded: ${err.message}`);
  });
  const pixels = channels === 1 || info.channels === 3 ? raw : toRgb(raw, info.channels);
  return new Uint8Array(pixels.buffer, pixels.byteOffset, info.width * info.height * channels);
}

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** `grayscale` (1 channel), `rgb` (3) or `auto` (grayscale when every image is; default). */
  color?: 'grayscale' | 'rgb' | 'auto';
  /**
   * `[height, width]` every image is resized to (default: the median height and width, each capped at
   * `DEFAULTS.data.maxImageSize`), or `'keep'`: each image at its own size, `x` an {@link ImageList}
   * that `fit` resizes (not with `stream`).
   */
  size?: [number, number] | 'keep';
  /**
   * Return a `tf.data.Dataset` of `{xs: [B, H, W, C] int32 pixels, ys: [B] class names}` batches that
   * decodes images as they are read, for folders that do not fit in memory (AutoKeras
   * `image_dataset_from_directory`); `fit` takes it as `x` (in-process). Default false.
   */
  stream?: boolean;
  /** Images per batch of the stream (default `DEFAULTS.data.folderBatchSize`, 32). */
  batchSize?: number;
  /**
   * Seed of the one shuffle of the files (default `DEFAULTS.search.seed`): the stream reads the classes
   * mixed, in the same order every pass (fit holds out its first batches for validation).
   */
  seed?: number;
}

/** Images of a class-per-folder tree in memory (see {@link loadImageFolder}). */
export interface ImageFolderData {
  /** uint8 pixels `[N, H, W, C]`, or with `size: 'keep'` one `{data, shape: [H, W, C]}` per image. */
  x: ShapedArray | ShapedArray[];
  /** The class (sub-folder name) of each image. */
  y: string[];
  /** The class names, sorted. */
  classes: string[];
  /** The file of each image. */
  files: string[];
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;

/**
 * Reads a labelled image folder laid out one sub-folder per class, `dir/<class>/*.png|jpg|jpeg`
 * (AutoKeras 1.x `image_dataset_from_directory`): the class names are the sub-folder names (sorted),
 * images decoded with sharp, alpha dropped, grayscale or RGB, resized to one size (default the median,
 * capped at `DEFAULTS.data.maxImageSize`). Files of other types are skipped. In memory by default
 * (shuffled once with `seed`); with `stream: true`, a `tf.data.Dataset` of batches decoded as read
 * (give `size` and `color` too and no file is opened before the first batch: else every header is read
 * once, to infer them).
 * A missing folder is an ArgumentError; a folder without class sub-folders or images, or an image that
 * cannot be decoded, an InputDataError naming it.
 *
 * @example
 * ```ts
 * const { x, y, classes } = await loadImageFolder('photos');       // photos/cat/1.png, photos/dog/2.jpg, ...
 * await new ImageClassifier().fit(x, y);
 * const stream = await loadImageFolder('big-folder', { stream: true, batchSize: 64, size: [64, 64] });
 * await new ImageClassifier({ executor: 'in-process' }).fit(stream);
 * ```
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions & { stream: true }): Promise<tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>>;
export async function loadImageFolder(dir: string, options?: ImageFolderOptions & { stream?: false }): Promise<ImageFolderData>;
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderData | tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>> {
  if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object of ImageFolderOptions', options);
  const color = options.color ?? 'auto';
  if (!['grayscale', 'rgb', 'auto'].includes(color)) invalidArgument('color', '"grayscale", "rgb" or "auto"', color);
  if (options.size !== undefined && options.size !== 'keep') checkImageSize(options.size, 'size');
  if (options.stream !== undefined && typeof options.stream !== 'boolean') invalidArgument('stream', 'a boolean', options.stream);
  if (options.stream && options.size === 'keep') invalidArgument('size', "one [height, width] for a stream (its batches share one size), not 'keep'", options.size);
  const batchSize = options.batchSize ?? DEFAULTS.data.folderBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) invalidArgument('batchSize', 'a positive integer', options.batchSize);
  const seed = options.seed ?? DEFAULTS.search.seed;
  if (!Number.isFinite(seed)) invalidArgument('seed', 'a finite number', options.seed);
  await checkExistingFolder('dir', dir, 'a folder with one sub-folder of images per class');
  const classes = (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  if (classes.length === 0) throw new InputDataError(`Image folder ${dir} has no class sub-folders: expected ${path.join(dir, '<class>', '<image>.png')}`);
  const entries: Array<{ file: string; label: string }> = [];
  for (const c of classes) {
    const names = (await fs.readdir(path.join(dir, c), { withFileTypes: true })).filter((d) => d.isFile() && IMAGE_FILE.test(d.name)).map((d) => d.name).sort();
    for (const n of names) entries.push({ file: path.join(dir, c, n), label: c });
  }
  if (entries.length === 0) throw new InputDataError(`Image folder ${dir} holds no .png, .jpg or .jpeg image in its class sub-folders (${classes.join(', ')})`);
  entries.splice(0, entries.length, ...new Rng(seed).shuffle(entries));
  const where = (file: string) => `image ${file}`;
  // Every header is read once when the size or the colour is to be inferred (or kept): a large folder
  // streamed with both given is not read ahead at all.
  const needMetas = options.size === undefined || options.size === 'keep' || color === 'auto';
  const metas = needMetas ? await readMetas(entries.map((e) => ({ file: e.file, where: where(e.file) }))) : [];
  const channels = color === 'grayscale' || (color === 'auto' && metas.every((m) => m.gray)) ? 1 : 3;
  const files = entries.map((e) => e.file);
  const y = entries.map((e) => e.label);
  if (options.size === 'keep') {
    const x = await mapLimited(entries.map((e, i) => ({ e, i })), DEFAULTS.data.decodeConcurrency, async ({ e, i }) =>
      ({ data: await decodeImage(e.file, where(e.file), channels, null), shape: [metas[i]!.h, metas[i]!.w, channels] }));
    return { x, y, classes, files };
  }
  const [h, w] = (options.size as [number, number] | undefined) ?? chooseImageSize(metas.map((m) => [m.h, m.w]));
  const per = h * w * channels;
  if (options.stream) {
    return tf.data.generator(async function* () {
      for (let start = 0; start < entries.length; start += batchSize) {
        const part = entries.slice(start, start + batchSize);
        const data = new Uint8Array(part.length * per);
        await mapLimited(part.map((e, i) => ({ e, i })), DEFAULTS.data.decodeConcurrency, async ({ e, i }) => {
          data.set(await decodeImage(e.file, where(e.file), channels, [h, w]), i * per);
        });
        yield { xs: tf.tensor4d(data, [part.length, h, w, channels], 'int32'), ys: tf.tensor1d(part.map((e) => e.label), 'string') };
      }
    } as unknown as () => Iterator<{ xs: tf.Tensor; ys: tf.Tensor }>);
  }
  const data = new Uint8Array(entries.length * per);
  await mapLimited(entries.map((e, i) => ({ e, i })), DEFAULTS.data.decodeConcurrency, async ({ e, i }) => {
    data.set(await decodeImage(e.file, where(e.file), channels, [h, w]), i * per);
  });
  return { x: { data, shape: [entries.length, h, w, channels] }, y, classes, files };
}

/** Expands 1-channel pixels to 3 (sharp keeps single-band input single-band unless told otherwise). */
function toRgb(raw: Buffer, channels: number): Uint8Array {
  const n = raw.length / channels;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) out.fill(raw[i * channels]!, i * 3, i * 3 + 3);
  return out;
}
