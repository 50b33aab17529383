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
    x = g.addLayer({ kind: 'flatten' }, x);
    x = g.addLayer({ kind: 'dense', units: 8 }, x);
    x = g.addLayer({ kind: 'relu' }, x);
    x = g.addLayer({ kind: 'dense', units: numOutputs }, x);
    if (head === 'softmax' || head === 'sigmoid') x = g.addLayer({ kind: head }, x);
    g.setOutput(x);
    return g;
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
