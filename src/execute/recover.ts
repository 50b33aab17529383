import { graphFromJSON } from '../graph/json';
import type { TrialOutcome, TrialResult } from '../search/trial';
import type { Proposal } from '../search/types';
import { listDispatched, readOutcome, removeOutcome } from './outcome-files';
import type { TrialSpec } from './types';

/** A dispatched trial that did not finish before the chief stopped: run it again. */
export interface Rerun {
  spec: TrialSpec;
  proposal: Proposal;
}

/**
 * What a resumed chief does with the outcome folders of the previous run, before it proposes anything:
 * a trial already in the history only lost its clean-up (the folder is removed); a trial that finished
 * while the chief was down (its `result.json` is there) is recorded through `finish`; a trial still
 * unfinished is returned to be run again, with the new `deadline` (its old job may still be running
 * elsewhere: the BullMQ executor reuses the job id, so it is not run twice).
 *
 * @example
 * ```ts
 * const rerun = await recoverDispatched('./ak-run', history, finish, deadline);
 * for (const r of rerun) dispatch(r.spec.trialId, r.proposal, r.spec);
 * ```
 */
export async function recoverDispatched(
  directory: string,
  history: readonly TrialResult[],
  finish: (trialId: number, proposal: Proposal, outcome: TrialOutcome) => Promise<void>,
  deadline: number,
): Promise<Rerun[]> {
  const recorded = new Set(history.map((t) => t.id));
  const rerun: Rerun[] = [];
  for (const spec of await listDispatched(directory)) {
    if (recorded.has(spec.trialId)) {
      await removeOutcome(directory, spec.trialId);
      continue;
    }
    const proposal: Proposal = { graph: graphFromJSON(spec.graph), parentId: spec.parentId, ops: spec.ops };
    const outcome = await readOutcome(directory, spec.trialId);
    if (outcome) await finish(spec.trialId, proposal, outcome);
    else rerun.push({ spec: { ...spec, deadline }, proposal });
  }
  return rerun;
}
