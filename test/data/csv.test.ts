import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { loadCsvImages, loadData, parseCsv } from '../../src/data';
import { InputDataError } from '../../src/errors';

let dir: string;

/** A w x h image, every pixel `value` in each channel. */
async function png(file: string, w: number, h: number, channels: 1 | 3, value: number): Promise<void> {
  const img = sharp(Buffer.alloc(w * h * channels, value), { raw: { width: w, height: h, channels } });
  // sharp writes single-band raw input as an RGB PNG unless told the colour space.
  await (channels === 1 ? img.toColourspace('b-w') : img).png().toFile(path.join(dir, file));
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ak-csv-'));
  await png('a.png', 4, 4, 1, 10);
  await png('b.png', 4, 4, 1, 200);
  await png('c.png', 8, 6, 1, 90);
  await png('rgb.png', 4, 4, 3, 50);
  await sharp(Buffer.alloc(4 * 4 * 3, 120), { raw: { width: 4, height: 4, channels: 3 } }).jpeg().toFile(path.join(dir, 'd.jpg'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('parseCsv', () => {
  it('handles quotes, CRLF and blank lines, with line numbers', () => {
    const t = parseCsv('File Name,Label\r\n"a, b.png",cat\r\n\r\nc.png,"say ""hi"""\n', 'x.csv');
    expect(t.header).toEqual(['File Name', 'Label']);
    expect(t.rows).toEqual([{ line: 2, fields: ['a, b.png', 'cat'] }, { line: 4, fields: ['c.png', 'say "hi"'] }]);
  });
});

describe('loadCsvImages', () => {
  it('decodes grayscale PNGs resized to the median shape, with string labels', async () => {
    const csv = path.join(dir, 'labels.csv');
    await fs.writeFile(csv, 'file,label\na.png,dark\nb.png,light\nc.png,dark\n');
    const { x, y, files } = await loadCsvImages(csv);
    expect(x.shape).toEqual([3, 4, 4, 1]);
    expect(y).toEqual(['dark', 'light', 'dark']);
    expect(files[1]).toBe(path.join(dir, 'b.png'));
    expect(x.data[0]).toBe(10);
    expect(x.data[16]).toBe(200);
    expect(x.data[32]).toBe(90);
  });

  it('decodes RGB when any image is colour, numeric labels, fixed size, JPEG', async () => {
    const csv = path.join(dir, 'rgb.csv');
    await fs.writeFile(csv, 'image,class\nrgb.png,1\nd.jpg,0\na.png,1\n');
    const { x, y } = await loadCsvImages(csv, { size: [2, 3] });
    expect(x.shape).toEqual([3, 2, 3, 3]);
    expect(y).toEqual([1, 0, 1]);
    expect(x.data[0]).toBe(50);
    expect(Math.abs(x.data[18]! - 120)).toBeLessThanOrEqual(2);
    expect(x.data[36]).toBe(10);
    expect((await loadData(csv, { size: [2, 2] })).x.shape).toEqual([3, 2, 2, 3]);
  });

  it('names the file and line of a missing image, a missing label and a missing label column', async () => {
    const missing = path.join(dir, 'missing.csv');
    await fs.writeFile(missing, 'file,label\na.png,x\nghost.png,y\n');
    await expect(loadCsvImages(missing)).rejects.toThrow(InputDataError);
    await expect(loadCsvImages(missing)).rejects.toThrow(/missing\.csv line 3: image .*ghost\.png cannot be read/);
    const noLabel = path.join(dir, 'nolabel.csv');
    await fs.writeFile(noLabel, 'file\na.png\n');
    await expect(loadCsvImages(noLabel)).rejects.toThrow(/nolabel\.csv line 1: no label column/);
    const empty = path.join(dir, 'empty-label.csv');
    await fs.writeFile(empty, 'file,label\na.png,x\nb.png,\n');
    await expect(loadCsvImages(empty)).rejects.toThrow(/empty-label\.csv line 3: no label for b\.png/);
    await expect(loadCsvImages(missing, { labelColumn: 'species' })).rejects.toThrow(/line 1: no label column named "species"/);
  });
});
