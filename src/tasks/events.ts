import type { SearchEvents } from '../search/search-loop';

/**
 * Events of a task model (eventemitter3), with typed payloads: `trialStart`, `epochEnd`, `trialEnd`,
 * `newBest`, `searchEnd` during `fit`; `epochEnd` (trialId -1) during `finalFit`.
 *
 * @example
 * ```ts
 * clf.on('newBest', (t) => console.log(`trial ${t.id}: ${t.metric}`));
 * ```
 */
export interface AutoModelEvents extends SearchEvents {}
