import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../compile/compile';
import type { Task } from '../data/preprocessing';
import type { Graph } from '../graph/graph';
import { ensembleGraph } from '../graph/ensemble';
import { DEFAULTS } from '../options';
import { bestTrial, isBetter } from '../search/search-loop';
import type { TrialStore } from '../search/search-loop';
import type { TrialResult } from '../search/trial';
import type { MetricDirection } from '../search/types';
import { predictBatched } from '../train/evaluate';

/** The final model of a search: the best trial alone, or an ensemble of trials (see {@link chooseFinalModel}). */
export interface FinalModelChoice {
  graph: Graph;
  /** Trials in the model, the best trial first. */
  trialIds: number[];
  /** Their weights in the mean (sum 1). */
  weights: number[];
  /** Validation loss and metric of the model (NaN when there was nothing to validate on). */
  valLoss: number;
  valMetric: number;
}

/** Validation loss and metric of a weighted mean of members' outputs (log-probabilities for classifiers). */
function score(outs: Float32Array[], counts: number[], y: Float32Array, k: number, task: Task): { loss: number; metric: number } {
  const n = y.length / k;
  const total = counts.reduce((a, b) => a + b, 0);
  const z = new Float64Array(k);
  let loss = 0;
  let metric = 0;
  for (let r = 0; r < n; r++) {
    z.fill(0);
    counts.forEach((c, i) => {
      if (c === 0) return;
      const o = outs[i]!;
      for (let j = 0; j < k; j++) z[j]! += (c / total) * o[r * k + j]!;
    });
    if (task === 'classification') {
      let max = -Infinity;
      let arg = 0;
      for (let j = 0; j < k; j++) if (z[j]! > max) { max = z[j]!; arg = j; }
      let sum = 0;
      for (let j = 0; j < k; j++) sum += Math.exp(z[j]! - max);
      let truth = 0;
      for (let j = 0; j < k; j++) if (y[r * k + j]! > y[r * k + truth]!) truth = j;
      loss -= z[truth]! - max - Math.log(sum);
      if (arg === truth) metric += 1;
    } else {
      let se = 0;
      for (let j = 0; j < k; j++) se += (z[j]! - y[r * k + j]!) ** 2;
      loss += se / k;
      metric += se / k;
    }
  }
  return { loss: loss / n, metric: metric / n };
}

/**
 * The final model of a search (Caruana et al. 2004, ensemble selection): starting from the best trial,
 * adds greedily, with replacement, the trial among the `candidates` best whose outputs, averaged in,
 * lower the validation loss most while the validation metric stays at least the best trial's, until
 * `size` members are in (counting repeats) or no addition helps; the ensemble replaces the best trial
 * only when its validation loss is lower by more than `DEFAULTS.train.minDelta`. The
 * mean is taken over the members' logits (classifiers) or outputs (regressors), as {@link ensembleGraph}
 * builds it. `size` 1, fewer than two trials or no validation data give the best trial alone
 * (docs/algorithms.md, "The final model (ensemble selection)").
 *
 * @example
 * ```ts
 * const choice = await chooseFinalModel(history, store, data.xVal, data.yVal, 'classification', 'max', 3);
 * choice.trialIds; // e.g. [4, 2]: trial 4 (the best) and trial 2 averaged
 * ```
 */
export async function chooseFinalModel(
  history: readonly TrialResult[], store: TrialStore, xVal: tf.Tensor | undefined, yVal: tf.Tensor | undefined,
  task: Task, direction: MetricDirection, size: number, candidates: number = DEFAULTS.search.ensembleCandidates,
): Promise<FinalModelChoice> {
  const best = bestTrial(history, direction)!;
  const bestGraph = await store.trainedGraph(best.id);
  const single: FinalModelChoice = { graph: bestGraph, trialIds: [best.id], weights: [1], valLoss: best.valLoss ?? NaN, valMetric: best.metric };
  const ranked = history.filter((t) => t.status === 'ok' && Number.isFinite(t.metric) && t.id !== best.id)
    .sort((a, b) => (isBetter(a.metric, b.metric, direction) ? -1 : isBetter(b.metric, a.metric, direction) ? 1 : a.id - b.id))
    .slice(0, Math.max(0, candidates - 1));
  if (size < 2 || ranked.length === 0 || !xVal || !yVal) return single;
  const pool = [best, ...ranked];
  const graphs = [bestGraph];
  for (const t of ranked) graphs.push(await store.trainedGraph(t.id));
  const outs = graphs.map((g) => {
    const model = compileGraph(g);
    try {
      const out = tf.tidy(() => {
        const p = predictBatched(model, xVal);
        return task === 'classification' ? tf.log(tf.maximum(p, 1e-7)) : p;
      });
      const data = out.dataSync() as Float32Array;
      out.dispose();
      return data;
    } finally {
      model.dispose();
    }
  });
  const y = yVal.dataSync() as Float32Array;
  const k = yVal.shape[yVal.shape.length - 1] ?? 1;
  const counts = pool.map((_, i) => (i === 0 ? 1 : 0));
  const start = score(outs, counts, y, k, task);
  let current = start;
  for (let step = 1; step < size; step++) {
    let pick = -1;
    let pickScore = current;
    for (let i = 0; i < pool.length; i++) {
      counts[i]! += 1;
      const s = score(outs, counts, y, k, task);
      counts[i]! -= 1;
      // An addition must lower the loss and keep the metric at least the best trial's.
      if (s.loss < pickScore.loss && !isBetter(start.metric, s.metric, direction)) { pick = i; pickScore = s; }
    }
    if (pick < 0) break;
    counts[pick]! += 1;
    current = pickScore;
  }
  const better = current.loss < start.loss - DEFAULTS.train.minDelta && !isBetter(start.metric, current.metric, direction);
  if (!better || counts.filter((c) => c > 0).length < 2) return { ...single, valLoss: start.loss, valMetric: start.metric };
  const members = pool.map((t, i) => ({ t, c: counts[i]!, g: graphs[i]! })).filter((m) => m.c > 0);
  const total = members.reduce((a, m) => a + m.c, 0);
  return {
    graph: ensembleGraph(members.map((m) => m.g), members.map((m) => m.c)),
    trialIds: members.map((m) => m.t.id), weights: members.map((m) => m.c / total), valLoss: current.loss, valMetric: current.metric,
  };
}
