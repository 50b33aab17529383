import { GraphError } from '../errors';
import type { LayerKind, LayerSpec, Padding, PoolSpec } from './layers';
import { shapeSize } from './layers';

/**
 * What the IR knows about each layer kind: how many inputs it takes, its output shape, its weight
 * shapes and parameter count. A registry keyed by kind (tfjs-layers' habit), not an if-chain.
 */
export interface LayerRule<S extends LayerSpec = LayerSpec> {
  /** `1` for single-input layers, `'many'` for add / concatenate (at least 2 inputs). */
  arity: 1 | 'many';
  /** Output shape from input shapes; throws GraphError naming the problem. */
  outputShape(spec: S, inputs: number[][]): number[];
  /** Shapes of the weights, by name (empty for layers without weights). */
  weightShapes(spec: S, inputs: number[][]): Record<string, number[]>;
}

function extent(d: number, k: number, s: number, padding: Padding): number {
  return padding === 'same' ? Math.ceil(d / s) : Math.floor((d - k) / s) + 1;
}

function spatial(spec: { kind: string; rank: number; kernelSize?: number; poolSize?: number; strides: number; padding: Padding }, input: number[]): number[] {
  const k = spec.kernelSize ?? spec.poolSize ?? 1;
  if (input.length !== spec.rank + 1) {
    throw new GraphError(`A ${spec.rank}D ${spec.kind} expects an input of rank ${spec.rank + 1} (spatial axes then channels); received shape [${input.join(', ')}]`);
  }
  const out = input.slice(0, spec.rank).map((d) => {
    if (spec.padding === 'valid' && k > d) {
      throw new GraphError(`${spec.kind} kernel ${k} exceeds its input extent ${d} (padding 'valid'); input shape [${input.join(', ')}]`);
    }
    return extent(d, k, spec.strides, spec.padding);
  });
  if (out.some((d) => d < 1)) throw new GraphError(`${spec.kind} produces an empty output from input [${input.join(', ')}]`);
  return out;
}

function positive(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new GraphError(`Layer field \`${name}\` must be a positive integer; received ${v}`);
}

function one(inputs: number[][]): number[] {
  return inputs[0]!;
}

const sameShape: LayerRule = { arity: 1, outputShape: (_s, i) => one(i).slice(), weightShapes: () => ({}) };

export const LAYER_RULES: { [K in LayerKind]: LayerRule<LayerSpec & { kind: K }> } = {
  conv: {
    arity: 1,
    outputShape(spec, inputs) {
      positive('filters', spec.filters); positive('kernelSize', spec.kernelSize); positive('strides', spec.strides);
      return [...spatial(spec, one(inputs)), spec.filters];
    },
    weightShapes(spec, inputs) {
      const inC = one(inputs)[one(inputs).length - 1]!;
      return { kernel: [...Array(spec.rank).fill(spec.kernelSize), inC, spec.filters], bias: [spec.filters] };
    },
  },
  maxpool: {
    arity: 1,
    outputShape(spec, inputs) {
      positive('poolSize', spec.poolSize); positive('strides', spec.strides);
      const input = one(inputs);
      return [...spatial(spec, input), input[input.length - 1]!];
    },
    weightShapes: () => ({}),
  },
  avgpool: {
    arity: 1,
    outputShape: (spec, inputs) => LAYER_RULES.maxpool.outputShape({ ...spec, kind: 'maxpool' } as PoolSpec & { kind: 'maxpool' }, inputs),
    weightShapes: () => ({}),
  },
  batchnorm: {
    arity: 1,
    outputShape: (_s, i) => one(i).slice(),
    weightShapes(_s, inputs) {
      const c = one(inputs)[one(inputs).length - 1]!;
      return { gamma: [c], beta: [c], movingMean: [c], movingVariance: [c] };
    },
  },
  dense: {
    arity: 1,
    outputShape(spec, inputs) {
      positive('units', spec.units);
      if (one(inputs).length !== 1) throw new GraphError(`dense expects a vector input [features]; received shape [${one(inputs).join(', ')}] (add a flatten or globalavgpool first)`);
      return [spec.units];
    },
    weightShapes: (spec, inputs) => ({ kernel: [one(inputs)[0]!, spec.units], bias: [spec.units] }),
  },
  dropout: {
    arity: 1,
    outputShape(spec, inputs) {
      if (!(spec.rate >= 0 && spec.rate < 1)) throw new GraphError(`dropout rate must be in [0, 1); received ${spec.rate}`);
      return one(inputs).slice();
    },
    weightShapes: () => ({}),
  },
  relu: sameShape,
  softmax: sameShape,
  sigmoid: sameShape,
  globalavgpool: {
    arity: 1,
    outputShape(_s, inputs) {
      const s = one(inputs);
      if (s.length < 2) throw new GraphError(`globalavgpool expects spatial axes then channels; received shape [${s.join(', ')}]`);
      return [s[s.length - 1]!];
    },
    weightShapes: () => ({}),
  },
  globalmaxpool: {
    arity: 1,
    outputShape(_s, inputs) {
      const s = one(inputs);
      if (s.length < 2) throw new GraphError(`globalmaxpool expects spatial axes then channels; received shape [${s.join(', ')}]`);
      return [s[s.length - 1]!];
    },
    weightShapes: () => ({}),
  },
  embedding: {
    arity: 1,
    outputShape(spec, inputs) {
      positive('inputDim', spec.inputDim); positive('outputDim', spec.outputDim);
      if (one(inputs).length !== 1) throw new GraphError(`embedding expects a sequence of token ids [length]; received shape [${one(inputs).join(', ')}]`);
      return [one(inputs)[0]!, spec.outputDim];
    },
    weightShapes: (spec) => ({ embeddings: [spec.inputDim, spec.outputDim] }),
  },
  flatten: { arity: 1, outputShape: (_s, i) => [shapeSize(one(i))], weightShapes: () => ({}) },
  add: {
    arity: 'many',
    outputShape(_s, inputs) {
      const first = inputs[0]!;
      for (const s of inputs) {
        if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
          throw new GraphError(`add needs inputs of equal shapes; received ${inputs.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
        }
      }
      return first.slice();
    },
    weightShapes: () => ({}),
  },
  concatenate: {
    arity: 'many',
    outputShape(_s, inputs) {
      const first = inputs[0]!;
      let channels = 0;
      for (const s of inputs) {
        if (s.length !== first.length || s.slice(0, -1).some((d, i) => d !== first[i])) {
          throw new GraphError(`concatenate needs inputs equal in all but the last axis; received ${inputs.map((x) => `[${x.join(', ')}]`).join(' and ')}`);
        }
        channels += s[s.length - 1]!;
      }
      return [...first.slice(0, -1), channels];
    },
    weightShapes: () => ({}),
  },
};

/** The rule of a spec's kind; throws GraphError for an unknown kind. */
export function ruleOf(spec: LayerSpec): LayerRule {
  const rule = (LAYER_RULES as Record<string, LayerRule | undefined>)[spec.kind];
  if (!rule) throw new GraphError(`Unknown layer kind ${JSON.stringify(spec.kind)}; expected one of ${Object.keys(LAYER_RULES).join(', ')}`);
  return rule;
}

/**
 * Multiply-accumulates of one forward pass of a layer for one sample: conv `out_elements * k^d * in_channels`,
 * dense `in * out`, every other kind 0 (an embedding is a lookup).
 */
export function layerMacCount(spec: LayerSpec, inputs: number[][]): number {
  if (spec.kind === 'conv') {
    const input = inputs[0]!;
    return shapeSize(LAYER_RULES.conv.outputShape(spec, inputs)) * spec.kernelSize ** spec.rank * input[input.length - 1]!;
  }
  return spec.kind === 'dense' ? inputs[0]![0]! * spec.units : 0;
}

/** Number of parameters of a layer (conv `(in*k^d + 1)*filters`, dense `in*out + out`, batchnorm `4*features`, embedding `inputDim*outputDim`). */
export function layerParamCount(spec: LayerSpec, inputs: number[][]): number {
  const shapes = ruleOf(spec).weightShapes(spec, inputs);
  return Object.values(shapes).reduce((sum, s) => sum + shapeSize(s), 0);
}
