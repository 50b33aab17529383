import type { Graph } from '../graph/graph';
import type { GraphGenerator, Head } from './common';
import { batchnorm, chain, checkCount, conv, finishHead, spatialAtLeast, startGraph } from './common';

/** Options of {@link ResNetGenerator}. */
export interface ResNetOptions {
  /** Filters of the stem and the first stage; each later stage doubles them (default 16). */
  width?: number;
  /** Stages (default 3). */
  stages?: number;
  /** Basic blocks per stage (default 1). */
  blocksPerStage?: number;
}

/**
 * A small residual network (He et al. 2016, the CIFAR variant): stem conv3x3(width), batchnorm, relu;
 * `stages` stages of `blocksPerStage` basic blocks with `width * 2^s` filters, the first block of each
 * later stage striding 2 while every spatial axis is at least 4; global average pooling; dense(numOutputs)
 * (+ softmax). Basic block: `relu(add[bn(conv3x3(relu(bn(conv3x3_s(x))))), shortcut(x)])`, the
 * shortcut being `x` or `bn(conv1x1_s(x))` when the shape changes. The residual branch is the add's
 * first input, so the main chain runs through the convs. About 80k parameters at 28x28x1 with the
 * defaults (ResNet18 has 11M).
 *
 * @example
 * ```ts
 * const g = new ResNetGenerator({ width: 8 }).generate([32, 32, 3], 10, 'softmax');
 * ```
 */
export class ResNetGenerator implements GraphGenerator {
  readonly name = 'resnet';
  private readonly opts: Required<ResNetOptions>;

  constructor(options: ResNetOptions = {}) {
    const { width = 16, stages = 3, blocksPerStage = 1 } = options;
    this.opts = { width: checkCount('width', width), stages: checkCount('stages', stages), blocksPerStage: checkCount('blocksPerStage', blocksPerStage) };
  }

  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const { graph, rank } = startGraph(inputShape, numOutputs, head, true);
    const { width, stages, blocksPerStage } = this.opts;
    let x = chain(graph, graph.input, [conv(rank, width), batchnorm(), { kind: 'relu' }]);
    for (let s = 0; s < stages; s++) {
      for (let b = 0; b < blocksPerStage; b++) {
        const strides = s > 0 && b === 0 && spatialAtLeast(graph, x, 4) ? 2 : 1;
        x = basicBlock(graph, x, rank, width * 2 ** s, strides);
      }
    }
    x = graph.addLayer({ kind: 'globalavgpool' }, x);
    return finishHead(graph, x, numOutputs, head);
  }
}

/** One basic block; returns its output node. */
function basicBlock(graph: Graph, x: number, rank: number, filters: number, strides: number): number {
  const inShape = graph.nodeShape(x);
  const residual = chain(graph, x, [conv(rank, filters, 3, strides), batchnorm(), { kind: 'relu' }, conv(rank, filters), batchnorm()]);
  const sameShape = strides === 1 && inShape[inShape.length - 1] === filters;
  const shortcut = sameShape ? x : chain(graph, x, [conv(rank, filters, 1, strides), batchnorm()]);
  const sum = graph.addLayer({ kind: 'add' }, [residual, shortcut]);
  return graph.addLayer({ kind: 'relu' }, sum);
}
