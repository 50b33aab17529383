import { GraphError } from '../errors';
import { Graph } from './graph';
import type { Layer, WeightTensor } from './layers';
import { LAYER_KINDS } from './layers';

/** The version of the Graph JSON format this code writes and reads. */
export const GRAPH_FORMAT_VERSION = 1;

/** A weight in JSON: its shape and its float32 values, little-endian, base64. */
export interface WeightJSON {
  shape: number[];
  dtype: 'float32';
  base64: string;
}

/** The JSON document of a Graph (see {@link graphToJSON}). */
export interface GraphJSON {
  format: 'autokeras-ts/graph';
  version: number;
  inputShape: number[];
  output: number;
  nextNode: number;
  nextLayer: number;
  layers: Array<Record<string, unknown>>;
}

/**
 * Serialises a graph to a versioned, JSON-safe document; weights (when present and `withWeights`)
 * are base64 float32. The document round-trips through {@link graphFromJSON} exactly.
 *
 * @example
 * ```ts
 * const text = JSON.stringify(graphToJSON(g));
 * const back = graphFromJSON(JSON.parse(text));
 * ```
 */
export function graphToJSON(graph: Graph, withWeights = true): GraphJSON {
  const layers = graph.layers.map((l) => {
    const { weights, ...rest } = l as Layer & { weights?: Record<string, WeightTensor> };
    const doc: Record<string, unknown> = { ...rest, inputs: l.inputs.slice() };
    if (weights && withWeights) {
      doc.weights = Object.fromEntries(Object.entries(weights).map(([k, w]) => [k, encodeWeight(w)]));
    }
    return doc;
  });
  return { format: 'autokeras-ts/graph', version: GRAPH_FORMAT_VERSION, inputShape: graph.inputShape, output: graph.output, ...graph.counters(), layers };
}

/** Reads a document written by {@link graphToJSON}; rejects unknown versions and malformed documents with a GraphError. */
export function graphFromJSON(doc: unknown): Graph {
  if (typeof doc !== 'object' || doc === null) throw new GraphError(`A graph document must be an object; received ${typeof doc}`);
  const d = doc as Partial<GraphJSON>;
  if (d.format !== 'autokeras-ts/graph') throw new GraphError(`Not a graph document: format is ${JSON.stringify(d.format)}, expected "autokeras-ts/graph"`);
  if (d.version !== GRAPH_FORMAT_VERSION) throw new GraphError(`Unsupported graph format version ${JSON.stringify(d.version)}; this version of autokeras-ts reads version ${GRAPH_FORMAT_VERSION}`);
  const ints = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x));
  if (!ints(d.inputShape)) throw new GraphError('Graph document field `inputShape` must be an array of integers');
  for (const f of ['output', 'nextNode', 'nextLayer'] as const) {
    if (!Number.isInteger(d[f])) throw new GraphError(`Graph document field \`${f}\` must be an integer; received ${JSON.stringify(d[f])}`);
  }
  if (!Array.isArray(d.layers)) throw new GraphError('Graph document field `layers` must be an array');
  const layers = d.layers.map((raw, i) => readLayer(raw, i));
  return Graph.fromParts({ inputShape: d.inputShape, layers, output: d.output!, nextNode: d.nextNode!, nextLayer: d.nextLayer! });
}

function readLayer(raw: unknown, index: number): Layer {
  if (typeof raw !== 'object' || raw === null) throw new GraphError(`Graph document layers[${index}] must be an object`);
  const r = raw as Record<string, unknown>;
  if (!LAYER_KINDS.includes(r.kind as never)) throw new GraphError(`Graph document layers[${index}].kind ${JSON.stringify(r.kind)} is not one of ${LAYER_KINDS.join(', ')}`);
  if (!Number.isInteger(r.id) || !Number.isInteger(r.output) || !Array.isArray(r.inputs) || !r.inputs.every((n) => Number.isInteger(n))) {
    throw new GraphError(`Graph document layers[${index}] needs integer \`id\`, \`output\` and an integer array \`inputs\``);
  }
  const layer = { ...r } as Record<string, unknown>;
  if (r.weights !== undefined) {
    if (typeof r.weights !== 'object' || r.weights === null) throw new GraphError(`Graph document layers[${index}].weights must be an object`);
    layer.weights = Object.fromEntries(Object.entries(r.weights).map(([k, w]) => [k, decodeWeight(w, `layers[${index}].weights.${k}`)]));
  }
  return layer as unknown as Layer;
}

function encodeWeight(w: WeightTensor): WeightJSON {
  const bytes = Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength);
  return { shape: w.shape.slice(), dtype: 'float32', base64: bytes.toString('base64') };
}

function decodeWeight(raw: unknown, where: string): WeightTensor {
  const w = raw as Partial<WeightJSON>;
  if (!w || !Array.isArray(w.shape) || typeof w.base64 !== 'string' || w.dtype !== 'float32') {
    throw new GraphError(`Graph document ${where} must be {shape, dtype: "float32", base64}`);
  }
  const bytes = Buffer.from(w.base64, 'base64');
  if (bytes.byteLength % 4 !== 0) throw new GraphError(`Graph document ${where} holds ${bytes.byteLength} bytes, not a whole number of float32 values`);
  const data = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(data.buffer).set(bytes);
  return { shape: w.shape.slice(), data };
}
