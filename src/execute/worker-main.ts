import { parseArgs } from 'node:util';
import { runWorker } from './worker';

/**
 * A worker process entry for scripts and tests (`node dist/execute/worker-main.js --redis URL --queue NAME`;
 * the CLI's `autokeras-ts worker` does the same): runs {@link runWorker} until SIGTERM or SIGINT.
 *
 * @example
 * ```ts
 * const { file, execArgv } = forkEntry('worker-main');
 * fork(file, ['--redis', 'redis://127.0.0.1:6390', '--queue', 'ak'], { execArgv });
 * ```
 */
export async function workerMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      redis: { type: 'string' }, queue: { type: 'string' }, concurrency: { type: 'string' },
      'lock-duration': { type: 'string' }, 'stalled-interval': { type: 'string' },
    },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const worker = await runWorker({
    redis: values.redis ?? 'redis://127.0.0.1:6379', queue: values.queue ?? '', concurrency: num(values.concurrency),
    lockDuration: num(values['lock-duration']), stalledInterval: num(values['stalled-interval']),
  });
  const stop = (): void => { void worker.close().then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.send?.({ type: 'ready' });
}

if (require.main === module) {
  workerMain(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
    process.exit(1);
  });
}
