import type { SearchEvents } from '../search/search-loop';
import type { EpochLog } from '../train/types';
import type { ColumnReport } from '../data/rows';

/**
 * Events of a task model (eventemitter3), with typed payloads: `trialStart`, `epochEnd`, `trialEnd`,
 * `newBest`, `searchEnd` during `fit`; `epochEnd` (trialId -1) during `finalFit`.
 *
 * @example
 * ```ts
 * clf.on('newBest', (t) => console.log(`trial ${t.id}: ${t.metric}`));
 * ```
 */
export interface AutoModelEvents extends SearchEvents {
  epochEnd: (e: EpochLog & { trialId: number }) => void;
  /**
   * Structured-data tasks only, once per `fit` before the first trial: each column's type (declared or
   * inferred) and the columns left out with their reason (also `columns.json` in the search directory).
   */
  columnTypes: (report: ColumnReport) => void;
}
