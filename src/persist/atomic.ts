import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SearchError } from '../errors';

let counter = 0;

/**
 * Writes a file atomically: the data go to a temporary file in the same folder (so the rename stays
 * on one file system), which is flushed to disk (`fsync`) and then renamed over `file`. Readers see
 * the old content or the new, never a mix; if anything fails the temporary file is removed and the
 * old content is left intact. The folder is fsynced after the rename where the platform allows it.
 *
 * @example
 * ```ts
 * await writeFileAtomic('run/history.json', JSON.stringify(history));
 * ```
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++counter}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/** fsyncs a folder so a rename in it is durable (not supported on every platform: errors are ignored). */
async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * JSON.stringify with NaN and infinities written as null (JSON has no NaN), indented.
 *
 * @example
 * ```ts
 * toJsonText({ metric: NaN }); // '{\n  "metric": null\n}\n'
 * ```
 */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * Reads and parses a JSON file of a search directory; a missing or unparsable file is a SearchError
 * naming it (a corrupt directory is reported, never silently reset).
 *
 * @example
 * ```ts
 * const doc = await readJsonFile('ak-run/meta.json'); // SearchError if missing or corrupt
 * ```
 */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new SearchError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. The search directory is incomplete; it was not reset (pass overwrite: true to start a new search).`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw corrupt(file, `not valid JSON (${(e as Error).message})`);
  }
}

/**
 * The SearchError for a corrupt search-directory file.
 *
 * @example
 * ```ts
 * throw corrupt('ak-run/history.json', '`trials` is not an array');
 * ```
 */
export function corrupt(file: string, why: string): SearchError {
  return new SearchError(`The search directory file ${file} is corrupt: ${why}. It was not reset; repair or remove it, or pass overwrite: true to start a new search.`);
}
