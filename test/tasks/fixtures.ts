import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Graph } from '../../src/graph';
import type { GraphGenerator, Head } from '../../src/generators';
import { Rng } from '../../src/util/rng';

/** A tiny CNN generator so that contract tests train in well under a second per epoch on cpu. */
export const tinyCnn: GraphGenerator = {
  name: 'tiny-cnn',
  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const g = Graph.create(inputShape);
    let x = g.addLayer({ kind: 'conv', rank: 2, filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, g.input);
    x = g.addLayer({ kind: 'relu' }, x);
    x = g.addLayer({ kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' }, x);
    return denseHead(g, x, 8, numOutputs, head);
  },
};

/** Flatten, dense(`units`), relu, dense(`numOutputs`) and the head's activation after node `x`; marks the output. */
export function denseHead(g: Graph, x: number, units: number, numOutputs: number, head: Head): Graph {
  let y = g.addLayer({ kind: 'flatten' }, x);
  y = g.addLayer({ kind: 'dense', units }, y);
  y = g.addLayer({ kind: 'relu' }, y);
  y = g.addLayer({ kind: 'dense', units: numOutputs }, y);
  if (head === 'softmax' || head === 'sigmoid') y = g.addLayer({ kind: head }, y);
  g.setOutput(y);
  return g;
}

/** A tiny MLP generator: a second initial architecture that errs differently from {@link tinyCnn}. */
export const tinyMlp: GraphGenerator = {
  name: 'tiny-mlp',
  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const g = Graph.create(inputShape);
    return denseHead(g, g.input, 6, numOutputs, head);
  },
};

/** 8x8 uint8-range images of three learnable patterns, with string labels and a numeric target. */
export function patterns(n: number, seed: number): { x: number[][][]; labels: string[]; target: number[] } {
  const rng = new Rng(seed);
  const x: number[][][] = [];
  const labels: string[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(3);
    x.push(Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, k) =>
      (c === 0 ? (r < 4 ? 200 : 20) : c === 1 ? (k < 4 ? 200 : 20) : 90) + rng.int(40))));
    labels.push(['top', 'left', 'flat'][c]!);
    target.push(c * 1.5 + 0.5);
  }
  return { x, labels, target };
}

/** What a user with only @tensorflow/tfjs does: read the two files, tf.loadLayersModel from memory. */
export async function plainLoad(dir: string): Promise<tf.LayersModel> {
  const doc = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const bytes = await fs.readFile(path.join(dir, doc.weightsManifest[0].paths[0]));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: doc.modelTopology, weightSpecs: doc.weightsManifest[0].weights, weightData }));
}
