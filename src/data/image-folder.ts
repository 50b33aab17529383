import * as path from 'node:path';
import type SharpFn from 'sharp';
import { InputDataError, UnsupportedError, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { Label } from './labels';
import { findColumns, readCsv } from './csv';

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
  /** Common `[height, width]` (default: the median height and width of the images). */
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

const median = (v: number[]): number => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

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
  const sharp = await loadSharp();
  const where = (e: { line: number; file: string }) => `CSV file ${csvFile} line ${e.line}: image ${e.file}`;
  const metas = await mapLimited(entries, DEFAULTS.data.decodeConcurrency, async (e) => {
    try {
      const m = await sharp(e.file).metadata();
      return { h: m.height, w: m.width, gray: (m.channels ?? 3) - (m.hasAlpha ? 1 : 0) === 1 };
    } catch (err) {
      throw new InputDataError(`${where(e)} cannot be read: ${(err as Error).message}`);
    }
  });
  const [h, w] = options.size ?? [median(metas.map((m) => m.h)), median(metas.map((m) => m.w))];
  const channels = color === 'grayscale' || (color === 'auto' && metas.every((m) => m.gray)) ? 1 : 3;
  const data = new Uint8Array(entries.length * h * w * channels);
  await mapLimited(entries.map((e, i) => ({ e, i })), DEFAULTS.data.decodeConcurrency, async ({ e, i }) => {
    let img = sharp(e.file).removeAlpha().resize(w, h, { fit: 'fill' });
    img = channels === 1 ? img.grayscale() : img.toColourspace('srgb');
    const { data: raw, info } = await img.raw().toBuffer({ resolveWithObject: true }).catch((err: Error) => {
      throw new InputDataError(`${where(e)} cannot be decoded: ${err.message}`);
    });
    const pixels = channels === 1 || info.channels === 3 ? raw : toRgb(raw, info.channels);
    data.set(pixels.subarray(0, h * w * channels), i * h * w * channels);
  });
  const numeric = entries.every((e) => e.label.trim() !== '' && Number.isFinite(Number(e.label)));
  return {
    x: { data, shape: [entries.length, h, w, channels] },
    y: entries.map((e) => (numeric ? Number(e.label) : e.label)),
    files: entries.map((e) => e.file),
  };
}

/** Expands 1-channel pixels to 3 (sharp keeps single-band input single-band unless told otherwise). */
function toRgb(raw: Buffer, channels: number): Uint8Array {
  const n = raw.length / channels;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) out.fill(raw[i * channels]!, i * 3, i * 3 + 3);
  return out;
}
