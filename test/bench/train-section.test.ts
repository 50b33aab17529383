import { mergeTrainSection, parseTrainSection, renderTrainSection, runLabel } from '../../bench/train-section';

// The section as the single-run writer left it (abridged).
const LEGACY = `
## Training throughput (\`npm run bench:train\`)

2026-12-03; 2 cores (nproc), AMD EPYC, Node v20.20.2; tfjs 4.22.0. Native: PyTorch CPU, 1 thread, measured in the same run just before each row.
Batch 64, Adam 1e-3, 28x28x1 random inputs.

| backend | model | samples x runs | train samples/s | native | ratio | predict samples/s | native | ratio |
|---|---|--:|--:|--:|--:|--:|--:|--:|
| wasm | small-cnn | 2048 x 5 | 667.7 | 1320.6 | 0.501 | 2219.8 | 2227.8 | 1.018 |
| wasm | mlp | 2048 x 5 | 5169.9 | 2411.8 | 2.115 | 25284.5 | 4486.5 | 5.443 |
| cpu | small-cnn | 64 x 1 | 1.0 | 1436.0 | 0.001 | 56.7 | 3289.5 | 0.017 |

Top kernels of one wasm training step (\`tf.profile\`, ms per step, calls):

- small-cnn: Conv2DBackpropFilter 37.5 (2), FusedConv2D 18.9 (1)
- mlp: BatchMatMul 5.9 (6)
`;

const row = (label: string, backend: string, model: string, ratio: string) =>
  ({ label, backend, model, cells: [backend, model, '2048 x 3', '100.0', '200.0', ratio, '1.0', '2.0', '0.500'] });

describe('bench:train section merging', () => {
  it('reads the single-run section: its date labels every row and kernel line, its machine line is the run', () => {
    const s = parseTrainSection(LEGACY);
    expect(s.runs).toEqual([{ label: '2026-12-03', text: '2 cores (nproc), AMD EPYC, Node v20.20.2; tfjs 4.22.0' }]);
    expect(s.rows.map((r) => [r.label, r.backend, r.model, r.cells[5]])).toEqual([
      ['2026-12-03', 'wasm', 'small-cnn', '0.501'], ['2026-12-03', 'wasm', 'mlp', '2.115'], ['2026-12-03', 'cpu', 'small-cnn', '0.001']]);
    expect(s.kernels).toEqual([
      { label: '2026-12-03', model: 'small-cnn', text: 'Conv2DBackpropFilter 37.5 (2), FusedConv2D 18.9 (1)' },
      { label: '2026-12-03', model: 'mlp', text: 'BatchMatMul 5.9 (6)' }]);
  });

  it('a run replaces the rows it measured, keeps the others with their run, and survives a render-parse round trip', () => {
    const old = parseTrainSection(LEGACY);
    const label = runLabel('2026-12-04', old.runs.map((r) => r.label));
    const merged = mergeTrainSection(old, {
      run: { label, text: 'Intel Xeon; nice 10' },
      rows: [row(label, 'wasm', 'text-cnn', '0.600'), row(label, 'wasm', 'mlp', '1.900')],
      kernels: [{ label, model: 'text-cnn', text: 'Conv2D 3 (1)' }],
    }, ['wasm', 'cpu'], ['small-cnn', 'mlp', 'text-cnn']);
    const back = parseTrainSection(renderTrainSection(merged).join('\n'));
    expect(back).toEqual(merged);
    expect(back.rows.map((r) => `${r.label} ${r.backend} ${r.model} ${r.cells[5]}`)).toEqual([
      '2026-12-03 wasm small-cnn 0.501', '2026-12-04 wasm mlp 1.900', '2026-12-04 wasm text-cnn 0.600', '2026-12-03 cpu small-cnn 0.001']);
    expect(back.runs.map((r) => r.label)).toEqual(['2026-12-03', '2026-12-04']);
    expect(back.kernels.map((k) => `${k.model} ${k.label}`)).toEqual(['small-cnn 2026-12-03', 'mlp 2026-12-03', 'text-cnn 2026-12-04']);
  });

  it('drops a run nothing refers to any more; a second run on the same date gets its own label', () => {
    const old = parseTrainSection(LEGACY);
    const all = ['wasm small-cnn', 'wasm mlp', 'cpu small-cnn'].map((k) => row('2026-12-05', k.split(' ')[0]!, k.split(' ')[1]!, '0.700'));
    const merged = mergeTrainSection(old, {
      run: { label: '2026-12-05', text: 'x' }, rows: all,
      kernels: [{ label: '2026-12-05', model: 'small-cnn', text: 'a' }, { label: '2026-12-05', model: 'mlp', text: 'b' }],
    }, ['wasm', 'cpu'], ['small-cnn', 'mlp']);
    expect(merged.runs.map((r) => r.label)).toEqual(['2026-12-05']);
    expect(runLabel('2026-12-05', ['2026-12-05', '2026-12-05b'])).toBe('2026-12-05c');
  });
});
