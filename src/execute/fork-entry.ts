import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UnsupportedError } from '../errors';

/** How to start a Node process on one of this folder's entry files. */
export interface ForkEntry {
  /** The file to run (`.js` when built, `.ts` when running from sources). */
  file: string;
  /** Node options: registers `tsx` for a `.ts` file, so that children of a ts-jest or tsx process run the sources. */
  execArgv: string[];
}

/**
 * The file and Node options that start entry `name` (e.g. `'child'`) of `src/execute` in a new
 * process. From the built package (`dist/execute/*.js`) it is the compiled file; from the sources
 * (tests under ts-jest, scripts under tsx) it is the `.ts` file with the `tsx` require hook (a
 * development dependency), since a plain Node child cannot run TypeScript.
 *
 * @example
 * ```ts
 * const { file, execArgv } = forkEntry('child');
 * const child = fork(file, [], { execArgv });
 * ```
 */
export function forkEntry(name: string): ForkEntry {
  const compiled = path.join(__dirname, `${name}.js`);
  if (!__filename.endsWith('.ts') && existsSync(compiled)) return { file: compiled, execArgv: [] };
  const source = path.join(__dirname, `${name}.ts`);
  let hook: string;
  try {
    hook = require.resolve('tsx/cjs');
  } catch {
    throw new UnsupportedError(`Running worker processes from the TypeScript sources needs the tsx package (npm install --save-dev tsx), or build the package first (npm run build) to run ${compiled}`);
  }
  return { file: source, execArgv: ['--require', hook] };
}
