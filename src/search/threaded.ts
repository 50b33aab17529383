import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SearchError, UnsupportedError } from '../errors';
import { graphFromJSON, graphToJSON } from '../graph/json';
import type { FromThread, ThreadedSearcherSpec, ToThread } from './thread-protocol';
import type { JsonValue, ProposeContext, Proposal, Searcher, TrialRecord } from './types';

/** Starts `thread-main` as a worker thread: the compiled file when built, else the sources through tsx. */
function startThread(spec: ThreadedSearcherSpec): Worker {
  const compiled = path.join(__dirname, 'thread-main.js');
  if (!__filename.endsWith('.ts') && existsSync(compiled)) return new Worker(compiled, { workerData: spec });
  let hook: string;
  try {
    hook = require.resolve('tsx/cjs');
  } catch {
    throw new UnsupportedError('A searcher thread started from the TypeScript sources needs the tsx package; build the package (npm run build) or install tsx');
  }
  const main = path.join(__dirname, 'thread-main.ts');
  return new Worker(`require(${JSON.stringify(hook)}); require(${JSON.stringify(main)});`, { eval: true, workerData: spec });
}

/**
 * A registered searcher running in a worker thread (Auto-Keras paper section 4.3): `propose()` posts a
 * request and resolves when the thread answers, so the GP update and the tree search run while the main
 * thread trains. Only JSON crosses the boundary (graphs as graph JSON), so the searcher is built in the
 * thread from its registered name; custom searchers registered only in the main thread cannot be
 * threaded. `state()` is the thread's state after its latest proposal (a searcher's state changes only
 * when it proposes). Call {@link ThreadedSearcher.close} when done.
 *
 * @example
 * ```ts
 * const s = new ThreadedSearcher({ searcher: 'bayesian', initialGraphs: graphs.map((g) => graphToJSON(g, false)),
 *   direction: 'max', rng: new Rng(1).state() });
 * const p = await s.propose();   // computed in the thread
 * s.observe(trial);
 * await s.close();
 * ```
 */
export class ThreadedSearcher implements Searcher {
  readonly name: string;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (p: Proposal) => void; reject: (e: Error) => void }>();
  private lastState: JsonValue;
  private nextId = 0;
  private failure: Error | null = null;

  constructor(spec: ThreadedSearcherSpec) {
    this.name = spec.searcher;
    this.lastState = null;
    this.worker = startThread(spec);
    this.worker.on('message', (m: FromThread) => this.receive(m));
    this.worker.on('error', (e) => this.fail(new SearchError(`The searcher thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => { if (code !== 0) this.fail(new SearchError(`The searcher thread exited with code ${code}`)); });
    this.worker.unref();
  }

  /** Seconds the thread spent computing each proposal, in order. */
  readonly proposeSeconds: number[] = [];

  async propose(context?: ProposeContext): Promise<Proposal> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const answer = new Promise<Proposal>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    const pending = (context?.pending ?? []).map((p) => ({ graph: graphToJSON(p.graph, false), parentId: p.parentId }));
    this.post({ type: 'propose', id, pending, ...(context?.budget ? { budget: context.budget } : {}) });
    this.worker.ref(); // keep the process alive while a proposal is awaited
    try {
      return await answer;
    } finally {
      if (this.waiting.size === 0) this.worker.unref();
    }
  }

  observe(trial: TrialRecord): void {
    const metric = Number.isFinite(trial.metric) ? trial.metric : null;
    const timing = {
      ...(typeof trial.seconds === 'number' ? { seconds: trial.seconds } : {}),
      ...(typeof trial.epochSeconds === 'number' ? { epochSeconds: trial.epochSeconds } : {}),
    };
    this.post({ type: 'observe', trial: { id: trial.id, graph: graphToJSON(trial.graph, false), metric, parentId: trial.parentId, ops: trial.ops, status: trial.status, ...timing } });
  }

  state(): JsonValue {
    return this.lastState;
  }

  restore(state: JsonValue): void {
    this.lastState = state;
    this.post({ type: 'restore', state });
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private post(m: ToThread): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(m);
  }

  private receive(m: FromThread): void {
    if (m.type === 'ready') return;
    if (m.type === 'proposal') {
      this.lastState = m.state;
      this.proposeSeconds.push(m.seconds);
      const p = m.proposal;
      this.settle(m.id, (w) => w.resolve({ graph: graphFromJSON(p.graph), parentId: p.parentId, ops: p.ops, ...(p.acquisition !== undefined ? { acquisition: p.acquisition } : {}) }));
      return;
    }
    const error = new SearchError(`The searcher thread failed: ${m.message}`);
    if (m.id === null) this.fail(error);
    else this.settle(m.id, (w) => w.reject(error));
  }

  private settle(id: number, f: (w: { resolve: (p: Proposal) => void; reject: (e: Error) => void }) => void): void {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    if (w) f(w);
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
