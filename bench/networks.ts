import * as tf from '@tensorflow/tfjs';
import { Graph } from '../src/graph';
import type { LayerSpec } from '../src/graph';
import { BagOfWordsGenerator, TextCnnGenerator } from '../src/generators/text';

/**
 * The reference networks of ../shared/bench/torch_reference.py as Graphs (28x28x1 inputs, 10 classes).
 * The softmax at the end stands in for PyTorch's CrossEntropyLoss on logits.
 */
const conv3 = (filters: number): LayerSpec => ({ kind: 'conv', rank: 2, filters, kernelSize: 3, strides: 1, padding: 'same' });
const pool2: LayerSpec = { kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' };
const bn: LayerSpec = { kind: 'batchnorm', epsilon: 1e-5, momentum: 0.9 };
const relu: LayerSpec = { kind: 'relu' };

function chain(specs: LayerSpec[]): Graph {
  const g = Graph.create([28, 28, 1]);
  let x = g.input;
  for (const spec of specs) x = g.addLayer(spec, x);
  g.setOutput(x);
  return g;
}

/** conv3x3(32)+relu, batchnorm, maxpool2, conv3x3(64)+relu, maxpool2, flatten, dense(10). */
export function smallCnnNet(): Graph {
  return chain([conv3(32), relu, bn, pool2, conv3(64), relu, pool2, { kind: 'flatten' }, { kind: 'dense', units: 10 }, { kind: 'softmax' }]);
}

/** 3 x [conv3x3(64) + batchnorm + relu + maxpool2], global-avg-pool, dense(10). */
export function akCnnNet(): Graph {
  const block = [conv3(64), bn, relu, pool2];
  return chain([...block, ...block, ...block, { kind: 'globalavgpool' }, { kind: 'dense', units: 10 }, { kind: 'softmax' }]);
}

/** flatten, dense(256)+relu, dropout(0.25), dense(256)+relu, dense(10). */
export function mlpNet(): Graph {
  return chain([{ kind: 'flatten' }, { kind: 'dense', units: 256 }, relu, { kind: 'dropout', rate: 0.25 },
    { kind: 'dense', units: 256 }, relu, { kind: 'dense', units: 10 }, { kind: 'softmax' }]);
}

/** Vocabulary (ids, padding and out-of-vocabulary included) and sequence length of the text networks (bench/torch_text.py's defaults). */
export const TEXT_VOCABULARY = 5000;
export const TEXT_LENGTH = 64;

/** TextCnnGenerator's default graph for {@link TEXT_VOCABULARY} ids, sequences of {@link TEXT_LENGTH}, 2 classes. */
export function textCnnNet(): Graph {
  return new TextCnnGenerator({ vocabularySize: TEXT_VOCABULARY }).generate([TEXT_LENGTH], 2, 'softmax');
}

/** BagOfWordsGenerator's default graph for {@link TEXT_VOCABULARY} ids, sequences of {@link TEXT_LENGTH}, 2 classes. */
export function bagOfWordsNet(): Graph {
  return new BagOfWordsGenerator({ vocabularySize: TEXT_VOCABULARY }).generate([TEXT_LENGTH], 2, 'softmax');
}

/** A benchmark network: its graph, random inputs of `n` samples, its class count and the PyTorch script that trains its twin. */
export interface BenchNetwork {
  graph(): Graph;
  /** `n` random inputs, seeded: images N(0, 1), or token ids as float32 (what the compiled model reads). */
  inputs(n: number, seed: number): tf.Tensor;
  classes: number;
  /** The PyTorch reference: `image` = ../shared/bench/torch_reference.py, `text` = bench/torch_text.py. */
  reference: 'image' | 'text';
}

const image = (graph: () => Graph): BenchNetwork => ({
  graph, classes: 10, reference: 'image', inputs: (n, seed) => tf.randomNormal([n, 28, 28, 1], 0, 1, 'float32', seed),
});
const text = (graph: () => Graph): BenchNetwork => ({
  graph, classes: 2, reference: 'text',
  inputs: (n, seed) => tf.tidy(() => tf.cast(tf.randomUniform([n, TEXT_LENGTH], 0, TEXT_VOCABULARY, 'int32', seed), 'float32')),
});

/** The networks by the names torch_reference.py and torch_text.py print. */
export const NETWORKS: Record<string, BenchNetwork> = {
  'small-cnn': image(smallCnnNet), 'ak-cnn': image(akCnnNet), mlp: image(mlpNet),
  'text-cnn': text(textCnnNet), 'bag-of-words': text(bagOfWordsNet),
};
