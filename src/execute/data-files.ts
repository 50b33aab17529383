import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { corrupt, readJsonFile, toJsonText, writeFileAtomic } from '../persist/atomic';
import type { TrainData } from '../train/types';
import type { DataRef } from './types';

/** `data/data.json`: the shape of each tensor saved beside it as raw float32 `<name>.bin`. */
interface DataManifest {
  format: 'autokeras-ts/data';
  version: 1;
  /** Written anew by each search, so that a cached copy of an older search's data is not reused. */
  createdAt: string;
  tensors: Record<string, number[]>;
}

const NAMES = ['x', 'y', 'xVal', 'yVal'] as const;

/**
 * The manifest file of the prepared data of search directory `directory`.
 *
 * @example
 * ```ts
 * dataManifestFile('./ak-run'); // 'ak-run/data/data.json'
 * ```
 */
export function dataManifestFile(directory: string): string {
  return path.join(directory, 'data', 'data.json');
}

/**
 * Writes the prepared training and validation tensors once into `<directory>/data/` (raw float32,
 * little-endian, one `.bin` per tensor, each written atomically, the manifest `data.json` last), so
 * that workers on any machine that sees the directory load the same data.
 *
 * @example
 * ```ts
 * const ref = await writePreparedData('./ak-run', { x, y, xVal, yVal }); // { directory: './ak-run' }
 * ```
 */
export async function writePreparedData(directory: string, data: TrainData): Promise<DataRef> {
  const dir = path.join(directory, 'data');
  await fs.mkdir(dir, { recursive: true });
  const tensors: Record<string, number[]> = {};
  for (const name of NAMES) {
    const t = data[name];
    if (!t) continue;
    const values = (await t.data()) as Float32Array;
    const f32 = values instanceof Float32Array ? values : Float32Array.from(values);
    await writeFileAtomic(path.join(dir, `${name}.bin`), new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength));
    tensors[name] = t.shape.slice();
  }
  const manifest: DataManifest = { format: 'autokeras-ts/data', version: 1, createdAt: new Date().toISOString(), tensors };
  await writeFileAtomic(dataManifestFile(directory), toJsonText(manifest));
  return { directory };
}

const cache = new Map<string, { createdAt: string; data: TrainData }>();

/**
 * The prepared data of a {@link DataRef}, loaded once per process and kept (a worker trains many trials
 * on the same data); a newer `data.json` (a new search in the same folder) replaces the cached copy.
 * The tensors belong to the cache: callers must not dispose them (see {@link clearDataCache}).
 *
 * @example
 * ```ts
 * const data = await loadPreparedData({ directory: '/shared/ak-run' });
 * ```
 */
export async function loadPreparedData(ref: DataRef): Promise<TrainData> {
  const file = dataManifestFile(ref.directory);
  const doc = (await readJsonFile(file)) as Partial<DataManifest>;
  if (!doc || doc.format !== 'autokeras-ts/data' || typeof doc.tensors !== 'object' || doc.tensors === null) throw corrupt(file, 'it is not an "autokeras-ts/data" manifest');
  const key = path.resolve(file);
  const hit = cache.get(key);
  if (hit && hit.createdAt === doc.createdAt) return hit.data;
  if (hit) disposeData(hit.data);
  const data: Partial<TrainData> = {};
  for (const [name, shape] of Object.entries(doc.tensors)) {
    if (!(NAMES as readonly string[]).includes(name)) throw corrupt(file, `it names an unknown tensor ${JSON.stringify(name)}`);
    const bin = path.join(ref.directory, 'data', `${name}.bin`);
    const bytes = await fs.readFile(bin).catch((e: NodeJS.ErrnoException) => { throw corrupt(bin, `it cannot be read (${e.code ?? e.message})`); });
    const size = shape.reduce((a, b) => a * b, 1);
    if (bytes.byteLength !== size * 4) throw corrupt(bin, `it holds ${bytes.byteLength} bytes, shape [${shape.join(', ')}] needs ${size * 4}`);
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(bytes);
    (data as Record<string, tf.Tensor>)[name] = tf.tensor(values, shape, 'float32');
  }
  if (!data.x || !data.y) throw corrupt(file, 'it lacks the training tensors x and y');
  cache.set(key, { createdAt: String(doc.createdAt), data: data as TrainData });
  return data as TrainData;
}

/**
 * Disposes every cached data set (a worker calls it when it stops).
 *
 * @example
 * ```ts
 * clearDataCache();
 * ```
 */
export function clearDataCache(): void {
  for (const { data } of cache.values()) disposeData(data);
  cache.clear();
}

function disposeData(data: TrainData): void {
  for (const name of NAMES) data[name]?.dispose();
}
