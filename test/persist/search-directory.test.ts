import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SearchError } from '../../src/errors';
import { graphToJSON } from '../../src/graph';
import type { Graph } from '../../src/graph';
import { SearchDirectory, packWeights, unpackWeights } from '../../src/persist';
import { smallCnn } from '../helpers/graphs';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'ak-dir-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** smallCnn with deterministic weights on every weighted layer. */
function weighted(): Graph {
  const g = smallCnn();
  let k = 0;
  for (const l of g.layers) {
    if (l.kind !== 'conv' && l.kind !== 'dense' && l.kind !== 'batchnorm') continue;
    const shapes = l.kind === 'batchnorm' ? { gamma: [4], beta: [4], movingMean: [4], movingVariance: [4] } : null;
    const inShape = g.nodeShape(l.inputs[0]!);
    const cin = inShape[inShape.length - 1]!;
    const w = shapes ?? (l.kind === 'conv' ? { kernel: [l.kernelSize, l.kernelSize, cin, l.filters], bias: [l.filters] }
      : l.kind === 'dense' ? { kernel: [cin, l.units], bias: [l.units] } : {});
    g.setWeights(l.id, Object.fromEntries(Object.entries(w).map(([name, shape]) => [name, { shape, data: Float32Array.from({ length: (shape as number[]).reduce((a: number, b: number) => a * b, 1) }, () => (k++ % 97) / 97 + 0.01) }])));
  }
  return g;
}

const meta = { task: 'classification' as const, options: { seed: 1 }, preprocessing: null };
const entry = (id: number) => ({ id, parentId: id === 0 ? null : id - 1, ops: [], architecture: { layers: 1, depth: 1, params: 1, skips: { add: 0, concat: 0 }, kinds: {} }, metric: id === 1 ? NaN : 0.5 + id / 10, epochs: 3, seconds: 1.5, status: (id === 1 ? 'failed' : 'ok') as 'ok' | 'failed', startedAt: new Date(0).toISOString(), endedAt: new Date(1500).toISOString() });

describe('weights packing', () => {
  it('round-trips every weight exactly', () => {
    const g = weighted();
    const { manifest, data } = packWeights(g);
    const back = unpackWeights(g.withoutWeights(), manifest, new Uint8Array(data.buffer), 'w.bin');
    expect(graphToJSON(back)).toEqual(graphToJSON(g));
    expect(() => unpackWeights(g.withoutWeights(), manifest, new Uint8Array(data.buffer).subarray(0, 40), 'w.bin')).toThrow(/w\.bin is corrupt: .*truncated/);
  });
});

describe('SearchDirectory', () => {
  it('round-trips meta, history (NaN metrics), trial graphs with weights and searcher state', async () => {
    const dir = new SearchDirectory(root);
    expect(dir.exists()).toBe(false);
    await dir.create(meta);
    const g = weighted();
    await dir.writeTrial(entry(0), g);
    await dir.writeTrial(entry(1), g.withoutWeights());
    await dir.writeSearcherState('bayesian', { rng: [1, 2, 3, 4] }, 2);
    const again = new SearchDirectory(root);
    expect((await again.readMeta()).task).toBe('classification');
    const history = await again.check();
    expect(history.map((t) => t.id)).toEqual([0, 1]);
    expect(history[1]!.metric).toBeNaN();
    expect(history[0]!.hasWeights).toBe(true);
    expect(graphToJSON(await again.readTrialGraph(0))).toEqual(graphToJSON(g));
    await expect(again.readTrialGraph(1)).rejects.toThrow(/Trial 1 has no trained weights/);
    expect((await again.readTrialGraph(1, false)).hasWeights()).toBe(false);
    expect(await again.readSearcherState()).toEqual({ searcher: 'bayesian', trials: 2, state: { rng: [1, 2, 3, 4] } });
    const files = await fs.readdir(path.join(root, 'trials', '0'));
    expect(files.sort()).toEqual(['graph.json', 'weights.bin']);
  });

  it('acts as the search loop TrialStore', async () => {
    const dir = new SearchDirectory(root);
    await dir.create(meta);
    const g = weighted();
    await dir.saveTrial({ id: 0, graph: g.withoutWeights(), parentId: null, ops: [], metric: 0.7, status: 'ok', epochs: 2, seconds: 3, proposeSeconds: 0.1 }, g, { name: 'random', state: () => ({ n: 1 }) });
    expect(graphToJSON(await dir.trainedGraph(0))).toEqual(graphToJSON(g));
    const [t] = await dir.readHistory();
    expect(t!.architecture.params).toBe(g.paramCount());
    expect(t!.architecture.skips).toEqual({ add: 1, concat: 1 });
    expect((await dir.readSearcherState())!.trials).toBe(1);
  });

  it('refuses to replace a search unless overwrite, and overwrite keeps foreign files', async () => {
    const dir = new SearchDirectory(root);
    await dir.create(meta);
    await dir.writeTrial(entry(0), weighted());
    await fs.writeFile(path.join(root, 'notes.txt'), 'mine');
    await expect(new SearchDirectory(root).create(meta)).rejects.toThrow(/already holds a search.*overwrite: true/);
    await new SearchDirectory(root).create(meta, { overwrite: true });
    expect(await new SearchDirectory(root).readHistory()).toEqual([]);
    expect((await fs.readdir(root)).sort()).toEqual(['history.json', 'meta.json', 'notes.txt', 'trials']);
    expect(await fs.readdir(path.join(root, 'trials'))).toEqual([]);
  });

  it('reports a corrupt directory with a SearchError naming the file, and resets nothing', async () => {
    const dir = new SearchDirectory(root);
    await dir.create(meta);
    await dir.writeTrial(entry(0), weighted());
    const history = path.join(root, 'history.json');
    await fs.writeFile(history, '{"format": "autokeras-ts/history", "trials": [');
    await expect(new SearchDirectory(root).check()).rejects.toThrow(SearchError);
    await expect(new SearchDirectory(root).readHistory()).rejects.toThrow(/history\.json is corrupt/);
    expect(await fs.readFile(history, 'utf8')).toContain('"trials": [');
    await fs.writeFile(history, JSON.stringify({ format: 'autokeras-ts/history', version: 1, trials: [{ id: 'x' }] }));
    await expect(new SearchDirectory(root).readHistory()).rejects.toThrow(/trials\[0\] lacks an integer id/);
    await fs.writeFile(history, JSON.stringify({ format: 'autokeras-ts/history', version: 1, trials: [{ ...entry(0), hasWeights: true }] }));
    const bin = path.join(root, 'trials', '0', 'weights.bin');
    await fs.truncate(bin, 12);
    await expect(new SearchDirectory(root).check()).rejects.toThrow(/weights\.bin is corrupt/);
    await fs.rm(path.join(root, 'trials', '0', 'graph.json'));
    await expect(new SearchDirectory(root).check()).rejects.toThrow(/Cannot read .*trials.0.graph\.json/);
    await fs.writeFile(path.join(root, 'meta.json'), '{}');
    await expect(new SearchDirectory(root).readMeta()).rejects.toThrow(/meta\.json is corrupt/);
  });
});
