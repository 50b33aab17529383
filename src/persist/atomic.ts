import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SearchError } from '../errors';
import { DEFAULTS } from '../options';

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

/** The pid in the name of a temporary file written by {@link writeFileAtomic}, or null for other names. */
export function tempFilePid(name: string): number | null {
  const m = /^\..+\.(\d+)\.\d+\.tmp$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Whether a process with this pid runs (EPERM: it does, under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files {@link writeFileAtomic} left in `dir` when its process was killed
 * between writing and renaming: those whose pid no longer runs, and those older than `maxAgeSeconds`
 * (default `DEFAULTS.persist.staleTempSeconds`; a pid may have been reused). A live process's recent
 * files, and every other file, stay. A missing folder is no error. Returns the paths removed.
 *
 * @example
 * ```ts
 * await removeStaleTempFiles('ak-run'); // ['ak-run/.history.json.4242.7.tmp']
 * ```
 */
export async function removeStaleTempFiles(dir: string, maxAgeSeconds: number = DEFAULTS.persist.staleTempSeconds): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempFilePid(name);
    if (pid === null) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) continue;
    const old = Date.now() - stat.mtimeMs > maxAgeSeconds * 1000;
    if (!old && (pid === process.pid || processAlive(pid))) continue;
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  return removed;
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
