import { GraphError, invalidArgument } from '../errors';
import type { Layer, LayerSpec, WeightTensor } from './layers';
import { copyWeight, isMerge, isWeighted, shapeSize } from './layers';
import { layerMacCount, layerParamCount, ruleOf } from './rules';

/**
 * The one intermediate representation of a network: nodes are tensors with shapes (batch axis
 * excluded, channels-last), edges are layers (plain {@link LayerSpec}s with optional Float32Array
 * weights). No tfjs inside: the compiler (`compileGraph`) is its only translator.
 *
 * Node 0 is the input. Node and layer ids are integers, stable for the life of the graph and its copies,
 * so a morph operation recorded on a parent (`deeper(layer 7)`) replays on any copy of it.
 * The main branch of an add / concatenate is its first input.
 *
 * @example
 * ```ts
 * const g = Graph.create([28, 28, 1]);
 * let x = g.input;
 * x = g.addLayer({ kind: 'conv', rank: 2, filters: 8, kernelSize: 3, strides: 1, padding: 'same' }, x);
 * x = g.addLayer({ kind: 'relu' }, x);
 * x = g.addLayer({ kind: 'globalavgpool' }, x);
 * x = g.addLayer({ kind: 'dense', units: 10 }, x);
 * x = g.addLayer({ kind: 'softmax' }, x);
 * g.setOutput(x);
 * g.nodeShape(x); // [10]
 * ```
 */
export class Graph {
  /** The input node's id (always 0). */
  readonly input = 0;
  private shapes = new Map<number, number[]>();
  private layerMap = new Map<number, Layer>();
  private outputNode = -1;
  private nextNode = 1;
  private nextLayer = 0;

  private constructor() {}

  /** A graph holding only its input node, of the given shape (batch axis excluded). */
  static create(inputShape: readonly number[]): Graph {
    if (!Array.isArray(inputShape) || inputShape.length < 1 || inputShape.length > 4 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
      invalidArgument('inputShape', 'an array of 1 to 4 positive integers (batch axis excluded)', inputShape);
    }
    const g = new Graph();
    g.shapes.set(0, inputShape.slice());
    return g;
  }

  /** The output node's id; throws if {@link setOutput} was never called. */
  get output(): number {
    if (this.outputNode < 0) throw new GraphError('The graph has no output node: call setOutput(node)');
    return this.outputNode;
  }

  /** Input shape (batch axis excluded). */
  get inputShape(): number[] {
    return this.nodeShape(this.input);
  }

  /** Output shape (batch axis excluded). */
  get outputShape(): number[] {
    return this.nodeShape(this.output);
  }

  /** Every node id, in creation order. */
  get nodeIds(): number[] {
    return [...this.shapes.keys()];
  }

  /** Every layer, in creation order (see {@link topologicalOrder} for execution order). */
  get layers(): Layer[] {
    return [...this.layerMap.values()];
  }

  /** Number of layers. */
  get size(): number {
    return this.layerMap.size;
  }

  /** Shape of a node (a copy). */
  nodeShape(node: number): number[] {
    const s = this.shapes.get(node);
    if (!s) throw new GraphError(`Unknown node id ${node}; the graph has nodes ${this.nodeIds.join(', ')}`);
    return s.slice();
  }

  /** Whether a layer id exists. */
  hasLayer(id: number): boolean {
    return this.layerMap.has(id);
  }

  /** The layer with this id (the stored object: treat it as read-only, use the mutators). */
  layer(id: number): Layer {
    const l = this.layerMap.get(id);
    if (!l) throw new GraphError(`Unknown layer id ${describe(id)}; the graph has layers ${[...this.layerMap.keys()].join(', ')}`);
    return l;
  }

  /** The layer that writes a node (undefined for the input). */
  producer(node: number): Layer | undefined {
    for (const l of this.layerMap.values()) if (l.output === node) return l;
    return undefined;
  }

  /** The layers that read a node, in creation order. */
  consumers(node: number): Layer[] {
    return this.layers.filter((l) => l.inputs.includes(node));
  }

  /**
   * Appends a layer reading `inputs` and writing a new node, whose shape is inferred now.
   * @returns the new node's id.
   */
  addLayer(spec: LayerSpec, inputs: number | number[]): number {
    const ins = Array.isArray(inputs) ? inputs.slice() : [inputs];
    const shapes = ins.map((n) => this.nodeShape(n));
    const rule = ruleOf(spec);
    if (rule.arity === 1 && ins.length !== 1) throw new GraphError(`${spec.kind} takes exactly one input; received ${ins.length}`);
    if (rule.arity === 'many' && ins.length < 2) throw new GraphError(`${spec.kind} takes at least two inputs; received ${ins.length}`);
    const outShape = rule.outputShape(spec, shapes);
    const node = this.nextNode++;
    const layer = { ...cloneSpec(spec), id: this.nextLayer++, inputs: ins, output: node } as Layer;
    checkWeights(layer, shapes);
    this.shapes.set(node, outShape);
    this.layerMap.set(layer.id, layer);
    return node;
  }

  /** Marks the output node. */
  setOutput(node: number): void {
    this.nodeShape(node);
    this.outputNode = node;
  }

  /** Replaces one input of a layer (`from` -> `to`) and re-infers shapes; on a cycle or mismatch it throws and changes nothing. */
  rewire(layerId: number, from: number, to: number): void {
    const l = this.layer(layerId);
    const i = l.inputs.indexOf(from);
    if (i < 0) throw new GraphError(`Layer ${layerId} does not read node ${from}`);
    this.nodeShape(to);
    l.inputs[i] = to;
    try {
      this.inferShapes();
    } catch (e) {
      l.inputs[i] = from;
      this.inferShapes();
      throw e;
    }
  }

  /** Replaces a layer's spec (hyper-parameters and weights), keeping its id and wiring; re-infers shapes. */
  replaceLayer(layerId: number, spec: LayerSpec): void {
    const old = this.layer(layerId);
    const next = { ...cloneSpec(spec), id: old.id, inputs: old.inputs, output: old.output } as Layer;
    this.layerMap.set(layerId, next);
    try {
      this.inferShapes();
    } catch (e) {
      this.layerMap.set(layerId, old);
      this.inferShapes();
      throw e;
    }
  }

  /** Sets (or, with undefined, removes) a weighted layer's weights; shapes are checked. */
  setWeights(layerId: number, weights: Record<string, WeightTensor> | undefined): void {
    const l = this.layer(layerId);
    if (!isWeighted(l)) throw new GraphError(`Layer ${layerId} (${l.kind}) has no weights`);
    const next = { ...l, weights } as Layer;
    if (weights === undefined) delete (next as { weights?: unknown }).weights;
    checkWeights(next, l.inputs.map((n) => this.nodeShape(n)));
    this.layerMap.set(layerId, next);
  }

  /** Whether every weighted layer carries weights. */
  hasWeights(): boolean {
    return this.layers.filter(isWeighted).every((l) => (l as { weights?: unknown }).weights !== undefined);
  }

  /** A copy without any weights (structure only). */
  withoutWeights(): Graph {
    return this.clone(false);
  }

  /** Layers in execution order (Kahn's algorithm; ties by layer id). Throws GraphError on a cycle. */
  topologicalOrder(): Layer[] {
    const ready = new Set<number>([this.input]);
    const pending = this.layers;
    const order: Layer[] = [];
    let progressed = true;
    while (pending.length > 0 && progressed) {
      progressed = false;
      for (let i = 0; i < pending.length; i++) {
        const l = pending[i]!;
        if (l.inputs.every((n) => ready.has(n))) {
          order.push(l);
          ready.add(l.output);
          pending.splice(i, 1);
          progressed = true;
          i--;
        }
      }
    }
    if (pending.length > 0) {
      throw new GraphError(`The graph has a cycle or reads nodes no layer writes: layers ${pending.map((l) => l.id).join(', ')} can never run`);
    }
    return order;
  }

  /** Recomputes every node's shape from the input in topological order; throws GraphError on a mismatch. */
  inferShapes(): void {
    for (const l of this.topologicalOrder()) {
      const shapes = l.inputs.map((n) => this.nodeShape(n));
      this.shapes.set(l.output, ruleOf(l).outputShape(l, shapes));
      checkWeights(l, shapes);
    }
  }

  /**
   * Full check: an output is set, no cycle, every node is written by exactly one layer (but the input),
   * every node lies on a path from input to output (no dangling nodes), shapes infer, weights match.
   */
  validate(): void {
    const out = this.output;
    const writers = new Map<number, number>();
    for (const l of this.layerMap.values()) {
      if (l.output === this.input) throw new GraphError(`Layer ${l.id} writes the input node`);
      writers.set(l.output, (writers.get(l.output) ?? 0) + 1);
    }
    for (const [node, count] of writers) if (count > 1) throw new GraphError(`Node ${node} is written by ${count} layers`);
    const order = this.topologicalOrder();
    this.inferShapes();
    const reachesOutput = new Set<number>([out]);
    for (let i = order.length - 1; i >= 0; i--) {
      const l = order[i]!;
      if (reachesOutput.has(l.output)) l.inputs.forEach((n) => reachesOutput.add(n));
    }
    const dangling = this.nodeIds.filter((n) => !reachesOutput.has(n));
    if (dangling.length > 0) throw new GraphError(`Dangling nodes (not on any path to the output): ${dangling.join(', ')}`);
  }

  /**
   * The main chain: from the output back to the input, following each layer's first input.
   * `nodes[i]` is the input of `layers[i]` and `nodes[i + 1]` its output.
   */
  mainChain(): { nodes: number[]; layers: Layer[] } {
    const layers: Layer[] = [];
    const nodes = [this.output];
    let node = this.output;
    while (node !== this.input) {
      const p = this.producer(node);
      if (!p) throw new GraphError(`Node ${node} has no producer: the output is not connected to the input`);
      layers.unshift(p);
      node = p.inputs[0]!;
      nodes.unshift(node);
      if (layers.length > this.layerMap.size) throw new GraphError('The main chain loops: the graph has a cycle');
    }
    return { nodes, layers };
  }

  /** Total number of parameters (weights of every layer). */
  paramCount(): number {
    let total = 0;
    for (const l of this.layerMap.values()) total += layerParamCount(l, l.inputs.map((n) => this.nodeShape(n)));
    return total;
  }

  /**
   * Multiply-accumulates of one forward pass per sample (conv and dense layers), a measure of compute.
   *
   * @example
   * ```ts
   * const g = Graph.create([8, 8, 1]);
   * g.setOutput(g.addLayer({ kind: 'conv', rank: 2, filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, g.input));
   * g.macCount(); // 8 * 8 * 4 outputs x 3 * 3 * 1 inputs each = 2304
   * ```
   */
  macCount(): number {
    let total = 0;
    for (const l of this.layerMap.values()) total += layerMacCount(l, l.inputs.map((n) => this.nodeShape(n)));
    return total;
  }

  /** Elements per sample of all nodes together (every activation), for memory estimates. */
  activationCount(): number {
    let total = 0;
    for (const s of this.shapes.values()) total += shapeSize(s);
    return total;
  }

  /** Number of merge (add / concatenate) layers. */
  mergeCount(): number {
    return this.layers.filter(isMerge).length;
  }

  /** Deep copy (weights copied too unless `withWeights` is false). */
  clone(withWeights = true): Graph {
    const g = new Graph();
    for (const [n, s] of this.shapes) g.shapes.set(n, s.slice());
    for (const [id, l] of this.layerMap) {
      const copy = { ...cloneSpec(l, withWeights), id: l.id, inputs: l.inputs.slice(), output: l.output } as Layer;
      g.layerMap.set(id, copy);
    }
    g.outputNode = this.outputNode;
    g.nextNode = this.nextNode;
    g.nextLayer = this.nextLayer;
    return g;
  }

  /** @internal Used by the JSON reader: rebuilds a graph from its parts, then validates it. */
  static fromParts(parts: { inputShape: number[]; layers: Layer[]; output: number; nextNode: number; nextLayer: number }): Graph {
    const g = Graph.create(parts.inputShape);
    for (const l of parts.layers) {
      if (g.layerMap.has(l.id)) throw new GraphError(`Duplicate layer id ${l.id}`);
      ruleOf(l);
      g.layerMap.set(l.id, l);
      g.shapes.set(l.output, []);
    }
    g.nextNode = parts.nextNode;
    g.nextLayer = parts.nextLayer;
    for (const l of parts.layers) {
      for (const n of l.inputs) if (!g.shapes.has(n)) throw new GraphError(`Layer ${l.id} reads node ${n}, which no layer writes`);
      if (l.output >= g.nextNode || l.id >= g.nextLayer) throw new GraphError(`Layer ${l.id} uses ids beyond the graph's counters`);
    }
    g.setOutput(parts.output);
    g.validate();
    return g;
  }

  /** @internal Counters for the JSON writer. */
  counters(): { nextNode: number; nextLayer: number } {
    return { nextNode: this.nextNode, nextLayer: this.nextLayer };
  }
}

function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function cloneSpec<T extends LayerSpec>(spec: T, withWeights = true): LayerSpec {
  const { id: _i, inputs: _in, output: _o, ...rest } = spec as T & Partial<Layer>;
  const out = { ...rest } as LayerSpec & { weights?: Record<string, WeightTensor> };
  if ('weights' in out && out.weights) {
    if (withWeights) {
      out.weights = Object.fromEntries(Object.entries(out.weights).map(([k, w]) => [k, copyWeight(w)]));
    } else {
      delete out.weights;
    }
  }
  return out;
}

function checkWeights(layer: Layer, inputShapes: number[][]): void {
  const weights = (layer as { weights?: Record<string, WeightTensor> }).weights;
  if (weights === undefined) return;
  const expected = ruleOf(layer).weightShapes(layer, inputShapes);
  for (const [name, shape] of Object.entries(expected)) {
    const w = weights[name];
    if (!w) throw new GraphError(`Layer ${layer.id} (${layer.kind}) lacks weight \`${name}\``);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]) || w.data.length !== shapeSize(shape)) {
      throw new GraphError(`Layer ${layer.id} (${layer.kind}) weight \`${name}\` has shape [${w.shape.join(', ')}] (${w.data.length} values); expected [${shape.join(', ')}]`);
    }
  }
}
