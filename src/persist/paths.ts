import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ArgumentError, invalidArgument, invalidValueMessage } from '../errors';
import { DEFAULTS } from '../options';

/**
 * Checks the text of a path argument without touching the disk: a non-empty string, no NUL byte, no
 * component longer than `DEFAULTS.persist.maxNameBytes` bytes and at most `DEFAULTS.persist.maxPathBytes`
 * bytes once resolved. Throws an {@link ArgumentError} naming the argument.
 *
 * @example
 * ```ts
 * checkPathText('directory', './ak-run');      // ok
 * checkPathText('directory', 'a\0b');          // ArgumentError: ... a path without NUL bytes ...
 * ```
 */
export function checkPathText(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) invalidArgument(name, 'a non-empty path string', value);
  if (value.includes('\0')) invalidArgument(name, 'a path without NUL bytes', value);
  const { maxNameBytes, maxPathBytes } = DEFAULTS.persist;
  const long = path.resolve(value).split(path.sep).find((part) => Buffer.byteLength(part) > maxNameBytes);
  if (long !== undefined) invalidArgument(name, `a path whose every folder or file name has at most ${maxNameBytes} bytes (one has ${Buffer.byteLength(long)})`, value);
  const bytes = Buffer.byteLength(path.resolve(value));
  if (bytes > maxPathBytes) invalidArgument(name, `a path of at most ${maxPathBytes} bytes once resolved (this one has ${bytes})`, value);
}

/** `fs.stat` that returns null for a path that does not exist; other failures (EACCES, ELOOP, ...) are ArgumentErrors naming `name`. */
async function statOrNull(p: string, name: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fs.stat(p);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return null;
    if (err.code === 'ENOTDIR') return null; // a parent is a file: reported by the caller's walk up
    throw new ArgumentError(`${invalidValueMessage(name, 'a path this process can use', p)} (${err.code ?? err.message})`);
  }
}

/**
 * Checks, before anything is written, that `dir` can be (or already is) a folder: its text (see
 * {@link checkPathText}), that it is not an existing file, and that its nearest existing ancestor is a
 * folder (not a file). Nothing is created. Returns whether the folder exists already.
 *
 * @example
 * ```ts
 * await checkFolderTarget('directory', './ak-run'); // false when ./ak-run does not exist yet
 * ```
 */
export async function checkFolderTarget(name: string, dir: unknown): Promise<boolean> {
  checkPathText(name, dir);
  const stat = await statOrNull(dir, name);
  if (stat) {
    if (!stat.isDirectory()) throw new ArgumentError(invalidValueMessage(name, 'a folder (or a path where one can be created)', dir) + ' (it is an existing file)');
    return true;
  }
  await checkAncestors(name, dir, 'a folder (or a path where one can be created)');
  return false;
}

/** The nearest existing ancestor of `target` must be a folder, else an ArgumentError. */
async function checkAncestors(name: string, target: string, expected: string): Promise<void> {
  for (let p = path.dirname(path.resolve(target)); ; p = path.dirname(p)) {
    const s = await statOrNull(p, name);
    if (s) {
      if (!s.isDirectory()) throw new ArgumentError(invalidValueMessage(name, expected, target) + ` (${p} is a file, so nothing can be created under it)`);
      return;
    }
    if (path.dirname(p) === p) return;
  }
}

/**
 * Checks, before anything is written, that `file` can be written: a valid path (see
 * {@link checkPathText}), not an existing folder, and not under a file. Nothing is created.
 *
 * @example
 * ```ts
 * await checkFileTarget('outFile', './ak-run/report.html');
 * ```
 */
export async function checkFileTarget(name: string, file: unknown): Promise<void> {
  checkPathText(name, file);
  const stat = await statOrNull(file, name);
  if (stat?.isDirectory()) throw new ArgumentError(`${invalidValueMessage(name, 'a file path', file)} (it is an existing folder)`);
  if (!stat) await checkAncestors(name, file, 'a file path');
}

/**
 * Checks that `dir` is an existing folder (for reading: `load`, `report`), with an {@link ArgumentError}
 * that says plainly when it does not exist or is a file.
 *
 * @example
 * ```ts
 * await checkExistingFolder('directory', './ak-run'); // ArgumentError "... the folder does not exist" if missing
 * ```
 */
export async function checkExistingFolder(name: string, dir: unknown, what = 'an existing folder'): Promise<void> {
  checkPathText(name, dir);
  const stat = await statOrNull(dir, name);
  if (!stat) throw new ArgumentError(`${invalidValueMessage(name, what, dir)} (the folder does not exist: ${path.resolve(dir)})`);
  if (!stat.isDirectory()) throw new ArgumentError(`${invalidValueMessage(name, what, dir)} (it is a file, not a folder)`);
}
