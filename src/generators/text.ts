import type { Graph } from '../graph/graph';
import { DEFAULTS } from '../options';
import type { GraphGenerator, Head } from './common';
import { chain, checkCount, checkRate, conv, finishHead, pool2, startGraph } from './common';
import { invalidArgument } from '../errors';

/** Options shared by the text generators; defaults from `DEFAULTS.text`. */
export interface TextGeneratorOptions {
  /** Ids of the vocabulary, padding and out-of-vocabulary included (the embedding's `inputDim`; required). */
  vocabularySize: number;
  /** Width of the embeddings (default `DEFAULTS.text.embeddingDim`, 64). */
  embeddingDim?: number;
  /** Dropout after the embedding and before the head (default `DEFAULTS.text.dropout`, 0.25). */
  dropout?: number;
}

/** Options of {@link TextCnnGenerator}. */
export interface TextCnnOptions extends TextGeneratorOptions {
  /** Conv blocks (default `DEFAULTS.text.cnnBlocks`, 1). */
  blocks?: number;
  /** Filters of every 1D conv (default 64). */
  filters?: number;
  /** Kernel size of every 1D conv (default 3). */
  kernelSize?: number;
  /** Units of the hidden dense layer (default 64). */
  denseUnits?: number;
}

function textInput(inputShape: number[], numOutputs: number, head: Head): Graph {
  const { graph } = startGraph(inputShape, numOutputs, head, false);
  if (inputShape.length !== 1) invalidArgument('inputShape', 'a sequence of token ids [length]', inputShape);
  return graph;
}

/** The shared text generator options, checked, defaults from `DEFAULTS.text` filled in. */
function textOptions(options: TextGeneratorOptions): Required<TextGeneratorOptions> {
  const d = DEFAULTS.text;
  if (typeof options !== 'object' || options === null) invalidArgument('options', 'an object with vocabularySize', options);
  const { vocabularySize, embeddingDim = d.embeddingDim, dropout = d.dropout } = options;
  if (!Number.isInteger(vocabularySize) || vocabularySize < 3) invalidArgument('vocabularySize', 'an integer of at least 3 (padding, out-of-vocabulary and one token)', vocabularySize);
  return { vocabularySize, embeddingDim: checkCount('embeddingDim', embeddingDim), dropout: checkRate('dropout', dropout) };
}

/**
 * The text CNN of Auto-Keras (docs/algorithms.md section 5), for token ids `[L]`: embedding(vocabularySize,
 * embeddingDim), dropout, `blocks` x [conv1d(filters, kernelSize), relu] with a maxpool of 2 between
 * blocks, global max pooling over the positions, dense(denseUnits), relu, dropout, dense(numOutputs)
 * (+ softmax). The conv part (embedding to the last conv) takes the deeper, wider and skip morphs.
 * Parameters with the defaults, a 2,000-id vocabulary and 2 classes: `2000*64 + (3*64+1)*64 + 65*64 + 65*2 = 144,642`.
 *
 * @example
 * ```ts
 * const g = new TextCnnGenerator({ vocabularySize: 2000 }).generate([40], 2, 'softmax');
 * g.outputShape; // [2]
 * ```
 */
export class TextCnnGenerator implements GraphGenerator {
  readonly name = 'text-cnn';
  private readonly opts: Required<TextCnnOptions>;

  constructor(options: TextCnnOptions) {
    const d = DEFAULTS.text;
    const base = textOptions(options);
    const { blocks = d.cnnBlocks, filters = d.cnnFilters, kernelSize = d.cnnKernel, denseUnits = d.cnnDenseUnits } = options;
    this.opts = {
      ...base,
      blocks: checkCount('blocks', blocks), filters: checkCount('filters', filters), kernelSize: checkCount('kernelSize', kernelSize), denseUnits: checkCount('denseUnits', denseUnits),
    };
  }

  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const graph = textInput(inputShape, numOutputs, head);
    const o = this.opts;
    let x = chain(graph, graph.input, [{ kind: 'embedding', inputDim: o.vocabularySize, outputDim: o.embeddingDim }, { kind: 'dropout', rate: o.dropout }]);
    for (let i = 0; i < o.blocks; i++) {
      if (i > 0 && graph.nodeShape(x)[0]! >= 2) x = graph.addLayer(pool2(1), x);
      x = chain(graph, x, [conv(1, o.filters, o.kernelSize), { kind: 'relu' }]);
    }
    x = chain(graph, x, [{ kind: 'globalmaxpool' }, { kind: 'dense', units: o.denseUnits }, { kind: 'relu' }, { kind: 'dropout', rate: o.dropout }]);
    return finishHead(graph, x, numOutputs, head);
  }
}

/**
 * A fastText-like bag of words (Joulin et al. 2017) for token ids `[L]`: embedding(vocabularySize,
 * embeddingDim), global average pooling over the positions (padding included: its embedding is
 * learned), dropout, dense(numOutputs) (+ softmax). Linear in the averaged embeddings, so cheap and
 * hard to over-fit on a few hundred texts; the morphs grow it (wider embedding, deeper dense part
 * once a hidden layer exists, convs after the embedding). Unigrams only: no n-gram ids.
 *
 * @example
 * ```ts
 * const g = new BagOfWordsGenerator({ vocabularySize: 2000 }).generate([40], 2, 'softmax');
 * ```
 */
export class BagOfWordsGenerator implements GraphGenerator {
  readonly name = 'bag-of-words';
  private readonly opts: Required<TextGeneratorOptions>;

  constructor(options: TextGeneratorOptions) {
    this.opts = textOptions(options);
  }

  generate(inputShape: number[], numOutputs: number, head: Head = 'softmax'): Graph {
    const graph = textInput(inputShape, numOutputs, head);
    const o = this.opts;
    const x = chain(graph, graph.input, [{ kind: 'embedding', inputDim: o.vocabularySize, outputDim: o.embeddingDim }, { kind: 'globalavgpool' }, { kind: 'dropout', rate: o.dropout }]);
    return finishHead(graph, x, numOutputs, head);
  }
}

/**
 * The initial architectures of the text tasks: the bag of words first (cheap, strong on small corpora),
 * then the text CNN.
 *
 * @example
 * ```ts
 * textGenerators(prep.text!.size).map((g) => g.name); // ['bag-of-words', 'text-cnn']
 * ```
 */
export function textGenerators(vocabularySize: number): GraphGenerator[] {
  return [new BagOfWordsGenerator({ vocabularySize }), new TextCnnGenerator({ vocabularySize })];
}
