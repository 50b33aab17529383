import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../src/persist';
import { SearchError } from '../../src/errors';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ak-atomic-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes text and bytes, replaces old content and leaves no temporary file', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, '{"v":1}');
    await writeFileAtomic(file, '{"v":2}');
    await writeFileAtomic(path.join(dir, 'b.bin'), Uint8Array.of(1, 2, 3));
    expect(await fs.readFile(file, 'utf8')).toBe('{"v":2}');
    expect(Array.from(await fs.readFile(path.join(dir, 'b.bin')))).toEqual([1, 2, 3]);
    expect((await fs.readdir(dir)).sort()).toEqual(['a.json', 'b.bin']);
  });

  it('keeps the old content and removes the temporary file when the write fails', async () => {
    const file = path.join(dir, 'keep.json');
    await writeFileAtomic(file, 'old');
    // A target that is a non-empty directory makes the final rename fail after the temp file was written.
    const blocked = path.join(dir, 'blocked');
    await fs.mkdir(blocked);
    await fs.writeFile(path.join(blocked, 'x'), '');
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    // Invalid data fails while writing.
    await expect(writeFileAtomic(file, 42 as never)).rejects.toThrow();
    expect(await fs.readFile(file, 'utf8')).toBe('old');
    expect((await fs.readdir(dir)).sort()).toEqual(['blocked', 'keep.json']);
  });

  it('readJsonFile names a corrupt or missing file in a SearchError', async () => {
    const file = path.join(dir, 'history.json');
    await fs.writeFile(file, '{"trials": [');
    await expect(readJsonFile(file)).rejects.toThrow(SearchError);
    await expect(readJsonFile(file)).rejects.toThrow(/history\.json is corrupt: not valid JSON/);
    await expect(readJsonFile(path.join(dir, 'none.json'))).rejects.toThrow(/Cannot read .*none\.json: ENOENT/);
  });
});
