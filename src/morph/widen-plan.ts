import type { Graph } from '../graph/graph';
import type { Layer } from '../graph/layers';
import { shapeSize } from '../graph/layers';

/**
 * A channel map of a widened tensor: `map[c']` is the original channel that new channel `c'` copies
 * (`map[c] = c` for the original channels, new channels point at the unit they duplicate).
 */
export type ChannelMap = number[];

/** Every weighted layer a wider touches, each with the channel map of what it sees. */
export interface WidenPlan {
  /** Batchnorms on the way: their per-channel weights are copied along `map`. */
  batchnorms: { layer: Layer; map: ChannelMap }[];
  /** The conv / dense layers that read the widened tensor (possibly through pass-through layers): their input weights are divided among copies. */
  consumers: { layer: Layer; map: ChannelMap }[];
}

/** Layers that act channel by channel: the map passes through them unchanged. */
const CHANNELWISE = new Set(['relu', 'dropout', 'maxpool', 'avgpool', 'globalavgpool', 'globalmaxpool', 'batchnorm']);

/**
 * Follows the widened output of `target` forward (Net2Net, Chen et al. 2016, section 2.2) through
 * channel-wise layers, flatten (channels-last: flat index `s * C + c`) and concatenate (channel
 * offsets) to every conv / dense that reads it. Returns the plan, or a string saying why the layer
 * cannot be widened: the tensor reaches an add (its other input would need the same widening, so we
 * refuse: documented restriction), a softmax (mixes channels) or the graph output (the output width
 * is fixed by the task).
 */
export function planWiden(graph: Graph, target: Layer, map: ChannelMap): WidenPlan | string {
  const maps = new Map<number, ChannelMap>([[target.output, map]]);
  const plan: WidenPlan = { batchnorms: [], consumers: [] };
  for (const layer of graph.topologicalOrder()) {
    if (!layer.inputs.some((n) => maps.has(n))) continue;
    const inMap = maps.get(layer.inputs[0]!);
    if (layer.kind === 'conv' || layer.kind === 'dense') {
      plan.consumers.push({ layer, map: inMap! });
    } else if (CHANNELWISE.has(layer.kind)) {
      if (layer.kind === 'batchnorm') plan.batchnorms.push({ layer, map: inMap! });
      maps.set(layer.output, inMap!);
    } else if (layer.kind === 'flatten') {
      maps.set(layer.output, flattenMap(graph.nodeShape(layer.inputs[0]!), inMap!));
    } else if (layer.kind === 'concatenate') {
      maps.set(layer.output, concatMap(graph, layer, maps));
    } else {
      return `its output reaches a ${layer.kind} (layer ${layer.id}), which cannot absorb extra channels`;
    }
  }
  if (maps.has(graph.output)) return 'its output reaches the graph output, whose width is fixed';
  return plan;
}

/** Map of `flatten([S..., C])` after the channels were widened along `map`: `s * C' + c' -> s * C + map[c']`. */
function flattenMap(oldShape: number[], map: ChannelMap): ChannelMap {
  const c = oldShape[oldShape.length - 1]!;
  const spatial = shapeSize(oldShape.slice(0, -1));
  const out: number[] = [];
  for (let s = 0; s < spatial; s++) for (const m of map) out.push(s * c + m);
  return out;
}

/** Map of a concatenation: each input's map shifted by the input's original channel offset. */
function concatMap(graph: Graph, layer: Layer, maps: Map<number, ChannelMap>): ChannelMap {
  const out: number[] = [];
  let offset = 0;
  for (const n of layer.inputs) {
    const shape = graph.nodeShape(n);
    const c = shape[shape.length - 1]!;
    const m = maps.get(n) ?? Array.from({ length: c }, (_, i) => i);
    for (const v of m) out.push(offset + v);
    offset += c;
  }
  return out;
}
