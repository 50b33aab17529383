import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// sharp is a native library only image files need: importing the package must not load it, and the
// first image read must. Each case gets a fresh module registry with a sharp that records its loading.
describe('sharp loads lazily', () => {
  let loads: number;

  beforeEach(() => {
    loads = 0;
    jest.resetModules();
    jest.doMock('sharp', () => {
      loads++;
      return () => {
        throw new Error('fake sharp cannot decode');
      };
    });
  });
  afterEach(() => {
    jest.dontMock('sharp');
  });

  it('is not loaded by the root index nor by the internals entry', () => {
    jest.isolateModules(() => {
      require('../../src/index');
      require('../../src/internals');
    });
    expect(loads).toBe(0);
  });

  it('is loaded by the first image read (the check above can fail)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ak-lazy-sharp-'));
    try {
      const csv = path.join(dir, 'labels.csv');
      await fs.writeFile(csv, 'file,label\na.png,cat\n');
      let read: Promise<unknown> = Promise.resolve();
      jest.isolateModules(() => {
        const { loadCsvImages } = require('../../src/data/image-folder') as typeof import('../../src/data/image-folder');
        read = loadCsvImages(csv);
      });
      await expect(read).rejects.toThrow(/cannot be read: fake sharp cannot decode/);
      expect(loads).toBe(1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
