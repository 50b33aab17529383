import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../src/compile';
import { skipEagerInputGradient } from '../../src/compile/input-conv';
import { Graph } from '../../src/graph';
import { Rng } from '../../src/util/rng';
import { useWasmBackend } from '../helpers/wasm';

function convLayer(skip: boolean): tf.layers.Layer {
  const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', strides: 2 });
  if (skip) skipEagerInputGradient(conv);
  conv.build([null, 7, 8, 3]);
  conv.setWeights([tf.randomNormal([3, 3, 3, 6], 0, 1, 'float32', 1), tf.linspace(-1, 1, 6)]);
  return conv;
}

/** Training-mode output, and the gradients of sum(y * w) with respect to the kernel, the bias and x. */
function grads(conv: tf.layers.Layer, x: tf.Tensor, w: tf.Tensor): Float32Array[] {
  const loss = (xi: tf.Tensor) => tf.sum(tf.mul(conv.apply(xi, { training: true }) as tf.Tensor, w)) as tf.Scalar;
  const y = tf.tidy(() => conv.apply(x, { training: true }) as tf.Tensor);
  const { value, grads: g } = tf.variableGrads(() => loss(x), conv.trainableWeights.map((v) => v.read() as tf.Variable));
  const dx = tf.grad(loss)(x);
  const out = [y, ...Object.values(g), dx].map((t) => t.dataSync() as Float32Array);
  tf.dispose([y, value, dx, ...Object.values(g)]);
  return out;
}

describe('skipEagerInputGradient', () => {
  useWasmBackend();

  it('trains as the fused convolution does, and computes the input gradient only when asked', async () => {
    const x = tf.randomNormal([2, 7, 8, 3], 0, 1, 'float32', 2);
    const w = tf.randomNormal([2, 4, 4, 6], 0, 1, 'float32', 3);
    const stock = convLayer(false);
    const plain = convLayer(true);
    const want = grads(stock, x, w);
    const base = tf.memory().numTensors;
    const got = grads(plain, x, w);
    expect(tf.memory().numTensors).toBe(base);
    for (let i = 0; i < want.length; i++) {
      for (let j = 0; j < want[i]!.length; j++) expect(got[i]![j]).toBeCloseTo(want[i]![j]!, 4);
    }
    const weightsOnly = (conv: tf.layers.Layer) => tf.profile(() => {
      const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(conv.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar,
        conv.trainableWeights.map((v) => v.read() as tf.Variable));
      tf.dispose([value, ...Object.values(g)]);
    });
    expect((await weightsOnly(stock)).kernelNames).toContain('Conv2DBackpropInput');
    expect((await weightsOnly(plain)).kernelNames).not.toContain('Conv2DBackpropInput');
    tf.dispose([x, w]);
    for (const l of [stock, plain]) for (const v of l.weights) v.dispose();
  });

  it('is installed by compileGraph on the convolution that reads the input, and only there', async () => {
    const g = Graph.create([8, 8, 1]);
    const a = g.addLayer({ kind: 'conv', rank: 2, filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, g.input);
    const b = g.addLayer({ kind: 'conv', rank: 2, filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, a);
    g.setOutput(g.addLayer({ kind: 'globalavgpool' }, b));
    const model = compileGraph(g, { rng: new Rng(1) });
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 4);
    const info = await tf.profile(() => {
      const { value, grads: gr } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
      tf.dispose([value, ...Object.values(gr)]);
    });
    // The second convolution's input gradient is needed (for the first's weights); the first's is not.
    expect(info.kernels.filter((k) => k.name === 'Conv2DBackpropInput')).toHaveLength(1);
    x.dispose();
    model.dispose();
  });
});
