import { GraphError, invalidArgument } from '../errors';
import { Graph } from './graph';
import type { Layer, WeightTensor } from './layers';
import { specOf } from './layers';

/** The parts of a member that the ensemble rewires: its head dense layer and the optional softmax after it. */
function headOf(member: Graph, index: number): { dense: Layer & { kind: 'dense' }; softmax: Layer | null } {
  const out = member.producer(member.output);
  const softmax = out?.kind === 'softmax' ? out : null;
  const dense = softmax ? member.producer(softmax.inputs[0]!) : out;
  if (!dense || dense.kind !== 'dense' || !dense.weights) {
    throw new GraphError(`ensembleGraph: member ${index} must end in a trained dense layer (optionally followed by softmax); it ends in ${out?.kind ?? 'its input'}${dense?.kind === 'dense' ? ' without weights' : ''}`);
  }
  return { dense, softmax };
}

/**
 * One Graph that computes the weighted mean of its members' outputs before the head's activation:
 * `softmax(sum_i w_i * z_i)` for classifiers (the members' logits `z_i`; a geometric mean of their
 * probabilities), `sum_i w_i * y_i` for regressors. The members' bodies are copied side by side on the
 * shared input, and their head dense layers become one dense layer on the concatenation of their
 * features, its kernel the members' kernels stacked and scaled by `w_i`, its bias `sum_i w_i * b_i`: the
 * same function in standard layers, so the ensemble compiles, trains (finalFit), exports and loads as
 * one plain tfjs model.
 *
 * Members must share the input and output shapes, carry trained weights and end in `dense` (plus
 * `softmax` for all of them or none), as every generated architecture does. Weights default to equal;
 * they are normalised to sum to 1.
 *
 * @example
 * ```ts
 * const g = ensembleGraph([trainedA, trainedB]);   // [28, 28, 1] -> [10], both networks side by side
 * const h = ensembleGraph([trainedA, trainedB], [2, 1]); // A counts twice
 * ```
 */
export function ensembleGraph(members: readonly Graph[], weights?: readonly number[]): Graph {
  if (!Array.isArray(members) || members.length === 0 || !members.every((m) => m instanceof Graph)) invalidArgument('members', 'a non-empty array of Graphs', members);
  const w = weights ? weights.slice() : members.map(() => 1);
  if (w.length !== members.length || !w.every((v) => Number.isFinite(v) && v > 0)) invalidArgument('weights', `${members.length} positive finite numbers (one per member)`, weights);
  const total = w.reduce((a, b) => a + b, 0);
  const first = members[0]!;
  const inputShape = first.inputShape;
  const outputShape = first.outputShape;
  const heads = members.map(headOf);
  members.forEach((m, i) => {
    if (m.inputShape.join(',') !== inputShape.join(',') || m.outputShape.join(',') !== outputShape.join(',')) {
      throw new GraphError(`ensembleGraph: member ${i} maps [${m.inputShape.join(', ')}] -> [${m.outputShape.join(', ')}]; member 0 maps [${inputShape.join(', ')}] -> [${outputShape.join(', ')}]`);
    }
    if ((heads[i]!.softmax === null) !== (heads[0]!.softmax === null)) throw new GraphError('ensembleGraph: either every member ends in softmax or none does');
  });
  const g = Graph.create(inputShape);
  const features: number[] = [];
  members.forEach((m, i) => {
    const { dense, softmax } = heads[i]!;
    const nodes = new Map<number, number>([[m.input, g.input]]);
    for (const l of m.topologicalOrder()) {
      if (l.id === dense.id || l.id === softmax?.id) continue;
      nodes.set(l.output, g.addLayer(specOf(l), l.inputs.map((n) => nodes.get(n)!)));
    }
    features.push(nodes.get(dense.inputs[0]!)!);
  });
  const units = heads[0]!.dense.units;
  const rows = heads.reduce((a, h) => a + h.dense.weights!.kernel.shape[0]!, 0);
  const kernel = new Float32Array(rows * units);
  const bias = new Float32Array(units);
  let row = 0;
  heads.forEach(({ dense }, i) => {
    const scale = w[i]! / total;
    const k: WeightTensor = dense.weights!.kernel;
    for (let j = 0; j < k.data.length; j++) kernel[row * units + j] = k.data[j]! * scale;
    row += k.shape[0]!;
    dense.weights!.bias.data.forEach((b, j) => { bias[j]! += b * scale; });
  });
  const x = features.length > 1 ? g.addLayer({ kind: 'concatenate' }, features) : features[0]!;
  let y = g.addLayer({ kind: 'dense', units, weights: { kernel: { shape: [rows, units], data: kernel }, bias: { shape: [units], data: bias } } }, x);
  if (heads[0]!.softmax) y = g.addLayer({ kind: 'softmax' }, y);
  g.setOutput(y);
  return g;
}
