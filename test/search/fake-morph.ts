import { Graph } from '../../src/graph';
import type { LayerSpec } from '../../src/graph';
import type { MorphOp } from '../../src/morph/ops';
import type { MorphChild, NeighbourFn } from '../../src/search/types';
import type { Rng } from '../../src/util/rng';

/** Structure-only morphs for tests (no weights): enough to grow a search tree without the GraphMorpher. */

export const conv = (filters: number, kernelSize = 3, strides = 1): LayerSpec =>
  ({ kind: 'conv', rank: 2, filters, kernelSize, strides, padding: 'same' });

/** conv(8) relu maxpool conv(8) relu gap dense(16) relu dense(3) softmax on 8x8x1. */
export function baseCnn(): Graph {
  const g = Graph.create([8, 8, 1]);
  let x = g.addLayer(conv(8), g.input);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' }, x);
  x = g.addLayer(conv(8), x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'globalavgpool' }, x);
  x = g.addLayer({ kind: 'dense', units: 16 }, x);
  x = g.addLayer({ kind: 'relu' }, x);
  x = g.addLayer({ kind: 'dense', units: 3 }, x);
  x = g.addLayer({ kind: 'softmax' }, x);
  g.setOutput(x);
  return g;
}

/** Inserts `spec` after main-chain layer `layerId` (its consumers now read the new layer). */
export function insertAfter(g: Graph, layerId: number, spec: LayerSpec): void {
  const x = g.layer(layerId).output;
  const consumers = g.consumers(x);
  const y = g.addLayer(spec, x);
  for (const c of consumers) g.rewire(c.id, x, y);
  if (g.output === x) g.setOutput(y);
}

/** Adds `add(out(to), out(from))` after main-chain layer `to`. */
export function addSkip(g: Graph, from: number, to: number): void {
  const a = g.layer(from).output;
  const b = g.layer(to).output;
  const consumers = g.consumers(b);
  const y = g.addLayer({ kind: 'add' }, [b, a]);
  for (const c of consumers) g.rewire(c.id, b, y);
}

function tryOp(parent: Graph, op: MorphOp, apply: (g: Graph) => void): MorphChild | null {
  const g = parent.clone(false);
  try {
    apply(g); // addLayer / rewire / replaceLayer re-infer shapes and throw on a mismatch
    return { graph: g, op };
  } catch {
    return null;
  }
}

function randomOp(graph: Graph, rng: Rng): MorphChild | null {
  const chain = graph.mainChain().layers;
  const gap = chain.findIndex((l) => l.kind === 'globalavgpool');
  const r = rng.int(4);
  const seed = rng.seed();
  if (r === 0) {
    const at = chain[rng.int(gap)]!;
    const spec = rng.choice<LayerSpec>([conv(graph.nodeShape(at.output).at(-1)!), { kind: 'relu' }, { kind: 'batchnorm', epsilon: 1e-3, momentum: 0.99 }]);
    return tryOp(graph, { type: 'deeper', layer: at.id, spec, seed }, (g) => insertAfter(g, at.id, spec));
  }
  if (r === 1) {
    const weighted = chain.slice(0, -2).filter((l) => l.kind === 'conv' || l.kind === 'dense');
    const at = rng.choice(weighted) as LayerSpec & { id: number };
    const width = at.kind === 'conv' ? at.filters : at.kind === 'dense' ? at.units : 0;
    const spec = at.kind === 'conv' ? { ...at, filters: 2 * width } : { ...at, units: 2 * width };
    return tryOp(graph, { type: 'wider', layer: at.id, n: width, seed }, (g) => g.replaceLayer(at.id, spec as LayerSpec));
  }
  const a = rng.int(gap);
  const b = a + 1 + rng.int(Math.max(1, gap - a - 1));
  const from = chain[a]!.id;
  const to = chain[Math.min(b, gap - 1)]!.id;
  const [sa, sb] = [graph.nodeShape(chain[a]!.output), graph.nodeShape(chain[Math.min(b, gap - 1)]!.output)];
  if (from === to || sa.join() !== sb.join()) return null;
  return tryOp(graph, { type: 'addSkip', from, to, seed }, (g) => addSkip(g, from, to));
}

/** Up to `n` distinct-op children from 2n attempts (deeper / wider / add-skip). */
export function fakeNeighbours(n = 8): NeighbourFn {
  return (graph, rng) => {
    const out: MorphChild[] = [];
    for (let i = 0; i < 2 * n && out.length < n; i++) {
      const child = randomOp(graph, rng);
      if (child) out.push(child);
    }
    return out;
  };
}

/** Applies `steps` random ops in a row (a hidden target, a random architecture). */
export function randomArchitecture(rng: Rng, steps: number, start: Graph = baseCnn()): Graph {
  let g = start;
  const next = fakeNeighbours(1);
  for (let s = 0; s < steps; s++) g = next(g, rng)[0]?.graph ?? g;
  return g;
}
