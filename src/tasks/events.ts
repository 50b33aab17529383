import type { SearchEvents } from '../search/search-loop';
import type { EpochLog } from '../train/types';
import type { ColumnReport } from '../data/rows';
import type { ResizeEvent } from '../data/resize';

/** Payload of the `searchStart` event: how `fit` opened its search. */
export interface SearchStartEvent {
  /** The search directory, or null for a search kept in memory. */
  directory: string | null;
  /** Whether an existing search was continued (`resume: true` and the folder held one). */
  resumed: boolean;
  /** Trials already recorded (resumed searches), else 0. */
  trials: number;
  /**
   * Set when `resume: true` found no search in `directory` (the folder is missing or empty): a new
   * search was started there, as Keras Tuner / AutoKeras do with `overwrite=False`. Printed when `verbose`.
   */
  notice?: string;
}

/**
 * Events of a task model (eventemitter3), with typed payloads: `searchStart`, `trialStart`, `epochEnd`,
 * `trialEnd`, `newBest`, `searchEnd` during `fit`; `epochEnd` (trialId -1) during `finalFit`; `resized` when images
 * of another size were resized.
 *
 * @example
 * ```ts
 * clf.on('newBest', (t) => console.log(`trial ${t.id}: ${t.metric}`));
 * ```
 */
export interface AutoModelEvents extends SearchEvents {
  searchStart: (e: SearchStartEvent) => void;
  epochEnd: (e: EpochLog & { trialId: number }) => void;
  /**
   * Structured-data tasks only, once per `fit` before the first trial: each column's type (declared or
   * inferred) and the columns left out with their reason (also `columns.json` in the search directory).
   */
  columnTypes: (report: ColumnReport) => void;
  /**
   * 2D images of another size were resized: in `fit` to the size chosen (`imageSize`, or the median
   * capped at `DEFAULTS.data.maxImageSize`), in `predict` / `evaluate` / `finalFit` to the model's.
   */
  resized: (e: ResizeEvent) => void;
}
