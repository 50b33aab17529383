import { promises as fs } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputDataError } from '../errors';
import type { TypedArray } from './input';

/** An IDX array: its shape and values (Uint8Array for the ubyte type of MNIST files). */
export interface IdxArray {
  shape: number[];
  data: TypedArray;
}

/** IDX type codes (third byte of the magic number): bytes per value, big-endian reader, array type. */
const TYPES: Record<number, { size: number; make: (n: number) => TypedArray; read: (v: DataView, o: number) => number; write: (v: DataView, o: number, x: number) => void }> = {
  0x08: { size: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o), write: (v, o, x) => v.setUint8(o, x) },
  0x09: { size: 1, make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o), write: (v, o, x) => v.setInt8(o, x) },
  0x0b: { size: 2, make: (n) => new Int16Array(n), read: (v, o) => v.getInt16(o), write: (v, o, x) => v.setInt16(o, x) },
  0x0c: { size: 4, make: (n) => new Int32Array(n), read: (v, o) => v.getInt32(o), write: (v, o, x) => v.setInt32(o, x) },
  0x0d: { size: 4, make: (n) => new Float32Array(n), read: (v, o) => v.getFloat32(o), write: (v, o, x) => v.setFloat32(o, x) },
  0x0e: { size: 8, make: (n) => new Float64Array(n), read: (v, o) => v.getFloat64(o), write: (v, o, x) => v.setFloat64(o, x) },
};

const CODE_OF: Record<string, number> = { Uint8Array: 0x08, Int8Array: 0x09, Int16Array: 0x0b, Int32Array: 0x0c, Float32Array: 0x0d, Float64Array: 0x0e };

/**
 * Parses an IDX file (LeCun's MNIST format, also Fashion-MNIST): magic `00 00 <type> <ndim>`, then
 * `ndim` big-endian uint32 extents, then the values big-endian. Gzipped content (magic `1f 8b`) is
 * inflated first. Throws an InputDataError naming `file` for a bad gzip stream, a wrong magic number,
 * an unknown type code or a truncated body.
 *
 * @example
 * ```ts
 * const { shape, data } = parseIdx(await fs.readFile('t10k-images-idx3-ubyte.gz'), 't10k-images'); // [10000, 28, 28]
 * ```
 */
export function parseIdx(content: Uint8Array, file: string): IdxArray {
  let bytes = content;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new InputDataError(`IDX file ${file} is not a valid gzip stream (truncated or corrupt): ${(e as Error).message}`);
    }
  }
  const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw new InputDataError(`IDX file ${file} has a wrong magic number: expected 00 00 <type> <ndim>, found ${hex || 'an empty file'}`);
  const type = TYPES[bytes[2]!];
  if (!type) throw new InputDataError(`IDX file ${file} has an unknown type code 0x${bytes[2]!.toString(16)} in its magic number ${hex}`);
  const ndim = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * ndim;
  if (bytes.length < header) throw new InputDataError(`IDX file ${file} is truncated: its header needs ${header} bytes, the file has ${bytes.length}`);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const need = header + count * type.size;
  if (bytes.length < need) throw new InputDataError(`IDX file ${file} is truncated: shape [${shape.join(', ')}] needs ${need} bytes, the file has ${bytes.length}`);
  const data = type.make(count);
  if (type.size === 1) data.set(bytes.subarray(header, need) as never);
  else for (let i = 0; i < count; i++) data[i] = type.read(view, header + i * type.size);
  return { shape, data };
}

/**
 * Reads and parses an IDX file (gzipped or not); a missing file is an InputDataError naming it.
 *
 * @example
 * ```ts
 * const labels = await readIdx('train-labels-idx1-ubyte.gz'); // { shape: [60000], data: Uint8Array }
 * ```
 */
export async function readIdx(file: string): Promise<IdxArray> {
  let content: Buffer;
  try {
    content = await fs.readFile(file);
  } catch (e) {
    throw new InputDataError(`Cannot read IDX file ${file}: ${(e as Error).message}`);
  }
  return parseIdx(content, file);
}

/**
 * Encodes an array as IDX bytes (gzipped when `gzip`), the inverse of {@link parseIdx}.
 *
 * @example
 * ```ts
 * await fs.writeFile('labels-idx1-ubyte.gz', encodeIdx({ shape: [3], data: Uint8Array.of(1, 2, 3) }, true));
 * ```
 */
export function encodeIdx(array: IdxArray, gzip = false): Buffer {
  const code = CODE_OF[array.data.constructor.name];
  if (code === undefined) throw new InputDataError(`IDX cannot store ${array.data.constructor.name}; use Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array`);
  const type = TYPES[code]!;
  const header = 4 + 4 * array.shape.length;
  const out = Buffer.alloc(header + array.data.length * type.size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.set([0, 0, code, array.shape.length]);
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < array.data.length; i++) type.write(view, header + i * type.size, array.data[i]!);
  return gzip ? gzipSync(out, { level: 9 }) : out;
}

/**
 * Reads an images file and a labels file of one IDX data set (e.g. `train-images-idx3-ubyte.gz` and
 * `train-labels-idx1-ubyte.gz`) and checks that they hold the same number of samples.
 *
 * @example
 * ```ts
 * const { x, y } = await loadIdxPair('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz');
 * x.shape; // [60000, 28, 28]
 * ```
 */
export async function loadIdxPair(imagesFile: string, labelsFile: string): Promise<{ x: IdxArray; y: TypedArray }> {
  // Both files are read at once, but a failure is reported in a fixed order (images first), not
  // whichever read happened to fail first.
  const [xs, ys] = await Promise.allSettled([readIdx(imagesFile), readIdx(labelsFile)]);
  if (xs.status === 'rejected') throw xs.reason;
  if (ys.status === 'rejected') throw ys.reason;
  const x = xs.value;
  const y = ys.value;
  if (y.shape.length !== 1) throw new InputDataError(`IDX labels file ${labelsFile} must hold a vector [N]; found shape [${y.shape.join(', ')}]`);
  if (x.shape[0] !== y.shape[0]) throw new InputDataError(`IDX files disagree: ${imagesFile} holds ${x.shape[0]} samples, ${labelsFile} holds ${y.shape[0]}`);
  return { x, y: y.data };
}
