import type { Graph } from '../graph/graph';
import type { GraphGenerator, Head } from './common';
import { chain, checkCount, checkRate, finishHead, startGraph } from './common';

/** Options of {@link MlpGenerator} (Auto-Keras 0.3 defaults). */
export interface MlpOptions {
  /** Hidden layers (default 3). */
  layers?: number;
  /** Units of every hidden layer (default 64). */
  units?: number;
  /** Dropout after every hidden layer (default 0.25). */
  dropout?: number;
}

/**
 * The multi-layer perceptron of Auto-Keras for vector data (docs/algorithms.md section 5): a flatten when
 * the input is not a vector, `layers` x [dense(units), relu, dropout], dense(numOutputs) (+ softmax).
 * Parameters for a 20-feature input and 3 classes with the defaults: `21*64 + 2*65*64 + 65*3 = 9859`.
 *
 * @example
 * ```ts
 * const g = new MlpGenerator({ units: 32 }).generate([20], 1, 'linear'); // regression
 * ```
 */
export class MlpGenerator implements GraphGenerator {
  readonly name = 'mlp';
  private readonly opts: Required<MlpOptions>;

  constructor(options: MlpOptions = {}) {
    const { layers = 3, units = 64, dropout = 0.25 } = options;
    this.opts = { layers: checkCount('layers', layers), units: checkCount('units', units), dropout: checkRate('dropout', dropout) };
  }

  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const { graph } = startGraph(inputShape, numOutputs, head, false);
    const { layers, units, dropout } = this.opts;
    let x = inputShape.length > 1 ? graph.addLayer({ kind: 'flatten' }, graph.input) : graph.input;
    for (let i = 0; i < layers; i++) {
      x = chain(graph, x, [{ kind: 'dense', units }, { kind: 'relu' }, { kind: 'dropout', rate: dropout }]);
    }
    return finishHead(graph, x, numOutputs, head);
  }
}
