import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../src/backend/select';
import type { BackendName } from '../src/backend/select';
import { loadFashionMnistSample } from '../src/data/sample';
import type { GraphGenerator } from '../src/generators';
import { Graph } from '../src/graph';
import { ImageClassifier } from '../src/tasks';
import { machineLine, writeSection } from './report';

/**
 * `npm run bench:scale [-- --trials 8 --workers 1,2 --samples 2000 --epochs 4 --backend wasm --no-write]`:
 * trials per hour of the same small search (Fashion-MNIST sample subset, a small CNN, a few epochs)
 * run in-process and on process pools of each worker count (default 1 and this machine's core count),
 * with the ratio to one worker; writes its section of BENCHMARKS.md.
 */
interface Args { trials: number; workers: number[]; samples: number; epochs: number; backend: BackendName; write: boolean }

function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
  const cores = os.availableParallelism();
  return {
    trials: Number(get('trials') ?? 8), samples: Number(get('samples') ?? 2000), epochs: Number(get('epochs') ?? 4),
    workers: (get('workers') ?? [...new Set([1, Math.max(2, cores)])].join(',')).split(',').map(Number),
    backend: (get('backend') ?? 'wasm') as BackendName, write: !argv.includes('--no-write'),
  };
}

/** A small CNN (two conv blocks) so that a trial takes seconds on one core. */
const smallCnn: GraphGenerator = {
  name: 'bench-cnn',
  generate(inputShape, numOutputs) {
    const g = Graph.create(inputShape);
    let x = g.input;
    for (const filters of [8, 16]) {
      x = g.addLayer({ kind: 'conv', rank: 2, filters, kernelSize: 3, strides: 1, padding: 'same' }, x);
      x = g.addLayer({ kind: 'relu' }, x);
      x = g.addLayer({ kind: 'maxpool', rank: 2, poolSize: 2, strides: 2, padding: 'valid' }, x);
    }
    x = g.addLayer({ kind: 'flatten' }, x);
    x = g.addLayer({ kind: 'dense', units: 32 }, x);
    x = g.addLayer({ kind: 'relu' }, x);
    x = g.addLayer({ kind: 'dense', units: numOutputs }, x);
    g.setOutput(g.addLayer({ kind: 'softmax' }, x));
    return g;
  },
};

interface Row { executor: string; workers: number; trials: number; seconds: number; perHour: number; trialSeconds: number }

async function run(args: Args, workers: number | null, x: tf.Tensor, y: number[], root: string): Promise<Row> {
  const directory = path.join(root, `w${workers ?? 0}`);
  const m = new ImageClassifier({
    directory, seed: 1, maxTrials: args.trials, epochsPerTrial: args.epochs, patience: args.epochs, batchSize: 32, augment: false,
    backend: args.backend, generators: [smallCnn], searcher: 'random', executor: workers === null ? 'in-process' : { type: 'process-pool', workers },
  });
  const t0 = Date.now();
  await m.fit(x, y, { timeLimit: 3600 });
  const seconds = (Date.now() - t0) / 1000;
  const history = m.history;
  const done = history.filter((t) => t.status === 'ok');
  const trialSeconds = done.reduce((s, t) => s + t.seconds, 0) / Math.max(1, done.length);
  m.dispose();
  return { executor: workers === null ? 'in-process' : 'process-pool', workers: workers ?? 1, trials: history.length, seconds, perHour: (history.length / seconds) * 3600, trialSeconds };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Other work on the machine takes cores from the workers: record the 1-minute load before the run.
  const load = os.loadavg()[0]!;
  await selectBackend(args.backend);
  const { train } = await loadFashionMnistSample();
  const n = Math.min(args.samples, train.y.length);
  const side = train.x.shape[1]! * train.x.shape[2]!;
  const x = tf.tensor(Float32Array.from(train.x.data.subarray(0, n * side)), [n, train.x.shape[1]!, train.x.shape[2]!]);
  const y = Array.from(train.y.subarray(0, n));
  const root = mkdtempSync(path.join(os.tmpdir(), 'ak-bench-scale-'));
  const rows: Row[] = [];
  try {
    for (const w of [null, ...args.workers]) {
      const row = await run(args, w, x, y, root);
      rows.push(row);
      console.error(`${row.executor} x${row.workers}: ${row.trials} trials in ${row.seconds.toFixed(1)} s = ${row.perHour.toFixed(0)} trials/h (mean trial ${row.trialSeconds.toFixed(2)} s)`);
    }
  } finally {
    x.dispose();
    await fs.rm(root, { recursive: true, force: true });
  }
  const one = rows.find((r) => r.executor === 'process-pool' && r.workers === 1) ?? rows[0]!;
  const table = [
    '| executor | workers | trials | wall s | trials / hour | ratio to 1 worker | mean trial s |', '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.executor} | ${r.workers} | ${r.trials} | ${r.seconds.toFixed(1)} | ${r.perHour.toFixed(0)} | ${(r.perHour / one.perHour).toFixed(2)} | ${r.trialSeconds.toFixed(2)} |`),
  ].join('\n');
  console.log(table);
  const body = [
    '## Scale-out: trials per hour by worker count (`npm run bench:scale`)', '',
    `${new Date().toISOString().slice(0, 10)}; ${machineLine()}; backend ${args.backend}; 1-minute load average before the run ${load.toFixed(2)} (other processes' work: workers beyond the idle cores only share them).`,
    `The same search (random searcher, so that proposals cost nothing next to training; ${args.trials} trials, a two-block CNN, ${n} Fashion-MNIST sample images 28x28, ${args.epochs} epochs per trial, batch 32) in-process and on process pools (\`executor: { type: 'process-pool', workers }\`); wall time includes starting the workers and writing the data. Ratio: trials per hour over the 1-worker pool's.`, '',
    table,
  ].join('\n');
  if (args.write) writeSection(path.resolve(__dirname, '../BENCHMARKS.md'), 'scale', body);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
