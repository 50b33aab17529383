/**
 * `npm run bench:recipe`: what the training recipe alone is worth. Trains the default CNN (CnnGenerator,
 * the search's first architecture) alone for a fixed wall time (no morphs, no finalFit) under named
 * recipes (augmentation, learning-rate schedule) on Fashion-MNIST, validating on the training images
 * after the train set, and reports validation and test accuracy: one lever measured at a time.
 *
 * Flags: --seconds S (default 150) --seeds 1,2 --recipes a,b (names below) --train-size N (default 6000)
 *        --validation-size N (default 2000) --test-size N (default all) --rows-out FILE (append rows, no table)
 *        --table-from FILE[,FILE...] (run nothing: tabulate such rows, e.g. of two processes side by side)
 *        --section SUFFIX (with --table-from: write BENCHMARKS.md section recipeSUFFIX, to keep several tables)
 *        --note TEXT (with --table-from: a sentence before the table)
 *        --machine TEXT (with --table-from: the machine the rows were measured on, when not this one)
 */
import { appendFileSync } from 'node:fs';
import type { AugmentSettings } from '../src/data/augment';
import type { IdxSplit } from '../src/data/sample';
import { CnnGenerator } from '../src/generators';
import { ImageClassifier } from '../src/tasks';
import type { LrSchedule } from '../src/train/types';
import { benchData, flag, mean, readRows } from './data';
import { machineLine, writeSection } from './report';

/** The recipes: `ak03` is Auto-Keras 0.3's augmentation (pad 4, cutout 0.5, flips) at a constant rate. */
const RECIPES: Record<string, { augment: boolean | AugmentSettings; lrSchedule: LrSchedule; batchSize?: number; learningRate?: number; filters?: number }> = {
  ak03: { augment: { shift: 4 / 28, cutoutRatio: 0.5, flip: true }, lrSchedule: 'constant' },
  'shift-constant': { augment: true, lrSchedule: 'constant' },
  'shift-cosine': { augment: true, lrSchedule: 'cosine' },
  'shift-flip-cosine': { augment: { flip: true }, lrSchedule: 'cosine' },
  'none-cosine': { augment: false, lrSchedule: 'cosine' },
  'none-constant': { augment: false, lrSchedule: 'constant' },
  'none-cosine-lr2e3': { augment: false, lrSchedule: 'cosine', learningRate: 2e-3 },
  'none-cosine-b64': { augment: false, lrSchedule: 'cosine', batchSize: 64 },
  'none-cosine-lr2e3-f32': { augment: false, lrSchedule: 'cosine', learningRate: 2e-3, filters: 32 },
  'none-cosine-lr2e3-f16': { augment: false, lrSchedule: 'cosine', learningRate: 2e-3, filters: 16 },
  'shift-cosine-b64-lr2e3': { augment: true, lrSchedule: 'cosine', batchSize: 64, learningRate: 2e-3 },
  'shift-cosine-b64': { augment: true, lrSchedule: 'cosine', batchSize: 64 },
  'shift-cutout25-cosine': { augment: { cutoutRatio: 0.25 }, lrSchedule: 'cosine' },
  'shift-cosine-lr2e3': { augment: true, lrSchedule: 'cosine', learningRate: 2e-3 },
};

interface Row { recipe: string; seed: number; seconds: number; epochs: number; validation: number; test: number; source: string }

async function runOne(recipe: string, seed: number, seconds: number, train: IdxSplit, validation: IdxSplit, test: IdxSplit, source: string): Promise<Row> {
  const r = RECIPES[recipe];
  if (!r) throw new Error(`bench:recipe: unknown recipe '${recipe}' (known: ${Object.keys(RECIPES).join(', ')})`);
  const clf = new ImageClassifier({
    seed, generators: [new CnnGenerator(r.filters ? { filters: r.filters } : {})], maxTrials: 1, searchThread: false, executor: 'in-process', epochsPerTrial: 1000, trialTimeLimit: seconds,
    augment: r.augment, lrSchedule: r.lrSchedule, ...(r.batchSize ? { batchSize: r.batchSize } : {}),
    ...(r.learningRate ? { optimizer: { name: 'adam' as const, learningRate: r.learningRate } } : {}),
  });
  await clf.fit(train.x, Array.from(train.y), { timeLimit: seconds + 60, validationData: [validation.x, Array.from(validation.y)] });
  const trial = clf.bestTrial!;
  const row: Row = { recipe, seed, seconds: trial.seconds, epochs: trial.epochs, validation: trial.metric, test: await clf.evaluate(test.x, Array.from(test.y)), source };
  clf.dispose();
  return row;
}

function writeTable(rows: Row[], note: string): void {
  const first = rows[0];
  if (!first) throw new Error('bench:recipe: no rows to tabulate');
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${flag('machine') ?? machineLine()}, backend wasm. Data: ${first.source}.`,
    `${note}The default CNN trained alone for ${Math.round(mean(rows.map((r) => r.seconds)))} s (no search, no finalFit); validation: the kept epoch's accuracy; test: its weights.`, '',
    '| recipe | augment | schedule | seeds | epochs | validation (mean) | test accuracy (mean) | per seed |', '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of [...new Set(rows.map((r) => r.recipe))]) {
    const rs = rows.filter((r) => r.recipe === name).sort((a, b) => a.seed - b.seed);
    const r = RECIPES[name];
    lines.push(`| ${name} | ${JSON.stringify(r?.augment)}${r?.batchSize ? `, batch ${r.batchSize}` : ''}${r?.learningRate ? `, lr ${r.learningRate}` : ''}${r?.filters ? `, ${r.filters} filters` : ''} | ${r?.lrSchedule} | ${rs.length} | ${mean(rs.map((x) => x.epochs)).toFixed(1)} | ${mean(rs.map((x) => x.validation)).toFixed(4)} | ${mean(rs.map((x) => x.test)).toFixed(4)} | ${rs.map((x) => x.test.toFixed(4)).join(', ')} |`);
  }
  const body = `## Training recipe (npm run bench:recipe)\n\n${lines.join('\n')}`;
  console.log(body);
  writeSection('BENCHMARKS.md', `recipe${flag('section') ?? ''}`, body);
}

async function main(): Promise<void> {
  const from = flag('table-from');
  if (from) {
    const files = from.split(',');
    writeTable(readRows<Row>(files), `${files.length > 1 ? `Rows of ${files.length} processes that ran side by side, one per core. ` : ''}${flag('note') ?? ''}`);
    return;
  }
  process.argv.push(...(flag('validation-size') ? [] : ['--validation-size', '2000']));
  const { train, test, validation, source } = await benchData(6000);
  const seconds = Number(flag('seconds', '150'));
  const seeds = flag('seeds', '1,2')!.split(',').map(Number);
  const recipes = flag('recipes', Object.keys(RECIPES).join(','))!.split(',');
  const rowsOut = flag('rows-out');
  console.log(`bench:recipe: ${source}; ${seconds} s a run; seeds ${seeds.join(',')}; recipes ${recipes.join(',')}`);
  const rows: Row[] = [];
  for (const seed of seeds) {
    for (const recipe of recipes) {
      const row = await runOne(recipe, seed, seconds, train, validation!, test, source);
      rows.push(row);
      if (rowsOut) appendFileSync(rowsOut, `${JSON.stringify(row)}\n`);
      console.log(`${recipe} seed ${seed}: ${row.epochs} epochs in ${row.seconds.toFixed(0)} s, validation ${row.validation.toFixed(4)}, test ${row.test.toFixed(4)}`);
    }
  }
  if (!rowsOut) writeTable(rows, '');
}

main().catch((e) => { console.error(e); process.exit(1); });
