/**
 * `npm run bench:train [-- --json] [--n 2048] [--cpu-n 64] [--repeat 3] [--models small-cnn,ak-cnn,mlp,text-cnn,bag-of-words] [--backends wasm,cpu] [--no-write] [--note TEXT]`
 *
 * Trains the reference networks (batch 64, Adam 1e-3, random inputs, one warm-up epoch then one timed epoch)
 * on every available tfjs backend: the image ones of ../shared/bench/torch_reference.py (28x28x1) and the
 * text generators' default graphs (bench/torch_text.py: random token ids). Runs the network's PyTorch
 * reference (one thread) in the same run when `/usr/bin/python3` has torch, and prints samples/s and the
 * ratio to native, for training and for inference (predict, batch 256). Writes its section of BENCHMARKS.md,
 * replacing the rows of the (backend, model) pairs it measured and keeping the others, each row labelled
 * with its run (bench/train-section.ts); `--note` is recorded beside this run's machine line (e.g. the load).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../src/backend';
import { compileGraph } from '../src/compile';
import { makeOptimizer } from '../src/train';
import { Rng } from '../src/util/rng';
import { NETWORKS, TEXT_LENGTH, TEXT_VOCABULARY } from './networks';
import { topKernels } from './profile';
import { machineLine, writeSection } from './report';
import { mergeTrainSection, parseTrainSection, renderTrainSection, runLabel, TRAIN_COLUMNS } from './train-section';

interface Args { json: boolean; n: number; cpuN: number; repeat: number; models: string[]; backends: string[]; write: boolean; note: string }
interface Native { samples_per_s: number; predict_samples_per_s: number }
interface Row {
  backend: string; model: string; samples: number; repeats: number; samples_per_s: number; native_samples_per_s: number | null; ratio: number | null;
  predict_samples_per_s: number; native_predict_samples_per_s: number | null; predict_ratio: number | null;
  /** wasm only: where one training step's time goes (`tf.profile`, ms per step). */
  top_kernels?: Array<{ kernel: string; ms: number; calls: number }>;
}

function parseArgs(argv: string[]): Args {
  const value = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  return {
    json: argv.includes('--json'), write: !argv.includes('--no-write'),
    n: Number(value('--n', '2048')), cpuN: Number(value('--cpu-n', '64')), repeat: Number(value('--repeat', '3')),
    models: value('--models', Object.keys(NETWORKS).join(',')).split(','),
    backends: value('--backends', BACKEND_NAMES.join(',')).split(','),
    note: value('--note', ''),
  };
}

/** The PyTorch twin of each kind of network: the shared image reference, our text one (with the bench's vocabulary and length). */
const TORCH: Record<'image' | 'text', { script: string; args: string[] }> = {
  image: { script: process.env.AUTOKERAS_TORCH_REFERENCE ?? path.resolve(__dirname, '../../shared/bench/torch_reference.py'), args: [] },
  text: { script: path.resolve(__dirname, 'torch_text.py'), args: ['--vocab', String(TEXT_VOCABULARY), '--length', String(TEXT_LENGTH)] },
};
const PYTHON = '/usr/bin/python3';

function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The PyTorch reference of `model` (one thread) on `n` samples, or null when its script is missing. */
function runTorch(model: string, n: number): Native | null {
  const { script, args } = TORCH[NETWORKS[model]!.reference];
  if (!fs.existsSync(script)) return null;
  const out = execFileSync(PYTHON, [script, '--threads', '1', '--n', String(n), '--models', model, ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Native;
}

async function measure(model: string, n: number, warmUp: boolean): Promise<{ train: number; predict: number }> {
  const network = NETWORKS[model]!;
  const net = compileGraph(network.graph(), { rng: new Rng(0) });
  const optimizer = makeOptimizer({ name: 'adam', learningRate: 1e-3 });
  net.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = network.inputs(n, 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, network.classes, 'int32', 2), network.classes));
  // yieldEvery 'never': fit's default yields to the event loop after batches, which here costs up to 30%.
  const fit = () => net.fit(x, y, { batchSize: 64, epochs: 1, shuffle: false, verbose: 0, yieldEvery: 'never' });
  if (warmUp) await fit();
  let t = performance.now();
  await fit();
  const train = n / ((performance.now() - t) / 1000);
  if (warmUp) tf.tidy(() => net.predict(x.slice(0, Math.min(256, n)), { batchSize: 256 }));
  t = performance.now();
  const p = net.predict(x, { batchSize: 256 }) as tf.Tensor;
  await p.data();
  const predict = n / ((performance.now() - t) / 1000);
  tf.dispose([x, y, p]);
  net.dispose();
  optimizer.dispose();
  return { train, predict };
}

/** The median, or null when any value is null. */
function median(values: Array<number | null>): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  const sorted = (values as number[]).slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const fmt = (v: number | null, digits = 0) => (v === null ? 'n/a' : v.toFixed(digits));

/** A row's cells, in the order of TRAIN_COLUMNS. */
const cells = (r: Row): string[] => [r.backend, r.model, `${r.samples} x ${r.repeats}`, fmt(r.samples_per_s, 1), fmt(r.native_samples_per_s, 1), fmt(r.ratio, 3),
  fmt(r.predict_samples_per_s, 1), fmt(r.native_predict_samples_per_s, 1), fmt(r.predict_ratio, 3)];

function table(rows: Row[]): string {
  const head = `| ${TRAIN_COLUMNS.join(' | ')} |\n|---|---|--:|--:|--:|--:|--:|--:|--:|`;
  return [head, ...rows.map((r) => `| ${cells(r).join(' | ')} |`)].join('\n');
}

/** The section's current body in `file`, or '' when absent. */
function currentSection(file: string): string {
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8');
  const open = '<!-- bench:train -->';
  const start = text.indexOf(open);
  const end = text.indexOf('<!-- /bench:train -->');
  return start >= 0 && end > start ? text.slice(start + open.length, end) : '';
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const torch = torchAvailable();
  const say = (line: string) => { if (!args.json) console.error(line); };
  if (!torch) say(`PyTorch reference unavailable (${PYTHON} without torch): ratios are n/a`);
  for (const model of args.models) if (!NETWORKS[model]) throw new Error(`unknown model ${model} (known: ${Object.keys(NETWORKS).join(', ')})`);
  for (const kind of new Set(args.models.map((m) => NETWORKS[m]!.reference))) {
    if (torch && !fs.existsSync(TORCH[kind].script)) say(`PyTorch reference ${TORCH[kind].script} missing: ratios of the ${kind} networks are n/a`);
  }
  const rows: Row[] = [];
  for (const backend of args.backends) {
    try {
      await selectBackend(backend, { env: {} });
    } catch {
      say(`backend ${backend}: not available, skipped`);
      continue;
    }
    const n = backend === 'cpu' ? args.cpuN : args.n;
    for (const model of args.models) {
      // PyTorch right before each measurement, on the same sample count, `repeat` times (on cpu, which takes
      // minutes per batch, once and without the warm-up epoch); the medians are reported, the ratio is the median of the paired ratios: the load of
      // a shared machine drifts, a pair measured back to back sees about the same load.
      const reps = backend === 'cpu' ? 1 : args.repeat;
      const pairs: Array<{ native: Native | null; ours: { train: number; predict: number } }> = [];
      for (let r = 0; r < reps; r++) {
        const native = torch ? runTorch(model, n) : null;
        pairs.push({ native, ours: await measure(model, n, backend !== 'cpu') });
      }
      const med = (f: (p: (typeof pairs)[number]) => number | null) => median(pairs.map(f));
      const row: Row = {
        backend: backend as BackendName, model, samples: n, repeats: reps,
        samples_per_s: med((p) => p.ours.train)!, native_samples_per_s: med((p) => p.native?.samples_per_s ?? null),
        ratio: med((p) => (p.native ? p.ours.train / p.native.samples_per_s : null)),
        predict_samples_per_s: med((p) => p.ours.predict)!, native_predict_samples_per_s: med((p) => p.native?.predict_samples_per_s ?? null),
        predict_ratio: med((p) => (p.native ? p.ours.predict / p.native.predict_samples_per_s : null)),
      };
      if (backend === 'wasm') row.top_kernels = await topKernels(model);
      rows.push(row);
      if (args.json) console.log(JSON.stringify(row));
      else say(`${backend} ${model}: ${fmt(row.samples_per_s, 1)} samples/s (ratio ${fmt(row.ratio, 3)}), predict ${fmt(row.predict_samples_per_s, 1)} (ratio ${fmt(row.predict_ratio, 3)})`);
    }
  }
  if (!args.json) console.log(`\n${table(rows)}`);
  if (!args.write) return;
  const file = path.resolve(__dirname, '../BENCHMARKS.md');
  const old = parseTrainSection(currentSection(file));
  const label = runLabel(new Date().toISOString().slice(0, 10), old.runs.map((r) => r.label));
  const run = {
    label,
    text: `${machineLine()}; tfjs ${tf.version.tfjs}; native: PyTorch ${torch ? `${execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim()}, CPU, 1 thread` : 'not available'}` +
      `; ${args.models.join(', ')} on ${args.backends.join(', ')}${args.note ? `; ${args.note}` : ''}`,
  };
  const merged = mergeTrainSection(old, {
    run,
    rows: rows.map((r) => ({ label, backend: r.backend, model: r.model, cells: cells(r) })),
    kernels: rows.filter((r) => r.top_kernels).map((r) => ({ label, model: r.model, text: r.top_kernels!.map((k) => `${k.kernel} ${k.ms} (${k.calls})`).join(', ') })),
  }, BACKEND_NAMES, Object.keys(NETWORKS));
  const body = [
    '## Training throughput (`npm run bench:train`)', '',
    `Batch 64, Adam 1e-3, random inputs (images 28x28x1, N(0, 1), 10 classes: ../shared/bench/torch_reference.py; text: ${TEXT_LENGTH} token ids of ${TEXT_VOCABULARY}, 2 classes: bench/torch_text.py), \`model.fit\` (yieldEvery \`never\`), one warm-up epoch (none on cpu) then one timed epoch of \`samples\`; predict in batches of 256. Native: PyTorch, one thread, measured in the same run just before each row. Medians of \`runs\` back-to-back pairs (PyTorch, then ours); ratio = median of the paired ratios ours / native. A run replaces the rows it measured and keeps the others: compare ratios, not samples/s, across runs.`, '',
    ...renderTrainSection(merged),
  ].join('\n');
  writeSection(file, 'train', body);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
