/**
 * `npm run bench:quality`: quality per unit of time. At total wall-time budgets (search plus finalFit, the
 * whole budget a user gives) it runs `ImageClassifier` with its defaults, called as the README shows, and in
 * the same run the anchors of `../shared/bench/quality_anchors.py` on the same split: scikit-learn's
 * LogisticRegression and SVC (RBF, C=10) on pixels / 255, and PyTorch's fixed CNN (3 x conv64-BN-relu-pool)
 * trained for the same wall time on all cores (`/usr/bin/python3` with Debian's python3-sklearn and
 * python3-torch; skipped with a note when absent).
 *
 * Data sets (each: train / validation / test):
 * - `fashion`: Fashion-MNIST (Debian's dataset-fashion-mnist, /usr/share/datasets/fashion-mnist; skipped
 *   with a note when absent): the first 6,000 training images, the next 2,000 for validation, all 10,000 test images;
 * - `sample`: the bundled sample (data/fashion-mnist-sample): 2,500 / 500 of its training images, its 1,000 test images;
 * - `small`: Fashion-MNIST downsampled to 14x14 (2x2 means, rounded): 3,000 / 1,000 training images, all test images.
 * Validation images are given to `fit` and `finalFit` as `validationData`; the PyTorch CNN keeps its epoch
 * best on them; LR and SVC train on the train images only.
 *
 * Flags: --sets fashion,sample,small --budgets 60,300,1200 --seeds 1,2,3 (runs of 1200 s or more use the
 *        first 2) --methods ours,torch-cnn,lr,svc --fit-share 0.8 (the share of a budget given to fit; finalFit
 *        gets what is left) --options JSON (ImageClassifier options, for measuring a lever; the row is labelled
 *        with them) --anchors FILE (default ../shared/bench/quality_anchors.py) --rows-out FILE (append rows as
 *        JSON lines) --table-from FILE[,FILE...] (run nothing: tabulate rows, write BENCHMARKS.md and the chart)
 *        --notes-file FILE (with --table-from: text added under the tables)
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { IdxSplit } from '../src/data/sample';
import { fashionMnistSampleDir, loadIdxDirectory } from '../src/data/sample';
import { ImageClassifier } from '../src/tasks';
import type { AutoModelOptions } from '../src/tasks/options';
import { flag, mean, readRows } from './data';
import { machineLine, writeSection } from './report';

const FASHION = '/usr/share/datasets/fashion-mnist';
const PYTHON = '/usr/bin/python3';

interface DataSet { name: string; description: string; dir: string; n: number; val: number; train: IdxSplit; validation: IdxSplit; test: IdxSplit }

/** One measured run: a method on a data set at a budget and seed (budget 0 for LR and SVC, which take what they take). */
interface Row {
  set: string; method: string; budget: number; seed: number; test: number; seconds: number; trials?: number; epochs?: number;
  /** Ours: each trial (id, parent, ops, epochs, seconds, validation metric) and the finalFit (epochs, kept epoch, validation). */
  history?: Array<{ id: number; parentId: number | null; ops: string; epochs: number; seconds: number; metric: number }>;
  final?: { epochs: number; bestEpoch: number; validation: number; seconds: number };
  /** Ours: the trials in the fitted model (the `ensemble` option), their weights and validation metric. */
  ensemble?: { trialIds: number[]; weights: number[]; valMetric: number };
}

/** Images `from` .. `from + n - 1` of a split. */
function rows(split: IdxSplit, from: number, n: number): IdxSplit {
  const [N, h, w] = split.x.shape as [number, number, number];
  const end = Math.min(from + n, N);
  return { x: { data: split.x.data.subarray(from * h * w, end * h * w), shape: [end - from, h, w] }, y: split.y.subarray(from, end) };
}

/** 2x2 means (rounded) of `[N, H, W]` uint8 images. */
function halve(split: IdxSplit): IdxSplit {
  const [n, h, w] = split.x.shape as [number, number, number];
  const H = Math.floor(h / 2), W = Math.floor(w / 2);
  const out = new Uint8Array(n * H * W);
  const d = split.x.data;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const o = i * h * w + 2 * y * w + 2 * x;
        out[i * H * W + y * W + x] = Math.round((d[o]! + d[o + 1]! + d[o + w]! + d[o + w + 1]!) / 4);
      }
    }
  }
  return { x: { data: out, shape: [n, H, W] }, y: split.y };
}

/** Writes a split as gzipped IDX files (`<prefix>-images-idx3-ubyte.gz`, `<prefix>-labels-idx1-ubyte.gz`). */
function writeIdx(dir: string, prefix: string, split: IdxSplit): void {
  const [n, h, w] = split.x.shape as [number, number, number];
  const head = (magic: number, dims: number[]) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  writeFileSync(path.join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(Buffer.concat([head(0x803, [n, h, w]), Buffer.from(split.x.data)])));
  writeFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(Buffer.concat([head(0x801, [n]), Buffer.from(split.y)])));
}

async function dataSet(name: string, work: string): Promise<DataSet | string> {
  const make = async (description: string, dir: string, n: number, val: number): Promise<DataSet> => {
    const { train, test } = await loadIdxDirectory(dir);
    return { name, description, dir, n, val, train: rows(train, 0, n), validation: rows(train, n, val), test };
  };
  if (name === 'sample') return make('bundled Fashion-MNIST sample (data/fashion-mnist-sample), 28x28: 2,500 train / 500 validation / 1,000 test', fashionMnistSampleDir(), 2500, 500);
  if (!existsSync(FASHION)) return `${name}: skipped, ${FASHION} is absent (Debian's dataset-fashion-mnist)`;
  if (name === 'fashion') return make(`Fashion-MNIST (${FASHION}), 28x28: 6,000 train / 2,000 validation / 10,000 test`, FASHION, 6000, 2000);
  if (name === 'small') {
    const full = await loadIdxDirectory(FASHION);
    const dir = path.join(work, 'small-14x14');
    mkdirSync(dir, { recursive: true });
    writeIdx(dir, 'train', halve(rows(full.train, 0, 4000)));
    writeIdx(dir, 't10k', halve(full.test));
    return make('Fashion-MNIST downsampled to 14x14 (2x2 means): 3,000 train / 1,000 validation / 10,000 test', dir, 3000, 1000);
  }
  throw new Error(`bench:quality: unknown data set '${name}' (known: fashion, sample, small)`);
}

/** autokeras-ts as the README calls it: fit with a share of the budget, finalFit with the rest. */
async function ours(d: DataSet, budget: number, seed: number, fitShare: number, options: AutoModelOptions, label: string): Promise<Row> {
  const t0 = Date.now();
  const clf = new ImageClassifier({ seed, ...options });
  const y = Array.from(d.train.y);
  const validationData: [IdxSplit['x'], number[]] = [d.validation.x, Array.from(d.validation.y)];
  await clf.fit(d.train.x, y, { timeLimit: budget * fitShare, validationData });
  const t1 = Date.now();
  const left = budget - (t1 - t0) / 1000;
  if (left > 1) await clf.finalFit(d.train.x, y, undefined, undefined, { timeLimit: left, validationData });
  const seconds = (Date.now() - t0) / 1000;
  const test = await clf.evaluate(d.test.x, Array.from(d.test.y));
  const f = clf.finalFitReport;
  const e = clf.searchSummary?.ensemble;
  const row: Row = {
    set: d.name, method: label, budget, seed, test, seconds, trials: clf.history.length, epochs: f?.epochs ?? 0,
    history: clf.history.map((t) => ({ id: t.id, parentId: t.parentId, ops: t.ops.map((o) => o.type).join('+'), epochs: t.epochs, seconds: Math.round(t.seconds * 10) / 10, metric: t.metric })),
    ...(e ? { ensemble: { trialIds: e.trialIds, weights: e.weights.map((w) => Math.round(w * 1000) / 1000), valMetric: e.valMetric } } : {}),
    ...(f ? { final: { epochs: f.epochs, bestEpoch: f.bestEpoch, validation: f.validationMetric, seconds: Math.round((Date.now() - t1) / 100) / 10 } } : {}),
  };
  clf.dispose();
  return row;
}

/** One call of the anchors script; its JSON lines as rows. */
function anchors(script: string, d: DataSet, methods: string[], budget: number, seed: number): Row[] {
  const out = execFileSync(PYTHON, [script, '--dir', d.dir, '--n', String(d.n), '--val', String(d.val), '--budget', String(budget),
    '--threads', String(os.availableParallelism()), '--methods', methods.join(','), '--seed', String(seed)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out.split('\n').filter((l) => l.startsWith('{')).map((l) => {
    const r = JSON.parse(l) as { method: string; test_accuracy: number; seconds?: number; epochs?: number };
    const torch = r.method === 'torch-cnn';
    return { set: d.name, method: r.method, budget: torch ? budget : 0, seed: torch ? seed : 0, test: r.test_accuracy, seconds: r.seconds ?? budget, ...(r.epochs !== undefined ? { epochs: r.epochs } : {}) };
  });
}

function pythonHas(modules: string[]): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const fmt = (x: number) => x.toFixed(4);

/** The table of one data set: a row per method and budget, mean and per-seed test accuracy. */
function setTable(rs: Row[]): string[] {
  const lines = ['| method | budget (s) | seeds | test accuracy (mean) | per seed | seconds (mean) | trials (mean) |', '| --- | --: | --: | --: | --- | --: | --: |'];
  const keys = [...new Set(rs.map((r) => `${r.method}\u0000${r.budget}`))];
  keys.sort((a, b) => Number(a.split('\u0000')[1]) - Number(b.split('\u0000')[1]) || a.localeCompare(b));
  for (const k of keys) {
    const [method, budget] = k.split('\u0000') as [string, string];
    const g = rs.filter((r) => r.method === method && String(r.budget) === budget).sort((a, b) => a.seed - b.seed);
    const trials = g.every((r) => r.trials !== undefined) ? mean(g.map((r) => r.trials!)).toFixed(1) : '';
    lines.push(`| ${method} | ${budget === '0' ? '-' : budget} | ${g.length} | ${fmt(mean(g.map((r) => r.test)))} | ${g.map((r) => fmt(r.test)).join(', ')} | ${mean(g.map((r) => r.seconds)).toFixed(0)} | ${trials} |`);
  }
  return lines;
}

/** Test accuracy against budget, one panel per data set: a line per budgeted method, LR and SVC as flat lines. */
function chart(all: Row[], sets: string[]): string {
  const W = 360, H = 240, L = 50, B = 36, T = 24;
  const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];
  const panels = sets.map((set, p) => {
    const rs = all.filter((r) => r.set === set);
    const budgets = [...new Set(rs.filter((r) => r.budget > 0).map((r) => r.budget))].sort((a, b) => a - b);
    if (budgets.length === 0) return '';
    const accs = rs.map((r) => r.test);
    const lo = Math.floor(Math.min(...accs) * 50) / 50, hi = Math.ceil(Math.max(...accs) * 50) / 50;
    const lx = (b: number) => budgets.length === 1 ? L + (W - L) / 2 : L + ((Math.log(b) - Math.log(budgets[0]!)) / (Math.log(budgets.at(-1)!) - Math.log(budgets[0]!))) * (W - L - 20);
    const ly = (a: number) => T + (1 - (a - lo) / Math.max(hi - lo, 1e-9)) * (H - T - B);
    const parts: string[] = [`<g transform="translate(${p * (W + 20)},0)">`, `<text x="${L}" y="16" font-size="13">${set}</text>`,
      `<line x1="${L}" y1="${H - B}" x2="${W}" y2="${H - B}" stroke="#444"/>`, `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#444"/>`];
    for (const b of budgets) parts.push(`<text x="${lx(b)}" y="${H - B + 16}" font-size="10" text-anchor="middle">${b} s</text>`);
    for (let a = lo; a <= hi + 1e-9; a += (hi - lo) / 4) parts.push(`<text x="${L - 4}" y="${ly(a) + 3}" font-size="10" text-anchor="end">${a.toFixed(3)}</text>`);
    const methods = [...new Set(rs.map((r) => r.method))];
    methods.forEach((m, i) => {
      const colour = colours[i % colours.length]!;
      const g = rs.filter((r) => r.method === m);
      if (g.every((r) => r.budget === 0)) {
        const y = ly(mean(g.map((r) => r.test)));
        parts.push(`<line x1="${L}" y1="${y}" x2="${W - 20}" y2="${y}" stroke="${colour}" stroke-dasharray="4 3"/>`);
      } else {
        const pts = budgets.filter((b) => g.some((r) => r.budget === b)).map((b) => [lx(b), ly(mean(g.filter((r) => r.budget === b).map((r) => r.test)))] as const);
        parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`);
        for (const [x, y] of pts) parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${colour}"/>`);
      }
      parts.push(`<text x="${L}" y="${H + 6 + 12 * i}" font-size="10" fill="${colour}">${g.every((r) => r.budget === 0) ? '- - ' : '— '}${m.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`);
    });
    parts.push('</g>');
    return parts.join('\n');
  });
  const width = sets.length * (W + 20);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 80}" font-family="sans-serif">\n${panels.join('\n')}\n</svg>\n`;
}

function writeTable(all: Row[], descriptions: Record<string, string>, notes: string[]): void {
  const sets = [...new Set(all.map((r) => r.set))];
  const body: string[] = ['## Quality per unit of time (npm run bench:quality)', '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, backend wasm. Budget: the whole wall time of a run (ours: fit then finalFit with what is left; PyTorch: its training loop); LR and SVC take what they take (seconds column).`, '',
    '![test accuracy against budget](bench-quality.svg)', ''];
  for (const set of sets) {
    body.push(`### ${set}${descriptions[set] ? `: ${descriptions[set]}` : ''}`, '', ...setTable(all.filter((r) => r.set === set)), '');
  }
  body.push(...notes);
  const text = body.join('\n');
  console.log(text);
  writeSection('BENCHMARKS.md', 'quality', text);
  writeFileSync('bench-quality.svg', chart(all, sets));
}

async function main(): Promise<void> {
  const from = flag('table-from');
  const descriptions: Record<string, string> = {};
  if (from) {
    const rowsIn = readRows<Row & { description?: string }>(from.split(','));
    for (const r of rowsIn) if (r.description) descriptions[r.set] = r.description;
    const notes = flag('notes-file');
    writeTable(rowsIn.filter((r) => r.method !== 'description'), descriptions, notes ? readFileSync(notes, 'utf8').split('\n') : []);
    return;
  }
  const sets = flag('sets', 'fashion,sample,small')!.split(',');
  const budgets = flag('budgets', '60,300,1200')!.split(',').map(Number);
  const seeds = flag('seeds', '1,2,3')!.split(',').map(Number);
  const methods = flag('methods', 'ours,torch-cnn,lr,svc')!.split(',');
  const fitShare = Number(flag('fit-share', '0.8'));
  const options = JSON.parse(flag('options', '{}')!) as AutoModelOptions;
  const label = Object.keys(options).length ? `autokeras-ts ${JSON.stringify(options)}` : 'autokeras-ts';
  const script = flag('anchors', path.join(__dirname, '..', '..', 'shared', 'bench', 'quality_anchors.py'))!;
  const rowsOut = flag('rows-out');
  const work = path.join('.bench-tmp', 'quality');
  mkdirSync(work, { recursive: true });
  const notes: string[] = [];
  const sklearn = existsSync(script) && pythonHas(['numpy', 'sklearn']);
  const torch = existsSync(script) && pythonHas(['numpy', 'torch']);
  if (!existsSync(script)) notes.push(`Anchors skipped: ${script} is absent.`);
  else {
    if (!sklearn) notes.push(`LR and SVC skipped: ${PYTHON} cannot import scikit-learn (Debian: python3-sklearn).`);
    if (!torch) notes.push(`PyTorch CNN skipped: ${PYTHON} cannot import torch (Debian: python3-torch).`);
  }
  const all: Row[] = [];
  const keep = (r: Row) => {
    all.push(r);
    if (rowsOut) appendFileSync(rowsOut, `${JSON.stringify(r)}\n`);
    console.log(`${r.set} ${r.method} budget ${r.budget} seed ${r.seed}: test ${fmt(r.test)} (${r.seconds.toFixed(0)} s${r.trials !== undefined ? `, ${r.trials} trials` : ''})`);
    for (const t of r.history ?? []) console.log(`  trial ${t.id}${t.parentId === null ? '' : ` <- ${t.parentId} ${t.ops}`}: ${t.epochs} epochs, ${t.seconds} s, validation ${fmt(t.metric)}`);
    if (r.ensemble && r.ensemble.trialIds.length > 1) console.log(`  ensemble: trials ${r.ensemble.trialIds.join(', ')} (weights ${r.ensemble.weights.join(', ')}), validation ${fmt(r.ensemble.valMetric)}`);
    if (r.final) console.log(`  finalFit: ${r.final.epochs} epochs (kept ${r.final.bestEpoch}), ${r.final.seconds} s, validation ${fmt(r.final.validation)}`);
  };
  for (const name of sets) {
    const d = await dataSet(name, work);
    if (typeof d === 'string') {
      notes.push(d);
      console.log(d);
      continue;
    }
    descriptions[d.name] = d.description;
    if (rowsOut) appendFileSync(rowsOut, `${JSON.stringify({ set: d.name, method: 'description', description: d.description })}\n`);
    const linear = methods.filter((m) => (m === 'lr' || m === 'svc') && sklearn);
    if (linear.length) for (const r of anchors(script, d, linear, 0, 1)) keep(r);
    for (const budget of budgets) {
      for (const seed of budget >= 1200 ? seeds.slice(0, 2) : seeds) {
        if (methods.includes('ours')) keep(await ours(d, budget, seed, fitShare, options, label));
        if (methods.includes('torch-cnn') && torch) for (const r of anchors(script, d, ['cnn'], budget, seed)) keep(r);
      }
    }
  }
  if (!rowsOut) writeTable(all, descriptions, notes);
  else for (const n of notes) console.log(n);
}

main().catch((e) => { console.error(e); process.exit(1); });
