import { ArgumentError, GraphError } from '../../src/errors';
import { describeGraph, Graph, graphFromJSON, graphToJSON, LAYER_KINDS } from '../../src/graph';
import { smallCnn, smallMlp } from '../helpers/graphs';

const conv = (filters: number, kernelSize = 3, strides = 1, padding: 'same' | 'valid' = 'same') =>
  ({ kind: 'conv' as const, rank: 2 as const, filters, kernelSize, strides, padding });

describe('Graph shape inference', () => {
  it('applies the conv and pooling rules (strides honoured)', () => {
    const g = Graph.create([28, 28, 1]);
    const a = g.addLayer(conv(8, 3, 2, 'valid'), g.input);
    expect(g.nodeShape(a)).toEqual([13, 13, 8]); // floor((28 - 3) / 2) + 1
    const b = g.addLayer(conv(4, 5, 2, 'same'), a);
    expect(g.nodeShape(b)).toEqual([7, 7, 4]); // ceil(13 / 2)
    const c = g.addLayer({ kind: 'maxpool', rank: 2, poolSize: 3, strides: 1, padding: 'valid' }, b);
    expect(g.nodeShape(c)).toEqual([5, 5, 4]);
    const d = g.addLayer({ kind: 'avgpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' }, c);
    expect(g.nodeShape(d)).toEqual([2, 2, 4]);
    expect(g.nodeShape(g.addLayer({ kind: 'flatten' }, d))).toEqual([16]);
    expect(g.nodeShape(g.addLayer({ kind: 'globalavgpool' }, d))).toEqual([4]);
  });

  it('counts parameters: conv (in*k^2+1)*f, dense in*out+out, batchnorm 4*C', () => {
    const g = Graph.create([8, 8, 3]);
    let x = g.addLayer(conv(4), g.input); // (3*9+1)*4 = 112
    x = g.addLayer({ kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }, x); // 16
    x = g.addLayer({ kind: 'globalavgpool' }, x);
    x = g.addLayer({ kind: 'dense', units: 5 }, x); // 4*5+5 = 25
    g.setOutput(x);
    expect(g.paramCount()).toBe(112 + 16 + 25);
  });

  it('sums channels at concatenate and requires equal shapes at add', () => {
    const g = Graph.create([8, 8, 2]);
    const a = g.addLayer(conv(3), g.input);
    const b = g.addLayer(conv(5), g.input);
    expect(g.nodeShape(g.addLayer({ kind: 'concatenate' }, [a, b]))).toEqual([8, 8, 8]);
    expect(() => g.addLayer({ kind: 'add' }, [a, b])).toThrow(/add needs inputs of equal shapes/);
  });

  it('rejects a kernel larger than its input, non-positive widths, bad arity and bad input shapes', () => {
    const g = Graph.create([4, 4, 1]);
    expect(() => g.addLayer(conv(2, 5, 1, 'valid'), g.input)).toThrow(GraphError);
    expect(() => g.addLayer(conv(0), g.input)).toThrow(/filters.*positive integer; received 0/);
    expect(() => g.addLayer({ kind: 'dense', units: 3 }, g.input)).toThrow(/dense expects a vector input/);
    expect(() => g.addLayer({ kind: 'add' }, g.input)).toThrow(/at least two inputs/);
    expect(() => Graph.create([0, 3])).toThrow(ArgumentError);
    expect(() => g.layer(42)).toThrow(/Unknown layer id 42/);
  });

  it('detects dangling nodes and cycles in validate()', () => {
    const g = Graph.create([4]);
    const a = g.addLayer({ kind: 'dense', units: 3 }, g.input);
    g.addLayer({ kind: 'dense', units: 2 }, g.input); // dangling branch
    g.setOutput(a);
    expect(() => g.validate()).toThrow(/Dangling nodes/);

    const h = Graph.create([4]);
    const x = h.addLayer({ kind: 'relu' }, h.input);
    const y = h.addLayer({ kind: 'relu' }, x);
    h.setOutput(y);
    h.rewire(h.producer(x)!.id, h.input, h.input); // no-op rewire is fine
    expect(() => h.rewire(h.producer(x)!.id, h.input, y)).toThrow(/cycle/);
    expect(h.producer(x)!.inputs).toEqual([h.input]); // rolled back
    expect(() => h.validate()).not.toThrow();
  });

  it('replaceLayer re-infers shapes downstream and rolls back on a mismatch', () => {
    const g = Graph.create([8]);
    const a = g.addLayer({ kind: 'dense', units: 4 }, g.input);
    const b = g.addLayer({ kind: 'relu' }, a);
    const c = g.addLayer({ kind: 'dense', units: 2 }, b);
    g.setOutput(c);
    g.replaceLayer(g.producer(a)!.id, { kind: 'dense', units: 6 });
    expect(g.nodeShape(b)).toEqual([6]);
    expect(() => g.replaceLayer(g.producer(a)!.id, { kind: 'dense', units: -1 })).toThrow(GraphError);
    expect(g.nodeShape(b)).toEqual([6]);
  });
});

describe('Graph copies, descriptor, JSON', () => {
  it('clone is deep: changing the copy leaves the original', () => {
    const g = smallMlp();
    g.setWeights(1, { kernel: { shape: [16, 8], data: new Float32Array(128).fill(1) }, bias: { shape: [8], data: new Float32Array(8) } });
    const c = g.clone();
    (c.layer(1) as { weights?: { kernel: { data: Float32Array } } }).weights!.kernel.data[0] = 5;
    expect((g.layer(1) as { weights?: { kernel: { data: Float32Array } } }).weights!.kernel.data[0]).toBe(1);
    expect(c.clone(false).hasWeights()).toBe(false);
  });

  it('describes the main chain (first inputs) and the skips on it', () => {
    const g = smallCnn();
    const d = describeGraph(g);
    expect(d.layers.map((l) => l.kind)).toEqual([
      'conv', 'batchnorm', 'relu', 'conv', 'relu', 'add', 'maxpool', 'concatenate', 'avgpool',
      'globalavgpool', 'dropout', 'dense', 'relu', 'dense', 'softmax',
    ]);
    // add at chain layer 5 merges node 3 (after the first relu); concatenate (layer 7) has the
    // main branch first, so its skip is the 1x1 conv branch leaving node 7.
    expect(d.skips).toEqual([{ u: 3, v: 5, type: 'add' }, { u: 7, v: 7, type: 'concat' }]);
    expect(d.layers.every((l) => !('weights' in l))).toBe(true);
  });

  it('round-trips through JSON, every layer kind included', () => {
    const g = smallCnn();
    // The text layers (embedding, globalmaxpool) need a token-id input: a second graph carries them.
    const text = Graph.create([6]);
    const e = text.addLayer({ kind: 'embedding', inputDim: 9, outputDim: 3 }, text.input);
    text.setOutput(text.addLayer({ kind: 'dense', units: 2 }, text.addLayer({ kind: 'globalmaxpool' }, e)));
    text.setWeights(0, { embeddings: { shape: [9, 3], data: new Float32Array(27).map((_, i) => i / 7) } });
    expect(new Set([...g.layers, ...text.layers].map((l) => l.kind))).toEqual(new Set(LAYER_KINDS.filter((k) => k !== 'flatten' && k !== 'sigmoid')));
    for (const graph of [g, text]) {
      const back = graphFromJSON(JSON.parse(JSON.stringify(graphToJSON(graph))));
      expect(graphToJSON(back)).toEqual(graphToJSON(graph));
    }
    const mlp = smallMlp();
    expect(graphToJSON(graphFromJSON(graphToJSON(mlp)))).toEqual(graphToJSON(mlp));
  });

  it('rejects unknown versions and malformed documents with clear errors', () => {
    const doc = graphToJSON(smallMlp());
    expect(() => graphFromJSON({ ...doc, version: 99 })).toThrow(/Unsupported graph format version 99/);
    expect(() => graphFromJSON({ ...doc, format: 'x' })).toThrow(/Not a graph document/);
    expect(() => graphFromJSON(null)).toThrow(GraphError);
    expect(() => graphFromJSON({ ...doc, layers: [{ ...doc.layers[0], kind: 'lstm' }] })).toThrow(/kind "lstm" is not one of/);
    expect(() => graphFromJSON({ ...doc, layers: doc.layers.slice(1) })).toThrow(/reads node 1, which no layer writes/);
    const bad = JSON.parse(JSON.stringify(doc));
    bad.layers[1].units = 0;
    expect(() => graphFromJSON(bad)).toThrow(/units/);
  });
});
