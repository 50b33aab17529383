import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Graph } from '../graph/graph';
import { graphFromJSON, graphToJSON } from '../graph/json';
import type { GraphJSON } from '../graph/json';
import { corrupt, readJsonFile, toJsonText, writeFileAtomic } from '../persist/atomic';
import type { WeightEntry } from '../persist/weights';
import { packWeights, unpackWeights } from '../persist/weights';
import type { TrialOutcome } from '../search/trial';
import type { TrialSpec, WorkerResult } from './types';

/**
 * Outcome files, the hand-over between workers and the chief (they are not part of the history):
 * `<directory>/outcomes/<id>/spec.json` (the chief, when it dispatches the trial), `graph.json` +
 * `weights.bin` (the worker, the trained graph) and `result.json` (the worker, last: its presence
 * means the trial finished). The chief records the trial in `trials/<id>/` and `history.json`, then
 * removes the folder; a chief that was down finds finished trials here when it resumes.
 *
 * @example
 * ```ts
 * outcomeDir('./ak-run', 3); // 'ak-run/outcomes/3'
 * ```
 */
export function outcomeDir(directory: string, trialId: number): string {
  return path.join(directory, 'outcomes', String(trialId));
}

/**
 * Writes the spec of a dispatched trial (the chief).
 *
 * @example
 * ```ts
 * await writeSpec(spec);
 * ```
 */
export async function writeSpec(spec: TrialSpec): Promise<void> {
  const dir = outcomeDir(spec.directory, spec.trialId);
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomic(path.join(dir, 'spec.json'), toJsonText(spec));
}

/**
 * Writes a finished trial's outcome (the worker): the trained graph when there is one, then `result.json`.
 *
 * @example
 * ```ts
 * const result = await writeOutcome(spec, outcome); // a WorkerResult, JSON-safe
 * ```
 */
export async function writeOutcome(spec: TrialSpec, outcome: TrialOutcome): Promise<WorkerResult> {
  const dir = outcomeDir(spec.directory, spec.trialId);
  await fs.mkdir(dir, { recursive: true });
  const trained = outcome.status === 'ok' && outcome.graph?.hasWeights() ? outcome.graph : null;
  if (trained) {
    const packed = packWeights(trained);
    await writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(packed.data.buffer));
    await writeFileAtomic(path.join(dir, 'graph.json'), toJsonText({ graph: graphToJSON(trained, false), weights: packed.manifest }));
  }
  const { graph: _graph, ...numbers } = outcome;
  const result: WorkerResult = { ...numbers, trialId: spec.trialId, hasWeights: trained !== null };
  await writeFileAtomic(path.join(dir, 'result.json'), toJsonText(result));
  return result;
}

/**
 * Reads a finished trial's outcome back (the chief), the trained graph included; null when the trial has
 * not finished (no `result.json`).
 *
 * @example
 * ```ts
 * const outcome = await readOutcome('./ak-run', 3); // TrialOutcome | null
 * ```
 */
export async function readOutcome(directory: string, trialId: number): Promise<TrialOutcome | null> {
  const dir = outcomeDir(directory, trialId);
  const file = path.join(dir, 'result.json');
  if (!existsSync(file)) return null;
  const r = (await readJsonFile(file)) as WorkerResult;
  if (!r || (r.status !== 'ok' && r.status !== 'failed')) throw corrupt(file, 'its `status` is not "ok" or "failed"');
  const { trialId: _id, hasWeights, ...outcome } = r;
  const out: TrialOutcome = { ...outcome, metric: r.metric ?? NaN };
  if (out.metrics) out.metrics = Object.fromEntries(Object.entries(out.metrics).map(([k, v]) => [k, v ?? NaN]));
  if (hasWeights) out.graph = await readTrained(dir);
  return out;
}

async function readTrained(dir: string): Promise<Graph> {
  const file = path.join(dir, 'graph.json');
  const doc = (await readJsonFile(file)) as { graph: GraphJSON; weights: WeightEntry[] };
  const bin = path.join(dir, 'weights.bin');
  const bytes = await fs.readFile(bin).catch((e: NodeJS.ErrnoException) => { throw corrupt(bin, `it cannot be read (${e.code ?? e.message})`); });
  return unpackWeights(graphFromJSON(doc.graph), doc.weights, bytes, bin);
}

/**
 * The specs of every dispatched trial whose outcome folder is still there (finished or not), by id.
 *
 * @example
 * ```ts
 * for (const spec of await listDispatched('./ak-run')) console.log(spec.trialId);
 * ```
 */
export async function listDispatched(directory: string): Promise<TrialSpec[]> {
  const root = path.join(directory, 'outcomes');
  if (!existsSync(root)) return [];
  const ids = (await fs.readdir(root)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const specs: TrialSpec[] = [];
  for (const id of ids) {
    const file = path.join(outcomeDir(directory, id), 'spec.json');
    if (existsSync(file)) specs.push((await readJsonFile(file)) as TrialSpec);
  }
  return specs;
}

/**
 * Removes a recorded trial's outcome folder (the chief, after it wrote the trial into the history).
 *
 * @example
 * ```ts
 * await removeOutcome('./ak-run', 3);
 * ```
 */
export async function removeOutcome(directory: string, trialId: number): Promise<void> {
  await fs.rm(outcomeDir(directory, trialId), { recursive: true, force: true });
}
