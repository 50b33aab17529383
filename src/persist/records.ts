import type { PreprocessingJSON, Task } from '../data/preprocessing';
import type { Graph } from '../graph/graph';
import { describeGraph } from '../graph/descriptor';
import { definedOnly } from '../search/trial';
import type { TrialResult } from '../search/trial';
import type { JsonValue } from '../search/types';
import { corrupt } from './atomic';

/** The search-directory format this code writes and reads. */
export const SEARCH_FORMAT_VERSION = 1;

/** A short, JSON-safe summary of an architecture for reports (the full structure is in the trial's graph.json). */
export interface ArchitectureSummary {
  /** Layers in the graph. */
  layers: number;
  /** Layers on the main chain (the descriptor's length). */
  depth: number;
  params: number;
  /** Skip connections by type. */
  skips: { add: number; concat: number };
  /** Layer count per kind. */
  kinds: Record<string, number>;
}

/**
 * One line of `history.json`: a finished or failed trial, the {@link TrialResult} without its graph
 * (which is in `trials/<id>/graph.json`) and with the architecture's summary and times. `metric` /
 * `valLoss` are null in the file when NaN. Written by {@link toTrialEntry}, read back by
 * {@link fromTrialEntry}.
 */
export interface TrialEntry extends Omit<TrialResult, 'graph' | 'proposeSeconds'> {
  architecture: ArchitectureSummary;
  /** Seconds the searcher took to propose it. */
  proposeSeconds?: number;
  /** ISO 8601 times. */
  startedAt: string;
  endedAt: string;
  /** Whether `trials/<id>/weights.bin` holds its trained weights. */
  hasWeights: boolean;
}

/**
 * The history line of a trial (what the search directory writes), ended at `endedAt` (ms since the
 * epoch); the inverse of {@link fromTrialEntry}.
 *
 * @example
 * ```ts
 * const entry = toTrialEntry(result, Date.now(), true);
 * ```
 */
export function toTrialEntry(result: TrialResult, endedAt: number, hasWeights: boolean): TrialEntry {
  const { graph, ...rest } = result;
  return {
    ...definedOnly(rest), architecture: summarizeArchitecture(graph),
    startedAt: new Date(endedAt - result.seconds * 1000).toISOString(), endedAt: new Date(endedAt).toISOString(), hasWeights,
  };
}

/**
 * The {@link TrialResult} of a history line, with `graph` (the trial's own architecture, read from
 * `trials/<id>/graph.json`); the inverse of {@link toTrialEntry}: every field of the result comes back.
 *
 * @example
 * ```ts
 * const result = fromTrialEntry(entry, await dir.readTrialGraph(entry.id, false));
 * ```
 */
export function fromTrialEntry(entry: TrialEntry, graph: Graph): TrialResult {
  const { architecture: _a, startedAt: _s, endedAt: _e, hasWeights: _h, ...rest } = entry;
  return { ...definedOnly(rest), graph, proposeSeconds: entry.proposeSeconds ?? 0 };
}

/** `meta.json`: what the search is about. */
export interface SearchMeta {
  format: 'autokeras-ts/search';
  version: number;
  task: Task;
  createdAt: string;
  /** The options the search was started with (JSON-safe part). */
  options: JsonValue;
  /** Input shape, normaliser and label encoder (as exported next to a model). */
  preprocessing: PreprocessingJSON | null;
}

/** `searcher.json`: the searcher's own state and how many history entries it has seen. */
export interface SearcherStateFile {
  searcher: string;
  /** History length when the state was saved (resume checks it against history.json). */
  trials: number;
  state: JsonValue;
}

/**
 * The summary of a graph for {@link TrialEntry.architecture}.
 *
 * @example
 * ```ts
 * summarizeArchitecture(graph); // { layers: 14, depth: 12, params: 1234, skips: { add: 1, concat: 0 }, kinds: {...} }
 * ```
 */
export function summarizeArchitecture(graph: Graph): ArchitectureSummary {
  const kinds: Record<string, number> = {};
  for (const l of graph.layers) kinds[l.kind] = (kinds[l.kind] ?? 0) + 1;
  const d = describeGraph(graph);
  return {
    layers: graph.size, depth: d.layers.length, params: graph.paramCount(), kinds,
    skips: { add: d.skips.filter((s) => s.type === 'add').length, concat: d.skips.filter((s) => s.type === 'concat').length },
  };
}

/**
 * Validates the parsed `history.json` and turns null metrics back into NaN.
 *
 * @example
 * ```ts
 * const trials = readHistoryDoc(JSON.parse(text), 'ak-run/history.json');
 * ```
 */
export function readHistoryDoc(doc: unknown, file: string): TrialEntry[] {
  const d = doc as { format?: unknown; version?: unknown; trials?: unknown };
  if (!d || d.format !== 'autokeras-ts/history') throw corrupt(file, 'its `format` is not "autokeras-ts/history"');
  if (d.version !== SEARCH_FORMAT_VERSION) throw corrupt(file, `format version ${JSON.stringify(d.version)} is not ${SEARCH_FORMAT_VERSION}`);
  if (!Array.isArray(d.trials)) throw corrupt(file, '`trials` is not an array');
  return d.trials.map((t: Partial<TrialEntry> & { metric?: number | null; valLoss?: number | null }, i: number) => {
    if (!t || !Number.isInteger(t.id) || (t.status !== 'ok' && t.status !== 'failed') || !Array.isArray(t.ops) || !(t.parentId === null || Number.isInteger(t.parentId))) {
      throw corrupt(file, `trials[${i}] lacks an integer id, a parentId, ops or a status`);
    }
    const metrics = t.metrics && typeof t.metrics === 'object' ? { metrics: Object.fromEntries(Object.entries(t.metrics).map(([k, v]) => [k, v ?? NaN])) } : {};
    return { ...t, metric: t.metric ?? NaN, ...(t.valLoss !== undefined ? { valLoss: t.valLoss ?? NaN } : {}), ...metrics } as TrialEntry;
  });
}
