import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SearchError } from '../errors';
import type { Graph } from '../graph/graph';
import { graphFromJSON, graphToJSON } from '../graph/json';
import { readJsonFile, toJsonText, writeFileAtomic } from './atomic';
import { packWeights, unpackWeights } from './weights';
import type { WeightEntry } from './weights';

interface ModelFile {
  format: 'autokeras-ts/model';
  version: 1;
  trialId: number;
  finalFit: boolean;
  /** Multi-label: the per-label thresholds chosen for these weights. */
  thresholds?: number[];
  graph: ReturnType<typeof graphToJSON>;
  weights: WeightEntry[];
}

/**
 * Writes `<directory>/model/` (`graph.json` + `weights.bin`, atomically): the fitted model (best trial, after
 * finalFit when run), which `ImageClassifier.load(directory)` reads.
 *
 * @example
 * ```ts
 * await writeFittedModel('./ak-run', trainedGraph, 7, false);
 * ```
 */
export async function writeFittedModel(directory: string, graph: Graph, trialId: number, finalFit: boolean, thresholds?: readonly number[] | null): Promise<void> {
  const dir = path.join(directory, 'model');
  await fs.mkdir(dir, { recursive: true });
  const packed = packWeights(graph);
  await writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(packed.data.buffer, packed.data.byteOffset, packed.data.byteLength));
  const doc: ModelFile = { format: 'autokeras-ts/model', version: 1, trialId, finalFit, ...(thresholds ? { thresholds: thresholds.slice() } : {}), graph: graphToJSON(graph, false), weights: packed.manifest };
  await writeFileAtomic(path.join(dir, 'graph.json'), toJsonText(doc));
}

/**
 * Reads what {@link writeFittedModel} wrote: the graph with its weights, the trial it came from, and
 * whether finalFit trained it further.
 *
 * @example
 * ```ts
 * const { graph, trialId } = await readFittedModel('./ak-run');
 * ```
 */
export async function readFittedModel(directory: string): Promise<{ graph: Graph; trialId: number; finalFit: boolean; thresholds?: number[] }> {
  const file = path.join(directory, 'model', 'graph.json');
  const doc = (await readJsonFile(file)) as Partial<ModelFile>;
  if (!doc || doc.format !== 'autokeras-ts/model' || doc.version !== 1 || !Array.isArray(doc.weights) || !Number.isInteger(doc.trialId)) {
    throw new SearchError(`${file} is not a version-1 "autokeras-ts/model" document`);
  }
  const bin = path.join(directory, 'model', 'weights.bin');
  const bytes = await fs.readFile(bin).catch(() => { throw new SearchError(`${bin} cannot be read: the fitted model is incomplete`); });
  const thresholds = Array.isArray(doc.thresholds) && doc.thresholds.every(Number.isFinite) ? { thresholds: doc.thresholds.slice() } : {};
  return { graph: unpackWeights(graphFromJSON(doc.graph), doc.weights, bytes, bin), trialId: doc.trialId!, finalFit: doc.finalFit === true, ...thresholds };
}
