import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputDataError } from '../errors';
import { writeFileAtomic } from './atomic';

/** File names of an exported model. */
export const EXPORT_FILES = { model: 'model.json', weights: 'weights.bin', preprocessing: 'preprocessing.json' } as const;

/**
 * Exports a model as a plain TensorFlow.js layers model: `model.json` (topology + weights manifest,
 * the format `tf.loadLayersModel` reads) and `weights.bin` (one shard), written by our own save
 * handler (`tf.io.withSaveHandler`, no tfjs-node needed), plus `preprocessing.json` holding what must
 * happen to inputs before `model.predict` and how to read its outputs (see Preprocessing.toJSON).
 * Every file is written atomically; `dir` is created if needed.
 *
 * @example
 * ```ts
 * await exportModel(model, './best-model', prep.toJSON());
 * // in a browser: await tf.loadLayersModel('https://host/best-model/model.json')
 * ```
 */
export async function exportModel(model: tf.LayersModel, dir: string, preprocessing: unknown): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
    const doc = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: 'autokeras-ts',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [EXPORT_FILES.weights], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFileAtomic(path.join(dir, EXPORT_FILES.weights), weights);
    await writeFileAtomic(path.join(dir, EXPORT_FILES.model), JSON.stringify(doc));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
  }));
  await writeFileAtomic(path.join(dir, EXPORT_FILES.preprocessing), `${JSON.stringify(preprocessing, null, 2)}\n`);
}

/**
 * Loads a model written by {@link exportModel} (or any single-folder tfjs layers model) from disk
 * with `tf.loadLayersModel` and an in-memory IOHandler, plus its `preprocessing.json` (null if absent).
 * Missing or malformed files are InputDataErrors naming the file.
 *
 * @example
 * ```ts
 * const { model, preprocessing } = await loadExportedModel('./best-model');
 * const prep = Preprocessing.fromJSON(preprocessing);
 * ```
 */
export async function loadExportedModel(dir: string): Promise<{ model: tf.LayersModel; preprocessing: unknown }> {
  const modelFile = path.join(dir, EXPORT_FILES.model);
  const doc = (await readJson(modelFile)) as { modelTopology?: object; weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  if (!doc || typeof doc.modelTopology !== 'object' || !Array.isArray(doc.weightsManifest)) throw new InputDataError(`${modelFile} is not a TensorFlow.js layers model (no modelTopology / weightsManifest)`);
  const buffers: ArrayBuffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of doc.weightsManifest) {
    for (const p of group.paths) {
      const file = path.join(dir, p);
      const bytes = await fs.readFile(file).catch((e: Error) => { throw new InputDataError(`Cannot read weights file ${file}: ${e.message}`); });
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
    specs.push(...group.weights);
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: doc.modelTopology, weightSpecs: specs, weightData: tf.io.concatenateArrayBuffers(buffers) }));
  const prepFile = path.join(dir, EXPORT_FILES.preprocessing);
  const preprocessing = (await fs.stat(prepFile).catch(() => null)) ? await readJson(prepFile) : null;
  return { model, preprocessing };
}

async function readJson(file: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8').catch((e: Error) => { throw new InputDataError(`Cannot read ${file}: ${e.message}`); });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputDataError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
