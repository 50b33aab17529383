/**
 * Search overhead (issue 5): how long the Bayesian machinery takes, without any training.
 *
 * 1. Edit-distance kernel matrix of 300 architectures of ~30 layers (embedding fit + 300 x 300 RBF),
 *    cold (descriptors not cached yet). Target < 1 s.
 * 2. One BayesianSearcher.propose() with 100 observed trials (GP fit + tree search with the real
 *    GraphMorpher as neighbour function), then one more after a 101st observation (incremental GP
 *    update). Target < 2 s.
 *
 * Run: npm run bench:search-overhead
 */
import { Graph } from '../src/graph';
import type { LayerSpec } from '../src/graph';
import { EditDistanceKernel } from '../src/kernel';
import { GraphMorpher } from '../src/morph';
import { BayesianSearcher } from '../src/search';
import type { NeighbourFn } from '../src/search';
import { Rng } from '../src/util/rng';

const conv = (filters: number, kernelSize: number): LayerSpec => ({ kind: 'conv', rank: 2, filters, kernelSize, strides: 1, padding: 'same' });

/** A random CNN of about 30 layers: 3 blocks of 2-3 [conv, batchnorm, relu] with an optional add skip, maxpool; head. */
function randomCnn(rng: Rng): Graph {
  const g = Graph.create([32, 32, 3]);
  let x = g.input;
  for (let block = 0; block < 3; block++) {
    const filters = rng.choice([16, 32, 64, 128]);
    const start = g.addLayer(conv(filters, 3), x);
    x = start;
    for (let i = 0, n = 2 + rng.int(2); i < n; i++) {
      x = g.addLayer(conv(filters, rng.choice([1, 3, 5])), x);
      x = g.addLayer({ kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }, x);
      x = g.addLayer({ kind: 'relu' }, x);
    }
    if (rng.next() < 0.5) x = g.addLayer({ kind: 'add' }, [x, start]);
    x = g.addLayer({ kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' }, x);
  }
  x = g.addLayer({ kind: 'globalavgpool' }, x);
  x = g.addLayer({ kind: 'dense', units: rng.choice([64, 128]) }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'dense', units: 10 }, x);
  x = g.addLayer({ kind: 'softmax' }, x);
  g.setOutput(x);
  return g;
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

function kernelMatrix(n: number): void {
  const rng = new Rng(1);
  const graphs = Array.from({ length: n }, () => randomCnn(rng));
  const layers = graphs.reduce((s, g) => s + g.mainChain().layers.length, 0) / n;
  const t0 = performance.now();
  const kernel = new EditDistanceKernel({ rng });
  kernel.fit(graphs);
  const K = kernel.matrix(graphs);
  const t = seconds(t0);
  console.log(`kernel matrix: ${n} architectures (mean main chain ${layers.toFixed(1)} layers), ${K.length}x${K[0]!.length}: ${t.toFixed(3)} s (target < 1 s)`);
}

async function propose(observations: number): Promise<void> {
  const rng = new Rng(2);
  const morpher = new GraphMorpher();
  let neighbourTime = 0;
  const neighbours: NeighbourFn = (g, r) => {
    const t0 = performance.now();
    const out = morpher.neighbours(g, r);
    neighbourTime += performance.now() - t0;
    return out;
  };
  const searcher = new BayesianSearcher({ initialGraphs: [], neighbours, direction: 'max', rng });
  for (let id = 0; id < observations; id++) {
    const graph = randomCnn(rng);
    searcher.observe({ id, graph, metric: 0.5 + 0.4 * rng.next(), parentId: null, ops: [], status: 'ok' });
  }
  for (const label of ['first (full GP fit)', 'next (incremental update)']) {
    neighbourTime = 0;
    const t0 = performance.now();
    const p = await searcher.propose();
    const t = seconds(t0);
    console.log(`propose() with ${observations + (label.startsWith('next') ? 1 : 0)} observations, ${label}: ${t.toFixed(3)} s ` +
      `(of which neighbour function ${(neighbourTime / 1000).toFixed(3)} s; ${p.ops.length} ops from trial ${p.parentId}) (target < 2 s)`);
    searcher.observe({ id: observations, graph: p.graph, metric: 0.7, parentId: p.parentId, ops: p.ops, status: 'ok' });
  }
}

/** Machine speed for comparing figures across machines: ns per cell of a plain 30 x 30 unit-cost Levenshtein DP. */
function calibrate(): number {
  const n = 30;
  const a = Int32Array.from({ length: n }, (_, i) => i % 7);
  const b = Int32Array.from({ length: n }, (_, i) => (i * 3) % 7);
  let prev = new Float64Array(n + 1);
  let cur = new Float64Array(n + 1);
  let sink = 0;
  const reps = 20000;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    for (let j = 0; j <= n; j++) prev[j] = j;
    for (let i = 0; i < n; i++) {
      cur[0] = i + 1;
      for (let j = 0; j < n; j++) cur[j + 1] = Math.min(prev[j]! + (a[i] === b[j] ? 0 : 1), prev[j + 1]! + 1, cur[j]! + 1);
      [prev, cur] = [cur, prev];
    }
    sink += prev[n]!;
  }
  return sink > 0 ? ((performance.now() - t0) * 1e6) / (reps * n * n) : NaN;
}

async function main(): Promise<void> {
  console.log(`search overhead, node ${process.version}; machine: plain Levenshtein DP ${calibrate().toFixed(1)} ns/cell`);
  kernelMatrix(300);
  await propose(100);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
