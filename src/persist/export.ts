import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputDataError } from '../errors';
import { writeFileAtomic } from './atomic';
import { checkFolderTarget, checkPathText } from './paths';

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
  await checkFolderTarget('dir', dir);
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

/** Options of {@link loadExportedModel}. */
export interface LoadExportedOptions {
  /** Read `preprocessing.json` too (default true); false returns `preprocessing: null` without reading it. */
  preprocessing?: boolean;
}

/**
 * Loads a model written by {@link exportModel} (or any single-folder tfjs layers model) from disk
 * with `tf.loadLayersModel` and an in-memory IOHandler, plus its `preprocessing.json` (null if absent).
 * Missing or malformed files are InputDataErrors naming the file: a topology that refers to layers it
 * does not define (or in a cycle, which would hang tfjs), weight files shorter or longer than the
 * manifest says, a topology tfjs cannot build. Nothing stays allocated when it throws.
 *
 * @example
 * ```ts
 * const { model, preprocessing } = await loadExportedModel('./best-model');
 * const prep = Preprocessing.fromJSON(preprocessing);
 * ```
 */
export async function loadExportedModel(dir: string, options: LoadExportedOptions = {}): Promise<{ model: tf.LayersModel; preprocessing: unknown }> {
  checkPathText('dir', dir);
  const modelFile = path.join(dir, EXPORT_FILES.model);
  const doc = (await readJsonDocument(modelFile)) as { modelTopology?: object; weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
  if (!doc || typeof doc.modelTopology !== 'object' || doc.modelTopology === null || !Array.isArray(doc.weightsManifest)
    || !doc.weightsManifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))) {
    throw new InputDataError(`${modelFile} is not a TensorFlow.js layers model (no modelTopology / weightsManifest)`);
  }
  checkTopology(doc.modelTopology, modelFile);
  const prepFile = path.join(dir, EXPORT_FILES.preprocessing);
  const preprocessing = options.preprocessing !== false && (await fs.stat(prepFile).catch(() => null)) ? await readJsonDocument(prepFile) : null;
  const buffers: ArrayBuffer[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of doc.weightsManifest) {
    let bytesRead = 0;
    const files: string[] = [];
    for (const p of group.paths) {
      const file = path.join(dir, p);
      files.push(file);
      const bytes = await fs.readFile(file).catch((e: Error) => { throw new InputDataError(`Cannot read weights file ${file}: ${e.message}`); });
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      bytesRead += bytes.byteLength;
    }
    const expected = manifestBytes(group.weights, modelFile);
    if (expected !== bytesRead) {
      throw new InputDataError(`${files.join(', ')} hold${files.length === 1 ? 's' : ''} ${bytesRead} bytes but ${modelFile} lists weights of ${expected} bytes: the weights file is ${bytesRead < expected ? 'truncated' : 'longer than its manifest'}`);
    }
    specs.push(...group.weights);
  }
  // What tf.loadLayersModel does, in two steps whose failures free what they made: build the model
  // (a layer config tfjs rejects may fail half-way: the variables it made are disposed), then decode
  // and set the weights (shapes the layers reject: the model and the decoded tensors are disposed).
  const cannot = (e: unknown) => new InputDataError(`${modelFile} cannot be loaded as a TensorFlow.js layers model: ${(e as Error).message.split('\n')[0]}`);
  const known = new Set(Object.keys(tf.engine().registeredVariables));
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: doc.modelTopology }));
  } catch (e) {
    for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (!known.has(name)) v.dispose();
    throw cannot(e);
  }
  let weights: tf.NamedTensorMap = {};
  try {
    weights = tf.io.decodeWeights(tf.io.concatenateArrayBuffers(buffers), specs);
    model.loadWeights(weights, true);
  } catch (e) {
    model.dispose();
    throw cannot(e);
  } finally {
    tf.dispose(weights);
  }
  return { model, preprocessing };
}

/** Bytes per element of the dtypes a weights manifest may name. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, int8: 1, int16: 2, string: NaN, complex64: 8 };

/** Bytes the weights of a manifest group take, or an InputDataError for an unreadable entry. */
function manifestBytes(weights: tf.io.WeightsManifestEntry[], file: string): number {
  let total = 0;
  for (const w of weights) {
    const dtype = (w.quantization?.dtype ?? w.dtype) as string;
    if (!w || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0) || !(dtype in DTYPE_BYTES)) {
      throw new InputDataError(`${file} has a malformed weights manifest entry: ${JSON.stringify(w)?.slice(0, 120)}`);
    }
    const size = w.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype]!;
    if (Number.isNaN(size)) return NaN; // string weights have no fixed size: let tfjs check them
    total += size;
  }
  return total;
}

/**
 * Checks that a functional model topology names only layers it defines and has no cycle (tfjs loops
 * forever on either while deserialising). Other formats are left to tfjs.
 */
function checkTopology(topology: object, file: string): void {
  const t = topology as { model_config?: unknown; config?: unknown; class_name?: unknown };
  const top = (t.model_config ?? t) as { class_name?: unknown; config?: { layers?: unknown; input_layers?: unknown; output_layers?: unknown } };
  if (top.class_name !== 'Model' && top.class_name !== 'Functional') return;
  const bad = (why: string): never => { throw new InputDataError(`${file} has an invalid model topology: ${why}`); };
  const layers = top.config?.layers;
  if (!Array.isArray(layers)) return bad('`config.layers` is not an array');
  const deps = new Map<string, string[]>();
  for (const layer of layers as Array<{ name?: unknown; class_name?: unknown; inbound_nodes?: unknown }>) {
    if (typeof layer?.name !== 'string' || typeof layer.class_name !== 'string') return bad(`a layer without a name or class_name (${JSON.stringify(layer)?.slice(0, 80)})`);
    if (deps.has(layer.name)) return bad(`two layers are named ${JSON.stringify(layer.name)}`);
    const inbound: string[] = [];
    for (const node of Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : []) {
      for (const input of Array.isArray(node) ? node : []) if (Array.isArray(input) && typeof input[0] === 'string') inbound.push(input[0]);
    }
    deps.set(layer.name, inbound);
  }
  const refs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((r) => Array.isArray(r) && typeof r[0] === 'string').map((r) => r[0] as string) : []);
  for (const [name, inbound] of [...deps, ['input_layers', refs(top.config?.input_layers)], ['output_layers', refs(top.config?.output_layers)]] as Array<[string, string[]]>) {
    const missing = inbound.find((n) => !deps.has(n));
    if (missing !== undefined) bad(`${name} refers to layer ${JSON.stringify(missing)}, which the topology does not define`);
  }
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  const visit = (name: string): void => {
    if (state.get(name) === 2) return;
    if (state.get(name) === 1) bad(`its layers form a cycle through ${JSON.stringify(name)}`);
    state.set(name, 1);
    for (const d of deps.get(name)!) visit(d);
    state.set(name, 2);
  };
  for (const name of deps.keys()) visit(name);
}

/**
 * Reads and parses a JSON file; a missing or unparsable file is an InputDataError naming it.
 *
 * @example
 * ```ts
 * const doc = await readJsonDocument('best-model/preprocessing.json');
 * ```
 */
export async function readJsonDocument(file: string): Promise<unknown> {
  const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputDataError(e.code === 'ENOENT' ? `${file} is missing` : `Cannot read ${file}: ${e.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputDataError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Fixed per-feature affine maps that {@link withScalingLayers} puts into a model: `x' = x * scale[c] + offset[c]`
 * over the last axis (`[C]` each).
 */
export interface AffineStage {
  scale: number[];
  offset: number[];
}

/** What {@link withScalingLayers} adds around a model. */
export interface ScalingStages {
  /**
   * Per-sample shape the new model takes, e.g. `[28, 28]` when the data given to `fit` had no channel
   * axis; a Reshape layer then restores the model's `[28, 28, 1]`. Default: the model's own input shape.
   */
  inputShape?: number[];
  /** Input scaling, applied to the (reshaped) input before the model's first layer. */
  input?: AffineStage | null;
  /** Output scaling, applied to the model's output (e.g. undoing a target standardisation). */
  output?: AffineStage | null;
}

/** Layer names of the stages {@link withScalingLayers} adds (`model.getLayer(name)`). */
export const SCALING_LAYERS = { reshape: 'preprocess_reshape', input: 'preprocess_scale', output: 'postprocess_scale' } as const;

interface TopologyLayer { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }

/** A model's topology, weight specs and weight bytes, through a save handler (no file is written). */
async function modelArtifacts(model: tf.LayersModel): Promise<{ topology: { class_name: string; config: { layers: TopologyLayer[]; input_layers: unknown[][]; output_layers: unknown[][] } }; specs: tf.io.WeightsManifestEntry[]; data: Uint8Array }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = artifacts!;
  const data = a.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData)) : new Uint8Array(0);
  const topology = JSON.parse(JSON.stringify(a.modelTopology)) as { class_name: string; config: { layers: TopologyLayer[]; input_layers: unknown[][]; output_layers: unknown[][] } };
  return { topology, specs: a.weightSpecs ?? [], data };
}

/** A frozen Dense layer over the last axis whose kernel is `diag(scale)` and bias `offset`: `x * scale + offset` per feature. */
function affineLayer(stage: AffineStage, name: string): { layer: tf.layers.Layer; weights: tf.Tensor[] } {
  const c = stage.scale.length;
  if (c === 0 || stage.offset.length !== c || ![...stage.scale, ...stage.offset].every(Number.isFinite)) {
    throw new InputDataError(`A scaling stage needs finite scale and offset of one length; received ${c} scales and ${stage.offset.length} offsets`);
  }
  const kernel = new Float32Array(c * c);
  stage.scale.forEach((s, i) => { kernel[i * c + i] = s; });
  return {
    layer: tf.layers.dense({ units: c, useBias: true, trainable: false, name }),
    weights: [tf.tensor2d(kernel, [c, c]), tf.tensor1d(stage.offset)],
  };
}

/**
 * A new, independent model (its own variables; `model` is unchanged) that is `model` with fixed
 * scaling layers around it, all standard tfjs layers, so that plain `tf.loadLayersModel` reads it
 * with no custom layer registered: an optional Reshape (`inputShape` to the model's input shape),
 * a frozen Dense with a diagonal kernel doing `x * scale[c] + offset[c]` per channel (the
 * {@link Normalizer}'s `(x * s - mean) / std` is `scale = s / std`, `offset = -mean / std`), and the
 * same after the output. Built by splicing the layers into the model's saved topology, then loading
 * that topology from memory: the result is exactly what a reader of the saved files gets.
 *
 * Input: `[N, ...inputShape]` raw values (any numeric dtype); output: the model's `[N, K]`, scaled.
 *
 * @example
 * ```ts
 * const full = await withScalingLayers(model, { inputShape: [28, 28], input: { scale: [1 / 255 / 0.3], offset: [-0.5 / 0.3] } });
 * full.predict(tf.zeros([1, 28, 28])); // the model's output for the normalised input
 * ```
 */
export async function withScalingLayers(model: tf.LayersModel, stages: ScalingStages): Promise<tf.LayersModel> {
  const inner = model.inputs[0]!.shape.slice(1) as number[];
  const inputShape = stages.inputShape ?? inner;
  if (inputShape.reduce((a, b) => a * b, 1) !== inner.reduce((a, b) => a * b, 1)) {
    throw new InputDataError(`Cannot reshape inputs of shape [${inputShape.join(', ')}] to the model's [${inner.join(', ')}]`);
  }
  const reshape = inputShape.length !== inner.length || inputShape.some((d, i) => d !== inner[i]);
  // The new layers' topology JSON and weights, from a small model of them (tfjs writes their configs).
  let extra: Awaited<ReturnType<typeof modelArtifacts>> = { topology: { class_name: 'Model', config: { layers: [], input_layers: [], output_layers: [] } }, specs: [], data: new Uint8Array(0) };
  if (reshape || stages.input || stages.output) extra = await stemArtifacts(inputShape, inner, reshape, stages);
  const base = await modelArtifacts(model);
  const layers = base.topology.config.layers;
  const inputRef = base.topology.config.input_layers;
  if (inputRef.length !== 1 || base.topology.config.output_layers.length !== 1) throw new InputDataError('withScalingLayers takes a model with one input and one output');
  const inputName = inputRef[0]![0] as string;
  const names = new Set(layers.map((l) => l.name));
  for (const l of extra.topology.config.layers) if (l.class_name !== 'InputLayer' && names.has(l.name)) throw new InputDataError(`The model already has a layer named ${l.name}: it holds scaling layers already`);
  const extraLayers = extra.topology.config.layers;
  const byName = (n: string) => extraLayers.find((l) => l.name === n);
  // Input side: the model's input layer takes the new shape; the new layers follow it; its consumers read the last one.
  const inputLayer = layers.find((l) => l.name === inputName)!;
  inputLayer.config = { ...inputLayer.config, batch_input_shape: [null, ...inputShape] };
  const chain: string[] = [];
  if (reshape) chain.push(SCALING_LAYERS.reshape);
  if (stages.input) chain.push(SCALING_LAYERS.input);
  const rename = (nodes: unknown[], from: string, to: string) => JSON.parse(JSON.stringify(nodes, (_k, v) => (Array.isArray(v) && v[0] === from && typeof v[1] === 'number' ? [to, ...v.slice(1)] : v))) as unknown[];
  if (chain.length > 0) {
    for (const l of layers) if (l.name !== inputName) l.inbound_nodes = rename(l.inbound_nodes, inputName, chain[chain.length - 1]!);
    let prev = inputName;
    const added = chain.map((n) => {
      const l = byName(n)!;
      const copy = { ...l, inbound_nodes: rename(l.inbound_nodes, l.inbound_nodes.length ? firstInbound(l) : '', prev) };
      prev = n;
      return copy;
    });
    layers.splice(layers.indexOf(inputLayer) + 1, 0, ...added);
  }
  // Output side: the new layer reads the model's output and becomes the output.
  if (stages.output) {
    const out = base.topology.config.output_layers[0]!;
    const l = byName(SCALING_LAYERS.output)!;
    layers.push({ ...l, inbound_nodes: [[[out[0], out[1], out[2], {}]]] });
    base.topology.config.output_layers = [[SCALING_LAYERS.output, 0, 0]];
  }
  const weightData = new Uint8Array(base.data.byteLength + extra.data.byteLength);
  weightData.set(base.data, 0);
  weightData.set(extra.data, base.data.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: base.topology, weightSpecs: [...base.specs, ...extra.specs], weightData: weightData.buffer }));
}

/**
 * The saved topology and weights of a small model holding only the new layers: input side
 * `input -> [Reshape] -> [Dense]`, and the output Dense on an input of its own. Everything it makes is
 * disposed before it returns, also when it throws.
 */
async function stemArtifacts(inputShape: number[], inner: number[], reshape: boolean, stages: ScalingStages): Promise<Awaited<ReturnType<typeof modelArtifacts>>> {
  const made: tf.Tensor[] = [];
  let stem: tf.LayersModel | null = null;
  try {
    const x = tf.input({ shape: inputShape, name: 'input' });
    let y: tf.SymbolicTensor = x;
    if (reshape) y = tf.layers.reshape({ targetShape: inner, name: SCALING_LAYERS.reshape }).apply(y) as tf.SymbolicTensor;
    const weighted: Array<[tf.layers.Layer, tf.Tensor[]]> = [];
    if (stages.input) {
      const a = affineLayer(stages.input, SCALING_LAYERS.input);
      made.push(...a.weights);
      weighted.push([a.layer, a.weights]);
      y = a.layer.apply(y) as tf.SymbolicTensor;
    }
    const inputs = [x];
    const outputs = [y];
    if (stages.output) {
      const o = tf.input({ shape: [stages.output.scale.length], name: 'output_in' });
      const a = affineLayer(stages.output, SCALING_LAYERS.output);
      made.push(...a.weights);
      weighted.push([a.layer, a.weights]);
      inputs.push(o);
      outputs.push(a.layer.apply(o) as tf.SymbolicTensor);
    }
    stem = tf.model({ inputs, outputs });
    for (const [layer, weights] of weighted) layer.setWeights(weights);
    return await modelArtifacts(stem);
  } finally {
    stem?.dispose();
    tf.dispose(made);
  }
}

/** The name of the layer a stem layer reads (its first inbound node's first input). */
function firstInbound(l: TopologyLayer): string {
  const node = l.inbound_nodes[0] as unknown[][];
  return node[0]![0] as string;
}
