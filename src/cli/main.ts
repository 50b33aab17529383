#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { AutoKerasError } from '../errors';
import { runWorker } from '../execute/worker';
import { writeSearchReport } from '../report/from-directory';
import type { AutoModelOptions } from '../tasks/options';
import type { MetricName } from '../train/metrics';
import { demoCommand, fitCommand, predictCommand } from './commands';
import type { SearchCommandOptions } from './commands';
import { parseDuration } from './duration';

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, received ${value}`);
  return n;
}

function searchOptions(cmd: Command): Command {
  return cmd
    .option('--time-limit <duration>', 'search budget: 90, 90s, 10m, 1.5h', duration)
    .option('--out <dir>', 'search directory (history, trials, export, report)')
    .option('--task <task>', 'classification, regression, structured-classification or structured-regression (rows of a CSV), text-classification or text-regression (a text column of a CSV)', 'classification')
    .option('--target <column>', 'structured and text tasks: the target column of the --data CSV')
    .option('--text-column <column>', 'text tasks: the column of the texts (default: the only other column)')
    .option('--seed <n>', 'random seed', integer, 1)
    .option('--searcher <name>', 'bayesian, random or greedy', 'bayesian')
    .option('--max-trials <n>', 'most trials', integer)
    .option('--objective <metric>', 'what the search optimises: accuracy, auc, f1, precision, recall, crossentropy (classification); mse, mae, rmse, r2 (regression)')
    .option('--metrics <list>', 'more metrics to record and report, comma-separated (e.g. f1,auc)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--backend <name>', 'tfjs-node-gpu, tfjs-node, wasm or cpu (default: the best available)')
    .option('--no-final-fit', 'skip training the best architecture further')
    .option('--final-time <duration>', 'budget of the final fit (default: a quarter of the search budget)', duration);
}

function toOptions(o: Record<string, unknown>, defaults: { out: string; timeLimit: number }): SearchCommandOptions {
  return {
    out: (o.out as string) ?? defaults.out, timeLimit: (o.timeLimit as number) ?? defaults.timeLimit, task: o.task as SearchCommandOptions['task'],
    ...(o.target !== undefined ? { target: o.target as string } : {}),
    ...(o.textColumn !== undefined ? { textColumn: o.textColumn as string } : {}),
    seed: o.seed as number, searcher: o.searcher as string, maxTrials: o.maxTrials as number | undefined,
    ...(o.objective !== undefined ? { objective: o.objective as MetricName } : {}), ...(o.metrics !== undefined ? { metrics: o.metrics as MetricName[] } : {}),
    backend: o.backend as AutoModelOptions['backend'], finalFit: o.finalFit as boolean, finalTime: o.finalTime as number | undefined,
  };
}

/** The `autokeras-ts` command line program. */
export function buildProgram(): Command {
  const program = new Command('autokeras-ts')
    .description('Neural architecture search by network morphism and Bayesian optimisation (Auto-Keras) for TensorFlow.js')
    .showHelpAfterError();
  searchOptions(program.command('demo').description('search on the bundled Fashion-MNIST sample and report (what `npm start` runs)'))
    .action(async (o) => { await demoCommand(toOptions(o, { out: './ak-demo', timeLimit: 180 })); });
  searchOptions(program.command('fit').description('search for a model on your data')
    .requiredOption('--data <path>', 'a folder or prefix of IDX files, a CSV of file names + labels beside images, or a JSON {x, y}; structured and text tasks: a CSV with a header')
    .option('--test-data <path>', 'test data, reported at the end'))
    .action(async (o) => { await fitCommand(o.data, o.testData, toOptions(o, { out: './ak-run', timeLimit: 600 })); });
  program.command('predict').description('predict with a search directory or an exported model')
    .requiredOption('--model <dir>', 'a search directory or an export folder')
    .requiredOption('--data <path>', 'data in any format `fit` reads (labels are ignored); structured tasks: a CSV of rows; text tasks: a CSV with a text column')
    .option('--task <task>', 'classification, regression, structured-classification, structured-regression, text-classification or text-regression (structured and text models are recognised from their preprocessing)', 'classification')
    .option('--text-column <column>', 'text models: the column of the texts (default: the only column with non-numeric cells)')
    .option('--backend <name>', 'tfjs backend')
    .action(async (o) => { for (const line of await predictCommand(o.model, o.data, o.task, o.backend, o.textColumn)) console.log(line); });
  program.command('report').description('write the HTML report of a search directory')
    .argument('<dir>', 'search directory')
    .option('--out <file>', 'report file (default <dir>/report.html)')
    .action(async (dir: string, o) => { console.log(await writeSearchReport(dir, o.out)); });
  program.command('worker').description('train trials from a BullMQ queue on Redis (the chief uses executor: { type: \'bullmq\' }); stops on SIGTERM/SIGINT')
    .option('--redis <url>', 'Redis URL', 'redis://127.0.0.1:6379')
    .requiredOption('--queue <name>', 'queue name (the chief\'s executor.queue)')
    .option('--concurrency <n>', 'trials trained at once by this process', integer, 1)
    .action(async (o) => {
      const worker = await runWorker({ redis: o.redis, queue: o.queue, concurrency: o.concurrency });
      const stop = (): void => { void worker.close().then(() => process.exit(0)); };
      process.once('SIGTERM', stop).once('SIGINT', stop);
    });
  return program;
}

if (require.main === module) {
  buildProgram().parseAsync(process.argv).catch((e: unknown) => {
    console.error(e instanceof AutoKerasError ? `${e.name}: ${e.message}` : e);
    process.exit(1);
  });
}
