/**
 * `npm run bench:generators`: how good are the initial architectures? Trains each network alone for a
 * fixed number of epochs (no search, no finalFit) on Fashion-MNIST and reports its test accuracy: the
 * default generators (cnn, resnet, densenet), the CNN as Auto-Keras 0.3 defines it
 * (`cnn-input-relu`: a relu on the standardised input) and the fixed ak-cnn of bench:search.
 *
 * Flags: --epochs N (default 6) --seeds 1,2 --nets cnn,cnn-input-relu,resnet,densenet,ak-cnn
 *        --train-size N (default 6000) --test-size N (default all) --rows-out FILE (append rows, no table)
 *        --table-from FILE[,FILE...] (run nothing: tabulate such rows, e.g. of two processes side by side)
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IdxSplit } from '../src/data/sample';
import { CnnGenerator, DenseNetGenerator, ResNetGenerator } from '../src/generators';
import type { GraphGenerator } from '../src/generators/common';
import { ImageClassifier } from '../src/tasks';
import { benchData, flag, mean, readRows } from './data';
import { akCnnNet } from './networks';
import { machineLine, writeSection } from './report';

const NETS: Record<string, () => GraphGenerator> = {
  cnn: () => new CnnGenerator(),
  'cnn-input-relu': () => new CnnGenerator({ inputRelu: true }),
  resnet: () => new ResNetGenerator(),
  densenet: () => new DenseNetGenerator(),
  'ak-cnn': () => ({ name: 'ak-cnn', generate: () => akCnnNet() }),
};

interface Row { net: string; seed: number; params: number; epochs: number; seconds: number; validation: number; test: number; source: string }

async function runOne(net: string, seed: number, epochs: number, train: IdxSplit, test: IdxSplit, source: string): Promise<Row> {
  const make = NETS[net];
  if (!make) throw new Error(`bench:generators: unknown net '${net}' (known: ${Object.keys(NETS).join(', ')})`);
  const clf = new ImageClassifier({
    directory: path.join('.bench-tmp', 'generators', `${net}-${seed}`), overwrite: true, seed,
    generators: [make()], maxTrials: 1, epochsPerTrial: epochs, patience: epochs, trialTimeLimit: 24 * 3600,
  });
  await clf.fit(train.x, Array.from(train.y), { timeLimit: 24 * 3600 });
  const trial = clf.bestTrial!;
  const row: Row = {
    net, seed, params: trial.graph.paramCount(), epochs: trial.epochs, seconds: trial.seconds, validation: trial.metric,
    test: await clf.evaluate(test.x, Array.from(test.y)), source,
  };
  clf.dispose();
  return row;
}

function writeTable(rows: Row[], note: string): void {
  const first = rows[0];
  if (!first) throw new Error('bench:generators: no rows to tabulate');
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machineLine()}, backend wasm. Data: ${first.source}.`,
    `${note}Each network trained alone (no search, no finalFit) for the epochs shown; validation: the best epoch's accuracy on the held-out split; test: the kept weights.`, '',
    '| network | seeds | parameters | epochs | s / epoch | validation (mean) | test accuracy (mean) | per seed |', '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const net of [...new Set(rows.map((r) => r.net))]) {
    const rs = rows.filter((r) => r.net === net);
    lines.push(`| ${net} | ${rs.length} | ${rs[0]!.params} | ${mean(rs.map((r) => r.epochs)).toFixed(1)} | ${mean(rs.map((r) => r.seconds / r.epochs)).toFixed(1)} | ${mean(rs.map((r) => r.validation)).toFixed(4)} | ${mean(rs.map((r) => r.test)).toFixed(4)} | ${rs.map((r) => r.test.toFixed(4)).join(', ')} |`);
  }
  const body = `## Initial architectures (npm run bench:generators)\n\n${lines.join('\n')}`;
  console.log(body);
  writeSection('BENCHMARKS.md', 'generators', body);
}

async function main(): Promise<void> {
  const from = flag('table-from');
  if (from) {
    const files = from.split(',');
    writeTable(readRows<Row>(files), files.length > 1 ? `Rows of ${files.length} processes that ran side by side, one per core. ` : '');
    return;
  }
  const { train, test, source } = await benchData(6000);
  const epochs = Number(flag('epochs', '6'));
  const seeds = flag('seeds', '1,2')!.split(',').map(Number);
  const nets = flag('nets', Object.keys(NETS).join(','))!.split(',');
  const rowsOut = flag('rows-out');
  console.log(`bench:generators: ${source}; ${epochs} epochs; seeds ${seeds.join(',')}; nets ${nets.join(',')}`);
  const rows: Row[] = [];
  for (const seed of seeds) {
    for (const net of nets) {
      const row = await runOne(net, seed, epochs, train, test, source);
      rows.push(row);
      if (rowsOut) appendFileSync(rowsOut, `${JSON.stringify(row)}\n`);
      console.log(`${net} seed ${seed}: ${row.epochs} epochs in ${row.seconds.toFixed(0)} s, validation ${row.validation.toFixed(4)}, test ${row.test.toFixed(4)}`);
    }
  }
  if (!rowsOut) writeTable(rows, '');
}

main().catch((e) => { console.error(e); process.exit(1); });
