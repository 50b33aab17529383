import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, loadData, loadFashionMnistSample, loadIdxPair, parseIdx, readIdx } from '../../src/data';
import { InputDataError } from '../../src/errors';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ak-idx-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('IDX', () => {
  it('round-trips uint8, int32 and float32 arrays, gzipped or not', async () => {
    const u8 = { shape: [2, 2, 3], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) };
    for (const gzip of [false, true]) {
      const file = path.join(dir, `u8-${gzip}`);
      await fs.writeFile(file, encodeIdx(u8, gzip));
      const back = await readIdx(file);
      expect(back.shape).toEqual([2, 2, 3]);
      expect(back.data).toEqual(u8.data);
    }
    const i32 = parseIdx(encodeIdx({ shape: [3], data: Int32Array.of(-5, 0, 70000) }), 'mem');
    expect(Array.from(i32.data)).toEqual([-5, 0, 70000]);
    const f32 = parseIdx(encodeIdx({ shape: [2], data: Float32Array.of(0.5, -1.25) }), 'mem');
    expect(Array.from(f32.data)).toEqual([0.5, -1.25]);
  });

  it('names the file for a wrong magic number, a truncated body or gzip stream, a missing file', async () => {
    const bad = Buffer.from([0x08, 0x03, 0, 0, 0, 0, 0, 1]);
    expect(() => parseIdx(bad, 'images.idx')).toThrow(/IDX file images\.idx has a wrong magic number: expected 00 00 <type> <ndim>, found 08 03 00 00/);
    const full = encodeIdx({ shape: [4, 4], data: new Uint8Array(16) });
    expect(() => parseIdx(full.subarray(0, full.length - 3), 'short.idx')).toThrow(/IDX file short\.idx is truncated: shape \[4, 4\] needs 28 bytes, the file has 25/);
    expect(() => parseIdx(full.subarray(0, 6), 'header.idx')).toThrow(/header\.idx is truncated: its header needs 12 bytes/);
    const gz = gzipSync(full);
    const file = path.join(dir, 'cut.gz');
    await fs.writeFile(file, gz.subarray(0, gz.length - 10));
    await expect(readIdx(file)).rejects.toThrow(InputDataError);
    await expect(readIdx(file)).rejects.toThrow(/cut\.gz is not a valid gzip stream/);
    await expect(readIdx(path.join(dir, 'nope'))).rejects.toThrow(/Cannot read IDX file .*nope/);
    expect(() => parseIdx(Buffer.from([0, 0, 0x42, 1, 0, 0, 0, 0]), 'type.idx')).toThrow(/unknown type code 0x42/);
  });

  it('loads an images + labels pair and checks their lengths', async () => {
    const images = path.join(dir, 'train-images-idx3-ubyte.gz');
    const labels = path.join(dir, 'train-labels-idx1-ubyte.gz');
    await fs.writeFile(images, encodeIdx({ shape: [3, 2, 2], data: new Uint8Array(12) }, true));
    await fs.writeFile(labels, encodeIdx({ shape: [3], data: Uint8Array.of(0, 1, 0) }, true));
    const { x, y } = await loadIdxPair(images, labels);
    expect(x.shape).toEqual([3, 2, 2]);
    expect(Array.from(y)).toEqual([0, 1, 0]);
    const viaPrefix = await loadData(path.join(dir, 'train'));
    expect(viaPrefix.x.shape).toEqual([3, 2, 2]);
    const viaDir = await loadData(dir);
    expect(viaDir.x.shape).toEqual([3, 2, 2]);
    const wrong = path.join(dir, 'labels-2');
    await fs.writeFile(wrong, encodeIdx({ shape: [2], data: Uint8Array.of(0, 1) }));
    await expect(loadIdxPair(images, wrong)).rejects.toThrow(/holds 3 samples, .*labels-2 holds 2/);
  });
});

describe('loadData', () => {
  it('reads plain arrays from JSON and names a path with no data', async () => {
    const file = path.join(dir, 'arrays.json');
    await fs.writeFile(file, JSON.stringify({ x: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], y: ['a', 'b'] }));
    const { x, y } = await loadData(file);
    expect(x.shape).toEqual([2, 2, 2]);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(y).toEqual(['a', 'b']);
    await fs.writeFile(path.join(dir, 'bad.json'), '{"x": 1}');
    await expect(loadData(path.join(dir, 'bad.json'))).rejects.toThrow(/bad\.json must hold \{"x": \[...\], "y": \[...\]\}/);
    await expect(loadData(path.join(dir, 'nothing'))).rejects.toThrow(InputDataError);
  });
});

describe('loadFashionMnistSample', () => {
  it('reads the bundled stratified sample: 3,000 / 1,000 images, 10 balanced classes', async () => {
    const { train, test, classNames } = await loadFashionMnistSample();
    expect(train.x.shape).toEqual([3000, 28, 28]);
    expect(test.x.shape).toEqual([1000, 28, 28]);
    expect(classNames).toHaveLength(10);
    const counts = new Array(10).fill(0);
    for (const c of train.y) counts[c] += 1;
    expect(counts).toEqual(new Array(10).fill(300));
    expect(Math.max(...train.x.data.subarray(0, 784))).toBeGreaterThan(100);
  });
});
