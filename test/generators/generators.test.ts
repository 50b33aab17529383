import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/compile';
import { graphFromJSON, graphToJSON } from '../../src/graph';
import { ArgumentError } from '../../src/errors';
import { CnnGenerator, DenseNetGenerator, MlpGenerator, ResNetGenerator, defaultGenerators } from '../../src/generators';
import type { GraphGenerator } from '../../src/generators';
import { GraphMorpher, structureKey } from '../../src/morph';
import { Rng } from '../../src/util/rng';
import { compare, withWeights } from '../morph/oracle';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const imageGenerators: GraphGenerator[] = [new CnnGenerator(), new ResNetGenerator(), new DenseNetGenerator()];

describe.each(imageGenerators.map((g) => [g.name, g] as const))('%s generator', (_name, gen) => {
  it.each([
    [[28, 28, 1], 10],
    [[32, 32, 3], 10],
    [[16, 2], 3],
    [[6, 6, 6, 1], 2],
    [[3, 3, 1], 2],
    [[1, 1, 4], 2],
  ])('builds a valid, small network for input %j and %i outputs', (shape, outputs) => {
    const base = tf.memory().numTensors;
    const g = gen.generate(shape, outputs, 'softmax');
    g.validate();
    expect(g.inputShape).toEqual(shape);
    expect(g.outputShape).toEqual([outputs]);
    expect(g.hasWeights()).toBe(g.layers.every((l) => !['conv', 'dense', 'batchnorm'].includes(l.kind)));
    expect(g.layer(g.mainChain().layers.at(-1)!.id).kind).toBe('softmax');
    expect(g.paramCount()).toBeLessThan(shape.length === 3 ? 200_000 : 600_000);
    const model = compileGraph(g);
    expect(model.countParams()).toBe(g.paramCount());
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('runs its main chain through the convs (the longer branch is every merge\'s first input)', () => {
    const g = gen.generate([28, 28, 1], 10, 'linear');
    const chainConvs = g.mainChain().layers.filter((l) => l.kind === 'conv' && l.kernelSize === 3).length;
    const allConvs3 = g.layers.filter((l) => l.kind === 'conv' && l.kernelSize === 3).length;
    expect(chainConvs).toBe(allConvs3);
    expect(g.mainChain().layers.at(-1)!.kind).toBe('dense');
  });

  it('is deterministic and its children preserve the function (default sizes, 12x12x1)', () => {
    const base = tf.memory().numTensors;
    expect(structureKey(gen.generate([12, 12, 1], 4, 'linear'))).toBe(structureKey(gen.generate([12, 12, 1], 4, 'linear')));
    const parent = withWeights(gen.generate([12, 12, 1], 4, 'linear'), 2);
    const kids = new GraphMorpher().neighbours(parent, new Rng(9), 4);
    expect(kids.length).toBe(4);
    for (const k of kids) expect(compare(parent, k.graph)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('sizes at 28x28x1, 10 classes', () => {
  it('match the documented counts and stay well under 1M parameters', () => {
    // bn(1) 4 + conv 3x3x1x32+32 + 2 x [bn(32) 128 + conv 3x3x32x32+32] + dense 32x64+64 + dense 64x10+10.
    expect(new CnnGenerator().generate([28, 28, 1], 10).paramCount()).toBe(4 + 320 + 2 * (128 + 9248) + 2112 + 650);
    expect(new CnnGenerator({ filters: 64 }).generate([28, 28, 1], 10).paramCount()).toBe(79822); // Auto-Keras 0.3's width
    expect(new ResNetGenerator().generate([28, 28, 1], 10).paramCount()).toBeLessThan(100_000);
    expect(new DenseNetGenerator().generate([28, 28, 1], 10).paramCount()).toBeLessThan(60_000);
  });

  it('CNN follows docs/algorithms.md section 5 layer by layer, without a relu on the standardised input', () => {
    const kinds = new CnnGenerator().generate([28, 28, 1], 10).mainChain().layers.map((l) => l.kind);
    const block = ['relu', 'batchnorm', 'conv', 'maxpool'];
    expect(kinds).toEqual([...block.slice(1), ...block, ...block, 'globalavgpool', 'dropout', 'dense', 'relu', 'dense', 'softmax']);
    const literal = new CnnGenerator({ inputRelu: true }).generate([28, 28, 1], 10).mainChain().layers.map((l) => l.kind);
    expect(literal).toEqual([...block, ...block, ...block, 'globalavgpool', 'dropout', 'dense', 'relu', 'dense', 'softmax']);
  });
});

describe('MlpGenerator', () => {
  it('builds dense layers for vectors (flatten first otherwise), with a linear or softmax head', () => {
    const g = new MlpGenerator().generate([20], 3, 'softmax');
    expect(g.paramCount()).toBe(21 * 64 + 2 * 65 * 64 + 65 * 3);
    expect(g.mainChain().layers.map((l) => l.kind)).toEqual(['dense', 'relu', 'dropout', 'dense', 'relu', 'dropout', 'dense', 'relu', 'dropout', 'dense', 'softmax']);
    const r = new MlpGenerator({ layers: 1 }).generate([4, 4, 1], 1, 'linear');
    expect(r.mainChain().layers.map((l) => l.kind)).toEqual(['flatten', 'dense', 'relu', 'dropout', 'dense']);
  });
});

describe('defaultGenerators', () => {
  it('picks the MLP for vectors and CNN, ResNet, DenseNet for 1D/2D/3D inputs', () => {
    expect(defaultGenerators([20]).map((g) => g.name)).toEqual(['mlp']);
    for (const s of [[16, 2], [28, 28, 1], [8, 8, 8, 1]]) expect(defaultGenerators(s).map((g) => g.name)).toEqual(['cnn', 'resnet', 'densenet']);
  });

  it('rejects bad shapes, outputs, heads and options with ArgumentErrors naming the argument', () => {
    expect(() => defaultGenerators([])).toThrow(ArgumentError);
    expect(() => defaultGenerators([28, 0, 1])).toThrow(/inputShape/);
    expect(() => new CnnGenerator().generate([20], 3)).toThrow(/inputShape.*2 to 4/);
    expect(() => new ResNetGenerator().generate([8, 8, 1], 0)).toThrow(/numOutputs/);
    expect(() => new DenseNetGenerator().generate([8, 8, 1], 2, 'tanh' as 'linear')).toThrow(/head/);
    // Multi-label: a sigmoid per output, round-tripped through JSON.
    const multi = new MlpGenerator().generate([4], 3, 'sigmoid');
    expect(multi.layers.find((l) => l.output === multi.output)!.kind).toBe('sigmoid');
    const model = compileGraph(multi);
    const probs = tf.tidy(() => model.predict(tf.ones([2, 4])) as tf.Tensor);
    expect((probs.arraySync() as number[][]).flat().every((p) => p > 0 && p < 1)).toBe(true);
    probs.dispose();
    model.dispose();
    expect(graphToJSON(graphFromJSON(JSON.parse(JSON.stringify(graphToJSON(multi)))))).toEqual(graphToJSON(multi));
    expect(() => new MlpGenerator({ units: 0 })).toThrow(/units/);
    expect(() => new CnnGenerator({ dropout: 1 })).toThrow(/dropout/);
    expect(() => new CnnGenerator({ inputRelu: 'yes' as unknown as boolean })).toThrow(/inputRelu.*boolean.*yes/);
    expect(() => new ResNetGenerator({ stages: 1.5 })).toThrow(/stages/);
    expect(() => new DenseNetGenerator({ growth: -1 })).toThrow(ArgumentError);
  });
});
