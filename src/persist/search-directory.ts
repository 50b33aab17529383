import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { SearchError } from '../errors';
import type { Graph } from '../graph/graph';
import { graphFromJSON, graphToJSON } from '../graph/json';
import type { GraphJSON } from '../graph/json';
import type { TrialResult } from '../search/trial';
import type { JsonValue } from '../search/types';
import { corrupt, readJsonFile, removeStaleTempFiles, toJsonText, writeFileAtomic } from './atomic';
import type { SearchMeta, SearcherStateFile, TrialEntry } from './records';
import { SEARCH_FORMAT_VERSION, fromTrialEntry, readHistoryDoc, toTrialEntry } from './records';
import type { WeightEntry } from './weights';
import { packWeights, unpackWeights } from './weights';

/** `trials/<id>/graph.json`: the structure, plus the manifest of `weights.bin` when trained. */
interface TrialGraphFile {
  format: 'autokeras-ts/trial';
  version: number;
  graph: GraphJSON;
  weights: WeightEntry[] | null;
}

/**
 * The search directory (docs/architecture.md, "Search directory"), every write atomic:
 * `meta.json` (task, options, preprocessing), `history.json` (every trial), `searcher.json` (searcher
 * state), `trials/<id>/graph.json` (structure + weight manifest) and `trials/<id>/weights.bin` (raw
 * float32). A trial's files are written before its history line, so history never names a missing
 * trial. Corrupt or missing files raise a SearchError naming the file; nothing is reset silently.
 * `saveTrial` / `trainedGraph` make it the search loop's TrialStore.
 *
 * @example
 * ```ts
 * const dir = new SearchDirectory('./ak-run');
 * await dir.create(meta, { overwrite: true });
 * await dir.writeTrial(entry, trainedGraph);
 * const g = await dir.readTrialGraph(0);       // with weights
 * const history = await dir.check();           // on resume
 * ```
 */
export class SearchDirectory {
  private history: TrialEntry[] | null = null;

  constructor(readonly root: string) {}

  get metaFile(): string { return path.join(this.root, 'meta.json'); }
  get historyFile(): string { return path.join(this.root, 'history.json'); }
  get searcherFile(): string { return path.join(this.root, 'searcher.json'); }
  trialDir(id: number): string { return path.join(this.root, 'trials', String(id)); }

  /** Whether the folder already holds a search (a meta.json or history.json). */
  exists(): boolean {
    return existsSync(this.metaFile) || existsSync(this.historyFile);
  }

  /**
   * Removes temporary files that atomic writes of killed runs left behind (`.<name>.<pid>.<n>.tmp` in
   * the folder, `model/` and `trials/<id>/`): those of a dead pid, and those older than
   * `DEFAULTS.persist.staleTempSeconds` whatever their pid. Returns the paths removed. Called when a
   * search is started or resumed in the folder.
   */
  async cleanTempFiles(): Promise<string[]> {
    const folders = [this.root, path.join(this.root, 'model')];
    const trials = path.join(this.root, 'trials');
    const ids = await fs.readdir(trials).catch(() => [] as string[]);
    folders.push(...ids.map((id) => path.join(trials, id)));
    const removed: string[] = [];
    for (const folder of folders) removed.push(...(await removeStaleTempFiles(folder)));
    return removed;
  }

  /** Starts a new search: refuses to replace an existing one unless `overwrite`. */
  async create(meta: Omit<SearchMeta, 'format' | 'version' | 'createdAt'>, options: { overwrite?: boolean } = {}): Promise<void> {
    if (this.exists()) {
      if (!options.overwrite) throw new SearchError(`${this.root} already holds a search (meta.json / history.json). Pass overwrite: true to replace it, or resume: true to continue it.`);
      await this.overwrite();
    }
    await fs.mkdir(path.join(this.root, 'trials'), { recursive: true });
    const doc: SearchMeta = { format: 'autokeras-ts/search', version: SEARCH_FORMAT_VERSION, createdAt: new Date().toISOString(), ...meta };
    await writeFileAtomic(this.metaFile, toJsonText(doc));
    await this.writeHistory([]);
  }

  /** Removes this library's files (meta, history, searcher state, trials/); other files in the folder stay. */
  async overwrite(): Promise<void> {
    for (const f of [this.metaFile, this.historyFile, this.searcherFile]) await fs.rm(f, { force: true });
    await fs.rm(path.join(this.root, 'trials'), { recursive: true, force: true });
    this.history = null;
  }

  /** Reads and checks `meta.json`; a folder that does not exist, or holds no `meta.json`, is a SearchError saying so. */
  async readMeta(): Promise<SearchMeta> {
    if (!existsSync(this.root)) throw new SearchError(`The search directory ${this.root} does not exist (resolved: ${path.resolve(this.root)})`);
    if (!statSync(this.root).isDirectory()) throw new SearchError(`The search directory ${this.root} is a file, not a folder`);
    if (!existsSync(this.metaFile)) throw new SearchError(`${this.root} holds no search: ${this.metaFile} does not exist`);
    const doc = (await readJsonFile(this.metaFile)) as Partial<SearchMeta>;
    if (!doc || doc.format !== 'autokeras-ts/search') throw corrupt(this.metaFile, 'its `format` is not "autokeras-ts/search"');
    if (doc.version !== SEARCH_FORMAT_VERSION) throw corrupt(this.metaFile, `format version ${JSON.stringify(doc.version)} is not ${SEARCH_FORMAT_VERSION}`);
    if (doc.task !== 'classification' && doc.task !== 'regression') throw corrupt(this.metaFile, `task ${JSON.stringify(doc.task)} is not "classification" or "regression"`);
    return doc as SearchMeta;
  }

  /** Every trial recorded so far, in order (NaN metrics for failed trials). */
  async readHistory(): Promise<TrialEntry[]> {
    this.history = readHistoryDoc(await readJsonFile(this.historyFile), this.historyFile);
    return this.history.slice();
  }

  private async writeHistory(trials: TrialEntry[]): Promise<void> {
    await writeFileAtomic(this.historyFile, toJsonText({ format: 'autokeras-ts/history', version: SEARCH_FORMAT_VERSION, trials }));
    this.history = trials;
  }

  /** Writes a trial's graph (and weights, when `graph` has them), then appends its history line. */
  async writeTrial(entry: Omit<TrialEntry, 'hasWeights'>, graph: Graph): Promise<void> {
    const history = this.history ?? (await this.readHistory());
    if (history.some((t) => t.id === entry.id)) throw new SearchError(`Trial ${entry.id} is already recorded in ${this.historyFile}`);
    const dir = this.trialDir(entry.id);
    await fs.mkdir(dir, { recursive: true });
    const packed = graph.hasWeights() ? packWeights(graph) : null;
    if (packed) await writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(packed.data.buffer));
    const doc: TrialGraphFile = { format: 'autokeras-ts/trial', version: SEARCH_FORMAT_VERSION, graph: graphToJSON(graph, false), weights: packed?.manifest ?? null };
    await writeFileAtomic(path.join(dir, 'graph.json'), toJsonText(doc));
    await this.writeHistory([...history, { ...entry, hasWeights: packed !== null }]);
  }

  /** A trial's graph; with `withWeights` (default) its trained weights, a SearchError if it has none. */
  async readTrialGraph(id: number, withWeights = true): Promise<Graph> {
    const file = path.join(this.trialDir(id), 'graph.json');
    const doc = (await readJsonFile(file)) as Partial<TrialGraphFile>;
    if (!doc || doc.format !== 'autokeras-ts/trial' || doc.version !== SEARCH_FORMAT_VERSION) throw corrupt(file, 'it is not a version-1 "autokeras-ts/trial" document');
    let graph: Graph;
    try {
      graph = graphFromJSON(doc.graph);
    } catch (e) {
      throw corrupt(file, (e as Error).message);
    }
    if (!withWeights) return graph;
    const bin = path.join(this.trialDir(id), 'weights.bin');
    if (!Array.isArray(doc.weights)) throw new SearchError(`Trial ${id} has no trained weights (${file} lists none)`);
    const bytes = await fs.readFile(bin).catch((e: NodeJS.ErrnoException) => { throw corrupt(bin, `it cannot be read (${e.code ?? e.message})`); });
    return unpackWeights(graph, doc.weights, bytes, bin);
  }

  /** Saves the searcher's state with the history length it reflects. */
  async writeSearcherState(searcher: string, state: JsonValue, trials: number): Promise<void> {
    await writeFileAtomic(this.searcherFile, toJsonText({ searcher, trials, state } satisfies SearcherStateFile));
  }

  /** The saved searcher state, or null when none was saved yet. */
  async readSearcherState(): Promise<SearcherStateFile | null> {
    if (!existsSync(this.searcherFile)) return null;
    const doc = (await readJsonFile(this.searcherFile)) as Partial<SearcherStateFile>;
    if (!doc || typeof doc.searcher !== 'string' || !Number.isInteger(doc.trials) || !('state' in doc)) throw corrupt(this.searcherFile, 'it lacks `searcher`, `trials` or `state`');
    return doc as SearcherStateFile;
  }

  /** Checks the whole directory (meta, history, every trial's files) and returns the history; SearchError names the first bad file. */
  async check(): Promise<TrialEntry[]> {
    await this.readMeta();
    const history = await this.readHistory();
    for (const t of history) await this.readTrialGraph(t.id, t.hasWeights === true);
    await this.readSearcherState();
    return history;
  }

  /** TrialStore: the trained graph of a past trial. */
  trainedGraph(id: number): Promise<Graph> {
    return this.readTrialGraph(id, true);
  }

  /** TrialStore: records a trial from the search loop ({@link toTrialEntry}), then the searcher's state. */
  async saveTrial(result: TrialResult, trained: Graph | undefined, searcher: { name: string; state(): JsonValue }): Promise<void> {
    const graph = trained ?? result.graph.clone(false);
    const { hasWeights: _h, ...entry } = toTrialEntry(result, Date.now(), graph.hasWeights());
    await this.writeTrial(entry, graph);
    await this.writeSearcherState(searcher.name, searcher.state(), this.history!.length);
  }

  /**
   * Every recorded trial as the search loop recorded it ({@link fromTrialEntry}), each with its own
   * architecture (structure only). With `check` (default) the whole directory is checked first
   * ({@link SearchDirectory.check}: resume); without, only the history and the trials' graph files are read (load).
   */
  async readTrials(check = true): Promise<TrialResult[]> {
    const entries = check ? await this.check() : await this.readHistory();
    const out: TrialResult[] = [];
    for (const e of entries) out.push(fromTrialEntry(e, await this.readTrialGraph(e.id, false)));
    return out;
  }
}
