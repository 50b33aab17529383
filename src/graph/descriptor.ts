import type { Graph } from './graph';
import type { LayerSpec } from './layers';
import { isMerge, specOf } from './layers';

/** A skip connection on the main chain: it leaves main-chain node `u` and merges at main-chain layer `v` (`u <= v`). */
export interface SkipConnection {
  u: number;
  v: number;
  type: 'add' | 'concat';
}

/**
 * What the edit-distance kernel compares (docs/algorithms.md section 1): the main chain's layer specs in
 * order (without weights) and the skip connections by their positions on it.
 *
 * Positions: main-chain node `i` is the input of main-chain layer `i`. A skip `(u, v)` branches from
 * node `u` and is merged by layer `v`, so its span is `v - u`.
 */
export interface Descriptor {
  layers: LayerSpec[];
  skips: SkipConnection[];
}

/**
 * The descriptor of a graph. Each non-first input of a main-chain merge layer is followed back (first
 * inputs) until it reaches a main-chain node; that node's position is the skip's start.
 *
 * @example
 * ```ts
 * const d = describeGraph(graph); // { layers: [{kind:'conv',...}, ...], skips: [{u: 2, v: 6, type: 'add'}] }
 * ```
 */
export function describeGraph(graph: Graph): Descriptor {
  const { nodes, layers } = graph.mainChain();
  const position = new Map<number, number>(nodes.map((n, i) => [n, i]));
  const skips: SkipConnection[] = [];
  layers.forEach((layer, v) => {
    if (!isMerge(layer)) return;
    for (const start of layer.inputs.slice(1)) {
      let node = start;
      while (!position.has(node)) {
        const p = graph.producer(node);
        if (!p) break;
        node = p.inputs[0]!;
      }
      const u = position.get(node);
      if (u !== undefined) skips.push({ u, v, type: layer.kind === 'add' ? 'add' : 'concat' });
    }
  });
  return { layers: layers.map((l) => specOf(l, true)), skips };
}
