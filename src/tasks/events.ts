import type { SearchEvents } from '../search/search-loop';
import type { EpochLog } from '../train/types';

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
}
