import * as tf from '@tensorflow/tfjs';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AutoKerasError } from '../../src/errors';

/** One row of an error table: the call, the error class, a fragment of its message. */
export interface ErrorCase {
  name: string;
  call: () => unknown;
  error: new (...args: never[]) => AutoKerasError;
  message: RegExp | string;
}

/** Every file and folder under `root` with its size (what "nothing written to disk" compares). */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try { names = readdirSync(dir); } catch { return; }
    for (const n of names.sort()) {
      const p = path.join(dir, n);
      const s = statSync(p);
      out.push(`${path.relative(root, p)}:${s.isDirectory() ? 'dir' : s.size}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

/**
 * Runs a case: the call must reject (or throw) with the class and message fragment, leave
 * `tf.memory().numTensors` unchanged, and write nothing under `root` (when given).
 */
export async function expectTypedError(c: ErrorCase, root?: string): Promise<void> {
  const tensors = tf.memory().numTensors;
  const files = root ? listTree(root) : [];
  let caught: unknown;
  try {
    await c.call();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(c.error);
  expect(caught).toBeInstanceOf(AutoKerasError);
  expect((caught as Error).message).toMatch(c.message);
  expect(tf.memory().numTensors).toBe(tensors);
  if (root) expect(listTree(root)).toEqual(files);
}
