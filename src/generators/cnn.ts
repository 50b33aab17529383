import { invalidArgument } from '../errors';
import type { Graph } from '../graph/graph';
import type { GraphGenerator, Head } from './common';
import { batchnorm, chain, checkCount, checkRate, conv, finishHead, pool2, spatialAtLeast, startGraph } from './common';

/** Options of {@link CnnGenerator} (Auto-Keras 0.3 defaults). */
export interface CnnOptions {
  /** Conv blocks (default 3). */
  blocks?: number;
  /**
   * Filters of every conv (default 32; Auto-Keras 0.3: 64). On wasm the 64-filter CNN trained 3 epochs of
   * 6,000 28x28 Fashion-MNIST images in 60 s and reached 0.816 test accuracy, the 32-filter one 9 epochs
   * and 0.835 (0.868 in 300 s; one seed each, bench:recipe, two runs side by side with other processes on
   * the cores); morphs widen it when time allows.
   */
  filters?: number;
  /** Units of the hidden dense layer (default 64). */
  denseUnits?: number;
  /** Dropout before the dense part (default 0.25). */
  dropout?: number;
  /**
   * Whether the first block starts with a relu, as in Auto-Keras 0.3 (default false:
   * on the standardised input it zeroes every pixel below its channel's mean; see {@link CnnGenerator}).
   */
  inputRelu?: boolean;
}

/**
 * The plain CNN of Auto-Keras (docs/algorithms.md section 5): `blocks` x [relu, batchnorm, conv3x3(filters),
 * maxpool2], global average pooling, dropout, dense(denseUnits), relu, dense(numOutputs) (+ softmax),
 * except that the first block has no relu (unless `inputRelu`). Auto-Keras 0.3 starts
 * with one, but the input is standardised, so a relu there zeroes every pixel below its channel's mean
 * (on Fashion-MNIST, all pixels darker than 0.29): after 6 epochs on 6,000 Fashion-MNIST images the CNN
 * without it scored 4.5 to 12 points more test accuracy (10,000 test images; two seeds, two runs;
 * `npm run bench:generators`).
 * The conv rank follows the input (`[L, C]` 1D, `[H, W, C]` 2D, `[D, H, W, C]` 3D). Sized to the
 * input: a block pools only while every spatial axis is at least 2. Parameters for a 28x28x1 input and
 * 10 classes: about 22k (filters 32).
 *
 * @example
 * ```ts
 * const g = new CnnGenerator().generate([28, 28, 1], 10, 'softmax');
 * g.outputShape; // [10]
 * ```
 */
export class CnnGenerator implements GraphGenerator {
  readonly name = 'cnn';
  private readonly opts: Required<CnnOptions>;

  constructor(options: CnnOptions = {}) {
    const { blocks = 3, filters = 32, denseUnits = 64, dropout = 0.25, inputRelu = false } = options;
    if (typeof inputRelu !== 'boolean') invalidArgument('inputRelu', 'a boolean', inputRelu);
    this.opts = { blocks: checkCount('blocks', blocks), filters: checkCount('filters', filters), denseUnits: checkCount('denseUnits', denseUnits), dropout: checkRate('dropout', dropout), inputRelu };
  }

  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const { graph, rank } = startGraph(inputShape, numOutputs, head, true);
    const { blocks, filters, denseUnits, dropout, inputRelu } = this.opts;
    let x = graph.input;
    for (let i = 0; i < blocks; i++) {
      x = chain(graph, x, [...(i > 0 || inputRelu ? [{ kind: 'relu' } as const] : []), batchnorm(), conv(rank, filters)]);
      if (spatialAtLeast(graph, x, 2)) x = graph.addLayer(pool2(rank), x);
    }
    x = chain(graph, x, [{ kind: 'globalavgpool' }, { kind: 'dropout', rate: dropout }, { kind: 'dense', units: denseUnits }, { kind: 'relu' }]);
    return finishHead(graph, x, numOutputs, head);
  }
}
