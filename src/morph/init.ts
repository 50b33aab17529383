import type { BatchNormWeights, KernelBias, SpatialRank, WeightTensor } from '../graph/layers';
import type { Rng } from '../util/rng';

/**
 * Weight initialisations of the morphs (docs/algorithms.md section 2): identities, zeros and the noise
 * added to them. Layouts are tfjs': conv kernel `[k, (k, (k,)) in, out]`, dense kernel `[in, out]`.
 *
 * Noise rule: each weight gets `U(-a, a)` with `a = NOISE_DAMPING * noiseRatio * range / fanIn`,
 * where `range` is the range of the weights being imitated (1 for an identity or a zero
 * initialisation, as in Auto-Keras' `add_noise(w, [0, 1])`) and `fanIn` the number of inputs of one
 * output unit. Auto-Keras uses `a = noiseRatio * range`. Why smaller: the test of truth asks a child
 * 30 morphs away to agree with its parent to 1e-4 relative, so one morph may move the outputs by a
 * few 1e-6 only. Auto-Keras' amount moves each output of a 5x5x64 identity conv by about 2e-3;
 * dividing by `fanIn` brings one op to at most ~7e-5 (measured), still 1.75e-4 after 30 ops; the
 * extra factor 0.1 gives ~2e-5 after 30 ops. Symmetry of widened units is broken exactly instead
 * (see `wider.ts`: random split of the consumer weights), so this noise only needs to be non-zero.
 */

/** Extra factor on every initialisation noise, see the noise rule above. */
export const NOISE_DAMPING = 0.1;

/** max - min of an array (0 for an empty one). */
export function weightRange(data: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return data.length === 0 ? 0 : hi - lo;
}

/** Adds `U(+-NOISE_DAMPING * ratio * range / fanIn)` to every value, in place; returns the same array. */
export function addNoise(data: Float32Array, range: number, fanIn: number, ratio: number, rng: Rng): Float32Array {
  const a = (NOISE_DAMPING * ratio * range) / Math.max(1, fanIn);
  if (a === 0) return data;
  for (let i = 0; i < data.length; i++) data[i] = data[i]! + rng.uniform(-a, a);
  return data;
}

/** A zero tensor of the given shape. */
export function zeros(shape: number[]): WeightTensor {
  return { shape: shape.slice(), data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/**
 * A conv kernel `[k^rank, inC, outC]` whose centre tap maps input channel `c` to output channel `c`
 * for `c < min(inC, outC)` (identity on those channels, zero elsewhere), plus noise; zero bias.
 * With `same` padding, stride 1 and odd `k`, `conv(x) = x` on the shared channels.
 */
export function identityConv(rank: SpatialRank, k: number, inC: number, outC: number, noiseRatio: number, rng: Rng): KernelBias {
  const kernel = zeros([...Array(rank).fill(k), inC, outC]);
  const half = (k - 1) / 2;
  let centre = 0;
  for (let axis = 0; axis < rank; axis++) centre = centre * k + half;
  for (let c = 0; c < Math.min(inC, outC); c++) kernel.data[(centre * inC + c) * outC + c] = 1;
  addNoise(kernel.data, 1, k ** rank * inC, noiseRatio, rng);
  return { kernel, bias: zeros([outC]) };
}

/** A dense kernel `[n, n]` equal to the identity matrix, plus noise; zero bias. */
export function identityDense(n: number, noiseRatio: number, rng: Rng): KernelBias {
  const kernel = zeros([n, n]);
  for (let i = 0; i < n; i++) kernel.data[i * n + i] = 1;
  addNoise(kernel.data, 1, n, noiseRatio, rng);
  return { kernel, bias: zeros([n]) };
}

/**
 * Batch normalisation that is the identity at inference: gamma 1, beta 0, moving mean 0 and moving
 * variance `1 - epsilon` (not 1: `x / sqrt(1 + epsilon)` would shrink the signal by 5e-4 at
 * epsilon 1e-3, five times the 1e-4 tolerance).
 */
export function identityBatchNorm(channels: number, epsilon: number): BatchNormWeights {
  const fill = (v: number): WeightTensor => ({ shape: [channels], data: new Float32Array(channels).fill(v) });
  return { gamma: fill(1), beta: fill(0), movingMean: fill(0), movingVariance: fill(1 - epsilon) };
}

/**
 * A conv kernel `[1^rank, inC, outC]` of zeros plus noise, and a zero bias: a 1x1 conv that outputs
 * (almost) nothing. Its noise is a tenth of the identity noise ({@link ZERO_INIT_DAMPING}): it
 * perturbs the skip's destination in proportion to the skip's source, which may be several times
 * larger (e.g. a relu of the raw input added after a batchnorm), so the full amount broke the 1e-4
 * tolerance in tests.
 */
export function zeroConv(rank: SpatialRank, inC: number, outC: number, noiseRatio: number, rng: Rng): KernelBias {
  const kernel = zeros([...Array(rank).fill(1), inC, outC]);
  addNoise(kernel.data, ZERO_INIT_DAMPING, inC, noiseRatio, rng);
  return { kernel, bias: zeros([outC]) };
}

/** Extra factor on the noise of a zero initialisation (add-skip 1x1 conv), see {@link zeroConv}. */
export const ZERO_INIT_DAMPING = 0.1;
