import { AutoKerasError } from '../errors';
import { clearDataCache } from './data-files';
import { executeAndWrite } from './run-spec';
import type { EpochLog } from '../train/types';
import type { TrialSpec, WorkerResult } from './types';

/**
 * A message from the chief to a pool child.
 *
 * @example
 * ```ts
 * child.send({ type: 'run', spec } satisfies ChildRequest);
 * ```
 */
export type ChildRequest = { type: 'run'; spec: TrialSpec } | { type: 'abort'; trialId: number };

/**
 * A message from a pool child to the chief.
 *
 * @example
 * ```ts
 * child.on('message', (m: ChildReply) => { if (m.type === 'result') console.log(m.result.metric); });
 * ```
 */
export type ChildReply =
  | { type: 'ready' }
  | { type: 'epoch'; trialId: number; log: EpochLog }
  | { type: 'result'; trialId: number; result: WorkerResult }
  | { type: 'error'; trialId: number; message: string };

/**
 * The entry of a {@link ProcessPoolExecutor} child (started with `child_process.fork`): it runs one
 * trial spec at a time as the chief sends them over IPC, writes each outcome into the search
 * directory and answers with the {@link WorkerResult}, after an `epoch` message per epoch; it exits
 * when the chief disconnects.
 *
 * @example
 * ```ts
 * // started by ProcessPoolExecutor; by hand: fork(forkEntry('child').file, [], { execArgv: forkEntry('child').execArgv })
 * startChild();
 * ```
 */
export function startChild(): void {
  const send = (m: ChildReply): void => { process.send?.(m); };
  let queue: Promise<void> = Promise.resolve();
  // The trials this child was asked to run, to stop one when the search is stopped.
  const running = new Map<number, AbortController>();
  process.on('message', (m: ChildRequest) => {
    if (m?.type === 'abort') { running.get(m.trialId)?.abort(); return; }
    if (m?.type !== 'run') return;
    const controller = new AbortController();
    running.set(m.spec?.trialId, controller);
    queue = queue.then(async () => {
      try {
        const trialId = m.spec.trialId;
        send({ type: 'result', trialId, result: await executeAndWrite(m.spec, { epochEnd: (log) => send({ type: 'epoch', trialId, log }), signal: controller.signal }) });
      } catch (e) {
        const message = e instanceof AutoKerasError ? `${e.name}: ${e.message}` : String((e as Error)?.stack ?? e);
        send({ type: 'error', trialId: m.spec?.trialId, message });
      } finally {
        running.delete(m.spec?.trialId);
      }
    });
  });
  process.on('disconnect', () => {
    clearDataCache();
    process.exit(0);
  });
  send({ type: 'ready' });
}

if (require.main === module) startChild();
