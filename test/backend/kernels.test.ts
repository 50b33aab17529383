import * as tf from '@tensorflow/tfjs';
import { wasmKernelNames } from '../../src/backend';
import { stockKernels } from '../../src/backend/kernels/context';
import { tuning } from '../../src/backend/kernels/im2col';
import { expectParity, input, randn, runOn } from './parity';
import { useWasmBackend } from '../helpers/wasm';

type Pad = 'same' | 'valid' | number;
// [x shape, filter shape, stride, padding]: odd sizes, strides 1-3, 1x1 and 5x5, 1D-as-2D (height 1), explicit padding,
// and strided convolutions with patches past `tuning.smallPatch` (the per-phase input gradient by default).
const CONVS: Array<[number[], number[], number, Pad]> = [
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'], [[2, 7, 7, 3], [3, 3, 3, 4], 2, 'same'], [[2, 8, 9, 3], [3, 3, 3, 4], 2, 'valid'],
  [[3, 5, 5, 2], [2, 2, 2, 5], 2, 'valid'], [[1, 1, 9, 2], [1, 3, 2, 3], 1, 'same'], [[2, 1, 10, 3], [1, 3, 3, 2], 2, 'valid'],
  [[2, 6, 6, 1], [5, 5, 1, 2], 3, 'same'], [[2, 9, 9, 4], [1, 1, 4, 3], 2, 'same'], [[1, 6, 5, 2], [3, 3, 2, 2], 1, 1],
  [[2, 4, 4, 3], [4, 4, 3, 2], 1, 'valid'], [[2, 9, 9, 8], [3, 3, 8, 6], 2, 'same'], [[2, 10, 11, 8], [3, 3, 8, 4], 2, 'valid'],
  // stride 1 across with channels in fours: the patch matrix's 4x4 register transposes, rows of 4k + 1 and 4k + 3 positions
  [[2, 9, 10, 8], [3, 3, 8, 4], 1, 'same'],
  // patches narrower than the output channels (first layers): the filter gradient as dy^T x cols
  [[2, 7, 8, 1], [3, 3, 1, 12], 1, 'same'], [[2, 9, 9, 3], [3, 3, 3, 32], 2, 'same'], [[2, 6, 7, 4], [2, 3, 4, 3], 1, 'valid'], [[1, 5, 13, 12], [3, 5, 12, 2], 1, 'same'],
];

const outSize = (n: number, k: number, s: number, pad: Pad) =>
  pad === 'same' ? Math.ceil(n / s) : pad === 'valid' ? Math.floor((n - k) / s) + 1 : Math.floor((n + 2 * pad - k) / s) + 1;

useWasmBackend();

describe('wasm kernels match cpu to 1e-4 relative and free their intermediates', () => {
  it('registers the kernels it lists', () => {
    for (const name of wasmKernelNames()) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  // Each route on every case: the default (input gradients by col2im for small patches, else forward
  // convolutions), forward convolutions only, and col2im with patch matrices built one image at a time.
  const ROUTES: Array<[string, Partial<typeof tuning>]> = [['default routes', {}], ['input gradients as forward convolutions', { smallPatch: 0 }], ['patch matrices in one-image chunks', { smallPatch: 1e9, maxPatchValues: 1 }]];
  describe.each(ROUTES)('%s', (_route, settings) => {
    const saved = { ...tuning };
    beforeAll(() => { Object.assign(tuning, settings); });
    afterAll(() => { Object.assign(tuning, saved); });

    it.each(CONVS)('Conv2DBackpropFilter and Conv2DBackpropInput: x %j, filter %j, stride %i, pad %j', async (xs, fs, s, pad) => {
      const dyShape = [xs[0]!, outSize(xs[1]!, fs[0]!, s, pad), outSize(xs[2]!, fs[1]!, s, pad), fs[3]!];
      const common = { strides: s, pad, dataFormat: 'NHWC' };
      await expectParity('Conv2DBackpropFilter', { x: input(xs, 1), dy: input(dyShape, 2) }, { ...common, filterShape: fs });
      await expectParity('Conv2DBackpropInput', { dy: input(dyShape, 3), filter: input(fs, 4) }, { ...common, inputShape: xs });
    });
  });

  it.each([[false, false], [false, true], [true, false], [true, true]])('BatchMatMul transposeA=%s transposeB=%s', async (ta, tb) => {
    await expectParity('BatchMatMul', { a: input(ta ? [1, 7, 5] : [1, 5, 7], 5), b: input(tb ? [1, 6, 7] : [1, 7, 6], 6) }, { transposeA: ta, transposeB: tb });
    await expectParity('BatchMatMul', { a: input(ta ? [3, 7, 5] : [3, 5, 7], 7), b: input(tb ? [3, 6, 7] : [3, 7, 6], 8) }, { transposeA: ta, transposeB: tb });
  });

  it.each<[number[], number, number, Pad]>([
    [[2, 8, 8, 3], 2, 2, 'valid'], [[2, 7, 9, 3], 2, 2, 'valid'], [[2, 7, 7, 2], 3, 2, 'same'], [[1, 6, 6, 4], 3, 1, 'same'],
    [[2, 1, 9, 3], 1, 2, 'valid'], [[1, 5, 5, 2], 3, 3, 'valid'], [[2, 8, 6, 8], 2, 2, 'valid'], [[1, 5, 7, 6], 2, 2, 'valid'],
  ])('MaxPoolGrad: x %j, pool %i, stride %i, pad %s (random values)', async (xs, k, s, pad) => {
    const attrs = { filterSize: k, strides: s, pad };
    const x = input(xs, 9);
    const y = { shape: [] as number[], data: new Float32Array() };
    await tf.setBackend('cpu');
    const out = tf.engine().runKernel('MaxPool', { x: tf.tensor(x.data, x.shape) }, attrs) as tf.Tensor;
    Object.assign(y, { shape: out.shape, data: out.dataSync() as Float32Array });
    const dy = input(out.shape, 10);
    tf.dispose(out);
    await expectParity('MaxPoolGrad', { dy, input: x, output: y }, attrs);
  });

  it.each([2, 8])('MaxPoolGrad sends a tied window gradient to the first maximum, as cpu does (%i channels)', async (c) => {
    const x = { shape: [1, 4, 4, c], data: new Float32Array(16 * c).map((_, i) => (i % 3 === 0 ? 0 : -1)) };
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    await tf.setBackend('cpu');
    const y = tf.engine().runKernel('MaxPool', { x: tf.tensor(x.data, x.shape) }, attrs) as tf.Tensor;
    const output = { shape: y.shape, data: (y.dataSync() as Float32Array).slice() };
    tf.dispose(y);
    await expectParity('MaxPoolGrad', { dy: input([1, 2, 2, c], 11), input: x, output }, attrs);
  });

  it.each<[number[], number | number[], boolean, boolean]>([
    [[4, 5, 6, 3], [0, 1, 2], false, true], [[4, 5, 6, 3], [0, 1, 2], true, true], [[4, 5, 6, 3], [0], false, true], [[7, 3], 0, false, true],
    [[4, 5, 6, 3], [2, 1, 0], false, true], [[4, 5, 6, 3], [1, 2], false, true], [[2, 7, 4], 1, false, true], [[3, 4, 5, 2], [1, 2], true, true],
    [[2, 3, 4, 5, 6], [2, 3], false, true], [[64, 64, 64], 1, false, true],
    [[4, 5, 6, 3], [0, 1, 2, 3], false, false], [[4, 5, 6, 3], -1, true, false], [[4, 5, 6, 3], [0, 2], false, false], [[5, 1, 3], 1, false, false],
  ])('Sum and Mean: x %j over %j keepDims=%s (fast path: %s)', async (xs, axis, keepDims, fast) => {
    expect(await usedStock(tf.Sum, () => expectParity('Sum', { x: input(xs, 12) }, { axis, keepDims }))).toBe(!fast);
    expect(await usedStock(tf.Mean, () => expectParity('Mean', { x: input(xs, 13) }, { axis, keepDims }))).toBe(!fast);
  });

  it.each<[number[], number[]]>([
    [[1, 1, 1, 3], [2, 4, 5, 1]], [[2, 3], [3, 2]], [[5], [3]], [[2, 1, 3], [1, 4, 1]], [[2, 3, 1, 2, 2], [2, 1, 3, 1, 2]], [[3, 2], [1, 1]],
  ])('Tile: x %j by %j', async (xs, reps) => {
    await expectParity('Tile', { x: input(xs, 14) }, { reps });
  });

  it.each<[number[], number[], number, 'same' | 'valid']>([
    [[2, 4, 4, 4, 3], [3, 3, 3, 3, 4], 1, 'same'], [[1, 5, 6, 7, 2], [3, 3, 3, 2, 3], 2, 'same'], [[2, 5, 5, 5, 2], [2, 2, 2, 2, 3], 2, 'valid'],
    [[1, 3, 5, 4, 2], [1, 1, 1, 2, 2], 1, 'valid'], [[1, 6, 6, 6, 1], [3, 3, 3, 1, 2], 3, 'valid'],
  ])('Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 (the stock ones are wrong): x %j, filter %j, stride %i, %s', async (xs, fs, s, pad) => {
    const dyShape = [xs[0]!, ...[1, 2, 3].map((i) => outSize(xs[i]!, fs[i - 1]!, s, pad)), fs[4]!];
    const strides = [s, s, s];
    await expectParity('Conv3DBackpropInputV2', { dy: input(dyShape, 15), filter: input(fs, 16) }, { strides, pad, inputShape: xs });
    await expectParity('Conv3DBackpropFilterV2', { x: input(xs, 17), dy: input(dyShape, 18) }, { strides, pad, filterShape: fs });
  });

  it.each<[number[], number, number, 'same' | 'valid']>([
    [[2, 4, 4, 4, 3], 2, 2, 'valid'], [[1, 5, 5, 5, 2], 3, 2, 'same'], [[1, 5, 4, 3, 2], 2, 1, 'valid'],
  ])('the stock pooling gradients training relies on: x %j, pool %i, stride %i, %s', async (xs, k, s, pad) => {
    const pool3 = { filterSize: [k, k, k], strides: [s, s, s], pad };
    const pool2 = { filterSize: k, strides: s, pad };
    const x3 = input(xs, 19);
    const x2 = input(xs.slice(1), 20);
    const forward = async (kernel: string, x: { shape: number[]; data: Float32Array }, attrs: object) => {
      await tf.setBackend('cpu');
      const y = tf.engine().runKernel(kernel, { x: tf.tensor(x.data, x.shape) }, attrs as tf.NamedAttrMap) as tf.Tensor;
      const out = { shape: y.shape, data: (y.dataSync() as Float32Array).slice() };
      tf.dispose(y);
      return out;
    };
    const y3 = await forward('MaxPool3D', x3, { ...pool3, dataFormat: 'NDHWC' });
    const y2 = await forward('AvgPool', x2, pool2);
    await expectParity('MaxPool3DGrad', { dy: input(y3.shape, 21), input: x3, output: y3 }, pool3);
    await expectParity('AvgPool3DGrad', { dy: input(y3.shape, 22), input: x3 }, pool3);
    await expectParity('AvgPoolGrad', { dy: input(y2.shape, 23), input: x2 }, pool2);
  });

  it.each<[number[], boolean, boolean]>([[[2, 5, 6, 3], true, true], [[7, 4], true, false], [[2, 3, 3, 2, 5], false, true]])(
    'FusedBatchNorm: x %j, scale %s, offset %s', async (xs, withScale, withOffset) => {
      const c = xs[xs.length - 1]!;
      const variance = { shape: [c], data: randn([c], 26).map((v) => v * v + 0.1) };
      const inputs = { x: input(xs, 24), mean: input([c], 25), variance, ...(withScale ? { scale: input([c], 27) } : {}), ...(withOffset ? { offset: input([c], 28) } : {}) };
      await expectParity('FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 });
    });

  it('Identity and same-dtype Cast share memory instead of copying; other casts still convert', async () => {
    await expectParity('Identity', { x: input([3, 4], 29) }, {});
    await expectParity('Cast', { x: input([3, 4], 30) }, { dtype: 'float32' });
    await expectParity('Cast', { x: { shape: [4], data: Float32Array.from([1.7, -2.2, 0, 3]) } }, { dtype: 'int32' });
    const x = tf.tensor([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
  });

  /** Runs `body` and reports whether our kernel `name` fell back to the stock one. */
  async function usedStock(name: string, body: () => Promise<void>): Promise<boolean> {
    const get = jest.spyOn(stockKernels, 'get');
    try {
      await body();
      return get.mock.calls.some(([k]) => k === name);
    } finally {
      get.mockRestore();
    }
  }

  const ids = (shape: number[], values: number[]) => ({ shape, data: Int32Array.from(values), dtype: 'int32' as const });

  it.each<[string, number[], { shape: number[]; data: Int32Array; dtype: 'int32' }, number, number, boolean]>([
    ['rows of 5, repeated ids', [7, 5], ids([6], [3, 0, 3, 6, 1, 3]), 0, 0, true],
    ['rows of 40 (block copies), 2D ids', [9, 40], ids([2, 3], [8, 0, 4, 4, 2, 7]), 0, 0, true],
    ['rows of [2, 3]', [6, 2, 3], ids([5], [5, 1, 0, 1, 2]), 0, 0, true],
    ['axis 1 (stock)', [3, 7], ids([4], [6, 0, 2, 2]), 1, 0, false],
    ['last axis of a rank-3 table (stock)', [2, 3, 5], ids([3], [4, 0, 4]), -1, 0, false],
  ])('GatherV2: %s', async (_, xs, indices, axis, batchDims, fast) => {
    const stock = await usedStock(tf.GatherV2, () => expectParity('GatherV2', { x: input(xs, 31), indices }, { axis, batchDims }));
    expect(stock).toBe(!fast);
  });

  it('GatherV2 throws on an id outside the table, as the stock kernel does', async () => {
    await expect(runOn('wasm', 'GatherV2', { x: input([4, 3], 32), indices: ids([2], [1, 4]) }, { axis: 0, batchDims: 0 })).rejects.toThrow(/index value 4/);
    await expect(runOn('wasm', 'GatherV2', { x: input([4, 3], 32), indices: ids([1], [-1]) }, { axis: 0, batchDims: 0 })).rejects.toThrow(/index value -1/);
  });

  it.each<[number[], number | number[], boolean, boolean]>([
    [[4, 5, 6], 1, false, true], [[4, 5, 6], [1], true, true], [[4, 5, 6], 0, false, true], [[4, 5, 6], [0, 1], true, true],
    [[2, 3, 4, 5], [1, 2], false, true], [[2, 3, 4, 5], [-3, -2], true, true], [[64, 64, 64], 1, false, true],
    [[4, 5, 6], 2, false, false], [[4, 5, 6], [0, 2], false, false], [[4, 5, 6], [0, 1, 2], false, false],
  ])('Max: x %j over %j keepDims=%s (fast path: %s)', async (xs, reductionIndices, keepDims, fast) => {
    const stock = await usedStock(tf.Max, () => expectParity('Max', { x: input(xs, 33) }, { reductionIndices, keepDims }));
    expect(stock).toBe(!fast);
  });

  it('Max propagates NaN and handles -Infinity, as cpu does', async () => {
    const data = Float32Array.from([1, NaN, -Infinity, -Infinity, 2, 0, 3, -1, -Infinity, NaN, 5, -Infinity]); // [2, 3, 2]: max over axis 1
    const cpu = await runOn('cpu', 'Max', { x: { shape: [2, 3, 2], data } }, { reductionIndices: [1], keepDims: false });
    const wasm = await runOn('wasm', 'Max', { x: { shape: [2, 3, 2], data } }, { reductionIndices: [1], keepDims: false });
    expect(Array.from(wasm.data)).toEqual(Array.from(cpu.data));
    expect(Array.from(wasm.data)).toEqual([2, NaN, 5, NaN]);
    // 6 channels: four in the SIMD lanes, two in the scalar tail; NaN first, in the middle, last; -Infinity columns.
    const wide = randn([3, 4, 6], 34);
    for (const at of [0, 9, 13, 23, 30, 47, 53, 71]) wide[at] = NaN;
    for (let r = 0; r < 4; r++) wide[(2 * 4 + r) * 6 + 3] = -Infinity;
    const attrs = { reductionIndices: [1], keepDims: true };
    const wideCpu = await runOn('cpu', 'Max', { x: { shape: [3, 4, 6], data: wide } }, attrs);
    const wideWasm = await runOn('wasm', 'Max', { x: { shape: [3, 4, 6], data: wide } }, attrs);
    expect(wideWasm.shape).toEqual([3, 1, 6]);
    expect(Array.from(wideWasm.data)).toEqual(Array.from(wideCpu.data));
    expect(wideCpu.data.filter((v) => Number.isNaN(v)).length).toBeGreaterThanOrEqual(4);
  });
});
