import { parentPort, workerData } from 'node:worker_threads';
import { graphFromJSON, graphToJSON } from '../graph/json';
import { GraphMorpher } from '../morph/morpher';
import { Rng } from '../util/rng';
import { createSearcher } from './registry';
import type { FromThread, ThreadedSearcherSpec, ToThread } from './thread-protocol';

/*
 * The searcher thread (paper section 4.3): owns a real searcher and answers the main thread's messages
 * in order, so that the GP update and the tree search run while the main thread trains.
 */
const spec = workerData as ThreadedSearcherSpec;
const port = parentPort!;
const send = (m: FromThread) => port.postMessage(m);
const morpher = new GraphMorpher(spec.morph ?? {});
const searcher = createSearcher(spec.searcher, {
  initialGraphs: spec.initialGraphs.map((g) => graphFromJSON(g)),
  neighbours: (g, r) => morpher.neighbours(g, r),
  direction: spec.direction,
  rng: Rng.fromState(spec.rng),
  ...(spec.options ? { options: spec.options } : {}),
});

async function handle(m: ToThread): Promise<void> {
  try {
    if (m.type === 'observe') {
      searcher.observe({ ...m.trial, graph: graphFromJSON(m.trial.graph), metric: m.trial.metric ?? NaN });
    } else if (m.type === 'restore') {
      searcher.restore(m.state);
    } else {
      const t0 = Date.now();
      const pending = m.pending.map((q) => ({ graph: graphFromJSON(q.graph), parentId: q.parentId, ops: [] }));
      const p = await searcher.propose({ pending, ...(m.budget ? { budget: m.budget } : {}) });
      const proposal = { graph: graphToJSON(p.graph, false), parentId: p.parentId, ops: p.ops, ...(p.acquisition !== undefined ? { acquisition: p.acquisition } : {}) };
      send({ type: 'proposal', id: m.id, proposal, state: searcher.state(), seconds: (Date.now() - t0) / 1000 });
    }
  } catch (e) {
    send({ type: 'error', id: m.type === 'propose' ? m.id : null, message: (e as Error).message });
  }
}

// One message at a time, in order: an observe sent after a propose never overtakes it.
let queue = Promise.resolve();
port.on('message', (m: ToThread) => { queue = queue.then(() => handle(m)); });
send({ type: 'ready', name: searcher.name });
