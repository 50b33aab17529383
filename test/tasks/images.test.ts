import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { chooseImageSize, isImageList, loadImageFolder } from '../../src/data';
import type { ResizeEvent } from '../../src/data';
import { ArgumentError, InputDataError } from '../../src/errors';
import { DEFAULTS } from '../../src/options';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions } from '../../src/tasks';
import { Rng } from '../../src/util/rng';
import { tinyCnn } from './fixtures';

// Issue 22 item 3: images of mixed sizes in fit (median size, capped), resized in predict, the class-per-folder loader.

const base: AutoModelOptions = { seed: 3, backend: 'cpu', maxTrials: 1, epochsPerTrial: 2, augment: false, generators: [tinyCnn], executor: 'in-process' };

/** A `h x w` grayscale image of class 0 (bright top half) or 1 (bright left half), as uint8 data. */
function image(c: number, h: number, w: number, rng: Rng): Uint8Array {
  const data = new Uint8Array(h * w);
  for (let r = 0; r < h; r++) for (let k = 0; k < w; k++) data[r * w + k] = ((c === 0 ? r < h / 2 : k < w / 2) ? 200 : 30) + rng.int(20);
  return data;
}
const SIZES: Array<[number, number]> = [[8, 8], [10, 10], [12, 8], [8, 10]];

let root: string;
let folder: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-images-'));
  folder = path.join(root, 'folder');
  const rng = new Rng(5);
  for (const [c, name] of [[0, 'top'], [1, 'left']] as const) {
    await fs.mkdir(path.join(folder, name), { recursive: true });
    for (let i = 0; i < 20; i++) {
      const [h, w] = SIZES[i % SIZES.length]!;
      const img = sharp(Buffer.from(image(c, h, w, rng)), { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w');
      await (i % 5 === 0 ? img.jpeg({ quality: 95 }).toFile(path.join(folder, name, `${i}.jpg`)) : img.png().toFile(path.join(folder, name, `${i}.png`)));
    }
    await fs.writeFile(path.join(folder, name, 'notes.txt'), 'not an image');
  }
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('image sizes', () => {
  it('chooseImageSize: the median height and width, capped at DEFAULTS.data.maxImageSize', () => {
    expect(chooseImageSize([[28, 28], [32, 30], [300, 200]])).toEqual([32, 30]);
    expect(chooseImageSize([[300, 400], [500, 200], [600, 600]])).toEqual([...DEFAULTS.data.maxImageSize]);
    expect(isImageList([tf.zeros([2, 2]), { data: [1, 2], shape: [1, 2] }])).toBe(true);
    expect(isImageList([[[1, 2]], [[3, 4]]])).toBe(false); // a rectangular batch [2, 1, 2]
    expect(isImageList([[[1, 2]], [[3], [4]]])).toBe(true); // ragged: two images [1, 2] and [2, 1]
  });

  it('fit on a list of mixed sizes resizes to the median and reports it; predict resizes other sizes with an event; the export takes the chosen size; no leaks', async () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(1);
    const x = Array.from({ length: 40 }, (_, i) => { const [h, w] = SIZES[i % 4]!; return { data: image(i % 2, h, w, rng), shape: [h, w] }; });
    const y = x.map((_, i) => (i % 2 === 0 ? 'top' : 'left'));
    const events: ResizeEvent[] = [];
    const clf = new ImageClassifier(base);
    clf.on('resized', (e) => events.push(e));
    await clf.fit(x, y, { timeLimit: 60 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: 'x', count: 30, to: [10, 10] }); // median of 8, 10, 12, 8 / 8, 10, 8, 10
    const odd = [{ data: image(0, 16, 16, rng), shape: [16, 16] }, { data: image(1, 10, 10, rng), shape: [10, 10] }];
    expect(await clf.predict(odd)).toHaveLength(2);
    expect(events[1]).toMatchObject({ name: 'x', count: 1, from: [[16, 16]], to: [10, 10] });
    const batch = tf.zeros([3, 20, 20]);
    expect(await clf.predictProba(batch)).toHaveLength(3);
    expect(events[2]).toMatchObject({ count: 3, from: [[20, 20]], to: [10, 10] });
    batch.dispose();
    const model = await clf.exportModel();
    expect(model.inputs[0]!.shape).toEqual([null, 10, 10]);
    model.dispose();
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imageSize sets the size; resize: false makes other sizes an InputDataError in fit and predict', async () => {
    const rng = new Rng(2);
    const x = Array.from({ length: 24 }, (_, i) => ({ data: image(i % 2, 8 + (i % 3), 8, rng), shape: [8 + (i % 3), 8] }));
    const y = x.map((_, i) => i % 2);
    const sized = await new ImageClassifier({ ...base, imageSize: [6, 7] }).fit(x, y, { timeLimit: 60 });
    const model = await sized.exportModel();
    expect(model.inputs[0]!.shape).toEqual([null, 6, 7]);
    model.dispose();
    sized.dispose();
    await expect(new ImageClassifier({ ...base, resize: false }).fit(x, y, { timeLimit: 60 })).rejects.toThrow(InputDataError);
    await expect(new ImageClassifier({ ...base, resize: false }).fit(x, y, { timeLimit: 60 })).rejects.toThrow(/resizing is off \(resize: false\)/);
    const strict = await new ImageClassifier({ ...base, resize: false }).fit(x.filter((im) => im.shape[0] === 8), y.filter((_, i) => i % 3 === 0), { timeLimit: 60 });
    await expect(strict.predict(tf.zeros([1, 9, 8]) as never)).rejects.toThrow(InputDataError);
    await expect(strict.predict(tf.zeros([1, 9, 8]) as never)).rejects.toThrow(/the shape seen in fit/);
    expect(await strict.predict(tf.zeros([1, 8, 8]) as never)).toHaveLength(1);
    strict.dispose();
    expect(() => new ImageClassifier({ imageSize: [0, 3] as never })).toThrow(ArgumentError);
    expect(() => new ImageClassifier({ resize: 'yes' as never })).toThrow(/`resize`, expected a boolean/);
  });
});

describe('loadImageFolder', () => {
  it('reads dir/<class>/*.png|jpg: class names from the sub-folders, one size (the median), shuffled once by seed', async () => {
    const data = await loadImageFolder(folder);
    expect(data.classes).toEqual(['left', 'top']);
    expect(data.y).toHaveLength(40);
    expect(new Set(data.y.slice(0, 10)).size).toBe(2); // mixed, not class by class
    expect((data.x as { shape: number[] }).shape).toEqual([40, 10, 10, 1]);
    expect(data.files.every((f) => /\.(png|jpg)$/.test(f))).toBe(true);
    expect((await loadImageFolder(folder)).files).toEqual(data.files);
    const kept = await loadImageFolder(folder, { size: 'keep', color: 'rgb' });
    const shapes = (kept.x as Array<{ shape: number[] }>).map((im) => im.shape.join('x'));
    expect(new Set(shapes)).toEqual(new Set(['8x8x3', '10x10x3', '12x8x3', '8x10x3']));
    await expect(loadImageFolder(path.join(root, 'missing'))).rejects.toThrow(ArgumentError);
    await fs.mkdir(path.join(root, 'empty', 'cls'), { recursive: true });
    await expect(loadImageFolder(path.join(root, 'empty'))).rejects.toThrow(/holds no \.png, \.jpg or \.jpeg image/);
    await expect(loadImageFolder(folder, { stream: true, size: 'keep' } as never)).rejects.toThrow(ArgumentError);
  });

  it('fit on the folder in memory (one size) and on images kept at their own sizes', async () => {
    const data = await loadImageFolder(folder);
    const clf = await new ImageClassifier(base).fit(data.x, data.y, { timeLimit: 60 });
    expect(await clf.evaluate(data.x, data.y)).toBeGreaterThan(0.5);
    clf.dispose();
    const kept = await loadImageFolder(folder, { size: 'keep' });
    const clf2 = await new ImageClassifier(base).fit(kept.x as never, kept.y, { timeLimit: 60 });
    expect(await clf2.predict(kept.x as never)).toHaveLength(40);
    clf2.dispose();
  });

  it('stream: true gives a tf.data.Dataset of {xs, ys} batches decoded as read, which fit takes; no leaks', async () => {
    const before = tf.memory().numTensors;
    const ds = await loadImageFolder(folder, { stream: true, batchSize: 8, size: [8, 8], color: 'grayscale' });
    const first = await (await ds.iterator()).next();
    expect(first.value.xs.shape).toEqual([8, 8, 8, 1]);
    expect(first.value.ys.dtype).toBe('string');
    tf.dispose(first.value);
    const clf = await new ImageClassifier(base).fit(ds, undefined, { timeLimit: 60 });
    expect(clf.classes).toEqual(['left', 'top']);
    const inMemory = await loadImageFolder(folder, { size: [8, 8] });
    expect(await clf.predict(inMemory.x)).toHaveLength(40);
    clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
