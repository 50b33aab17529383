import type { Graph } from '../graph/graph';
import { graphFromJSON } from '../graph/json';
import { details } from '../search/search-loop';
import type { TrialOutcome, TrialSummary } from '../search/search-loop';
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
 * while the chief was down (its `result.json` is there) is recorded through `record`; a trial still
 * unfinished is returned to be run again, with the new `deadline` (its old job may still be running
 * elsewhere: the BullMQ executor reuses the job id, so it is not run twice).
 *
 * @example
 * ```ts
 * const rerun = await recoverDispatched('./ak-run', history, record, deadline);
 * for (const r of rerun) dispatch(r.spec.trialId, r.proposal, 0, r.spec);
 * ```
 */
export async function recoverDispatched(
  directory: string,
  history: readonly TrialSummary[],
  record: (summary: TrialSummary & { trained?: Graph }) => Promise<void>,
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
    if (outcome) await record(summarize(spec.trialId, proposal, 0, outcome));
    else rerun.push({ spec: { ...spec, deadline }, proposal });
  }
  return rerun;
}

/**
 * The history line of a finished trial (as `runSearchLoop` records it), with the trained graph.
 *
 * @example
 * ```ts
 * const summary = summarize(3, proposal, 0.2, outcome);
 * ```
 */
export function summarize(trialId: number, p: Proposal, proposeSeconds: number, o: TrialOutcome): TrialSummary & { trained?: TrialOutcome['graph'] } {
  const out: TrialSummary & { trained?: TrialOutcome['graph'] } = {
    id: trialId, graph: (o.graph ?? p.graph).clone(false), parentId: p.parentId, ops: p.ops, proposeSeconds, proposeWaitSeconds: proposeSeconds,
    metric: o.status === 'ok' ? o.metric : NaN, status: o.status, epochs: o.epochs, seconds: o.seconds,
  };
  if (o.error) out.error = o.error;
  Object.assign(out, details(o));
  if (o.graph) out.trained = o.graph;
  return out;
}
