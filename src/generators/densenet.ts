import type { Graph } from '../graph/graph';
import type { GraphGenerator, Head } from './common';
import { batchnorm, chain, checkCount, conv, finishHead, pool2, spatialAtLeast, startGraph } from './common';

/** Options of {@link DenseNetGenerator}. */
export interface DenseNetOptions {
  /** Growth rate k: filters added by each dense layer (default 12). */
  growth?: number;
  /** Dense blocks (default 3). */
  blocks?: number;
  /** Dense layers per block (default 3). */
  layersPerBlock?: number;
}

/**
 * A small DenseNet (Huang et al. 2017): stem conv3x3(2k); `blocks` dense blocks of `layersPerBlock`
 * layers `x <- concat[conv3x3_k(relu(bn(x))), x]` (channels grow by k per layer); between blocks a
 * transition `avgpool2(conv1x1_{floor(C/2)}(relu(bn(x))))` (compression 0.5; the pooling only while
 * every spatial axis is at least 2); then bn, relu, global average pooling, dense(numOutputs)
 * (+ softmax). The new features are the concatenation's first input, so the main chain runs through
 * the convs. About 47k parameters at 28x28x1 with the defaults.
 *
 * @example
 * ```ts
 * const g = new DenseNetGenerator({ growth: 8 }).generate([28, 28, 1], 10, 'softmax');
 * ```
 */
export class DenseNetGenerator implements GraphGenerator {
  readonly name = 'densenet';
  private readonly opts: Required<DenseNetOptions>;

  constructor(options: DenseNetOptions = {}) {
    const { growth = 12, blocks = 3, layersPerBlock = 3 } = options;
    this.opts = { growth: checkCount('growth', growth), blocks: checkCount('blocks', blocks), layersPerBlock: checkCount('layersPerBlock', layersPerBlock) };
  }

  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const { graph, rank } = startGraph(inputShape, numOutputs, head, true);
    const { growth, blocks, layersPerBlock } = this.opts;
    let x = graph.addLayer(conv(rank, 2 * growth), graph.input);
    for (let b = 0; b < blocks; b++) {
      for (let l = 0; l < layersPerBlock; l++) {
        const h = chain(graph, x, [batchnorm(), { kind: 'relu' }, conv(rank, growth)]);
        x = graph.addLayer({ kind: 'concatenate' }, [h, x]);
      }
      if (b < blocks - 1) x = transition(graph, x, rank);
    }
    x = chain(graph, x, [batchnorm(), { kind: 'relu' }, { kind: 'globalavgpool' }]);
    return finishHead(graph, x, numOutputs, head);
  }
}

/** bn, relu, conv1x1 halving the channels, avgpool2 (when the input is large enough). */
function transition(graph: Graph, x: number, rank: number): number {
  const shape = graph.nodeShape(x);
  const filters = Math.max(1, Math.floor(shape[shape.length - 1]! / 2));
  const y = chain(graph, x, [batchnorm(), { kind: 'relu' }, conv(rank, filters, 1)]);
  return spatialAtLeast(graph, y, 2) ? graph.addLayer(pool2(rank, 'avgpool'), y) : y;
}
