import type { Task } from '../data/preprocessing';
import { invalidArgument } from '../errors';
import type { JsonValue, MetricDirection } from '../search/types';
import { DEFAULTS } from '../options';

/**
 * Built-in metrics: `'accuracy'`, `'auc'` (ROC AUC), `'f1'`, `'precision'`, `'recall'` (macro averages
 * over the classes) and `'crossentropy'` for classification; `'mse'`, `'mae'`, `'rmse'` and `'r2'`
 * (coefficient of determination) for regression.
 */
export type MetricName = 'accuracy' | 'auc' | 'f1' | 'precision' | 'recall' | 'crossentropy' | 'mse' | 'mae' | 'rmse' | 'r2';

/**
 * A metric of your own (as a Keras Tuner `Objective` with a function): `fn` gets the targets and the
 * model's outputs as rows `[N, K]` (one-hot or multi-hot labels and class probabilities for a
 * classifier; the model's targets and predictions for a regressor, standardised for the structured
 * regressor's search) and returns one number; `direction` says whether higher (`'max'`) or lower
 * (`'min'`) is better. A function cannot cross a process boundary: see `objective` in
 * {@link AutoModelOptions}.
 *
 * @example
 * ```ts
 * const top2: CustomMetric = {
 *   name: 'top2', direction: 'max',
 *   fn: (yTrue, yPred) => yTrue.filter((t, i) => {
 *     const order = yPred[i]!.map((p, k) => [p, k] as const).sort((a, b) => b[0] - a[0]);
 *     return order.slice(0, 2).some(([, k]) => t[k] === 1);
 *   }).length / yTrue.length,
 * };
 * ```
 */
export interface CustomMetric {
  /** The key of the metric in `evaluate(..., { returnDict: true })`, the history and the report. */
  name: string;
  /** `'max'`: higher is better; `'min'`: lower is better. */
  direction: 'max' | 'min';
  /** The metric of targets `yTrue` `[N, K]` and model outputs `yPred` `[N, K]`. */
  fn: (yTrue: number[][], yPred: number[][]) => number;
}

/**
 * What the `objective` and `metrics` options take: a built-in metric by name, or a {@link CustomMetric}.
 *
 * @example
 * ```ts
 * const clf = new ImageClassifier({ objective: 'auc', metrics: ['accuracy', 'f1'] });
 * ```
 */
export type Metric = MetricName | CustomMetric;

/** How the metrics of a task read the model's outputs. */
export interface MetricContext {
  task: Task;
  /** Multi-hot targets and independent (sigmoid) probabilities. */
  multiLabel?: boolean;
  /** Multi-label: the per-label thresholds (default 0.5 each). */
  thresholds?: readonly number[];
}

/** A metric with its direction and function, resolved from a {@link Metric}. */
export interface ResolvedMetric {
  name: string;
  direction: MetricDirection;
  /** Whether it is a user function (which cannot cross a process boundary). */
  custom: boolean;
  compute(yTrue: number[][], yPred: number[][], context: MetricContext): number;
}

const EPS = 1e-7;

/** Predicted classes per row: the argmax (single-label) or the labels over their thresholds (multi-label). */
function predictedSets(yPred: number[][], c: MetricContext): boolean[][] {
  if (c.multiLabel) return yPred.map((row) => row.map((p, k) => p >= (c.thresholds?.[k] ?? 0.5)));
  return yPred.map((row) => {
    let best = 0;
    for (let k = 1; k < row.length; k++) if (row[k]! > row[best]!) best = k;
    return row.map((_, k) => k === best);
  });
}

/** Per-class true positives, false positives and false negatives. */
function confusion(yTrue: number[][], yPred: number[][], c: MetricContext): Array<{ tp: number; fp: number; fn: number }> {
  const k = yTrue[0]?.length ?? 0;
  const counts = Array.from({ length: k }, () => ({ tp: 0, fp: 0, fn: 0 }));
  const predicted = predictedSets(yPred, c);
  yTrue.forEach((row, i) => row.forEach((t, j) => {
    const p = predicted[i]![j]!;
    const positive = t >= 0.5;
    if (p && positive) counts[j]!.tp += 1;
    else if (p) counts[j]!.fp += 1;
    else if (positive) counts[j]!.fn += 1;
  }));
  return counts;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const mean = (v: number[]): number => (v.length === 0 ? NaN : v.reduce((s, x) => s + x, 0) / v.length);

/**
 * ROC AUC of scores against binary truth (the Mann-Whitney statistic, ties counted half); NaN when
 * one of the two groups is empty.
 */
export function binaryAuc(truth: readonly boolean[], scores: readonly number[]): number {
  const order = scores.map((s, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    for (let m = i; m <= j; m++) ranks[order[m]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  truth.forEach((t, i) => { if (t) { positives += 1; rankSum += ranks[i]!; } });
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

type Compute = (yTrue: number[][], yPred: number[][], c: MetricContext) => number;

const BUILT_IN: Record<MetricName, { task: Task; direction: MetricDirection; compute: Compute }> = {
  accuracy: {
    task: 'classification', direction: 'max',
    compute: (yTrue, yPred, c) => {
      const predicted = predictedSets(yPred, c);
      if (c.multiLabel) return mean(yTrue.flatMap((row, i) => row.map((t, k) => ((t >= 0.5) === predicted[i]![k] ? 1 : 0))));
      return mean(yTrue.map((row, i) => (row[predicted[i]!.indexOf(true)]! >= 0.5 ? 1 : 0)));
    },
  },
  precision: { task: 'classification', direction: 'max', compute: (t, p, c) => mean(confusion(t, p, c).map((m) => ratio(m.tp, m.tp + m.fp))) },
  recall: { task: 'classification', direction: 'max', compute: (t, p, c) => mean(confusion(t, p, c).map((m) => ratio(m.tp, m.tp + m.fn))) },
  f1: { task: 'classification', direction: 'max', compute: (t, p, c) => mean(confusion(t, p, c).map((m) => ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn))) },
  auc: {
    task: 'classification', direction: 'max',
    compute: (yTrue, yPred) => {
      const k = yTrue[0]?.length ?? 0;
      const per: number[] = [];
      for (let j = 0; j < k; j++) {
        const a = binaryAuc(yTrue.map((row) => row[j]! >= 0.5), yPred.map((row) => row[j]!));
        if (!Number.isNaN(a)) per.push(a);
      }
      return mean(per);
    },
  },
  crossentropy: {
    task: 'classification', direction: 'min',
    compute: (yTrue, yPred, c) => {
      const clip = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));
      if (c.multiLabel) return mean(yTrue.map((row, i) => mean(row.map((t, k) => -(t * Math.log(clip(yPred[i]![k]!)) + (1 - t) * Math.log(1 - clip(yPred[i]![k]!)))))));
      return mean(yTrue.map((row, i) => -row.reduce((s, t, k) => s + (t > 0 ? t * Math.log(clip(yPred[i]![k]!)) : 0), 0)));
    },
  },
  mse: { task: 'regression', direction: 'min', compute: (t, p) => mean(t.flatMap((row, i) => row.map((v, k) => (v - p[i]![k]!) ** 2))) },
  mae: { task: 'regression', direction: 'min', compute: (t, p) => mean(t.flatMap((row, i) => row.map((v, k) => Math.abs(v - p[i]![k]!)))) },
  rmse: { task: 'regression', direction: 'min', compute: (t, p) => Math.sqrt(mean(t.flatMap((row, i) => row.map((v, k) => (v - p[i]![k]!) ** 2)))) },
  r2: {
    task: 'regression', direction: 'max',
    // scikit-learn's r2_score, uniform average over the targets; a constant target scores 1 when predicted exactly, else 0.
    compute: (yTrue, yPred) => mean((yTrue[0] ?? []).map((_, k) => {
      const m = mean(yTrue.map((row) => row[k]!));
      const ssTot = yTrue.reduce((s, row) => s + (row[k]! - m) ** 2, 0);
      const ssRes = yTrue.reduce((s, row, i) => s + (row[k]! - yPred[i]![k]!) ** 2, 0);
      return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
    })),
  },
};

/** The built-in metric names of a task. */
export function metricNames(task: Task): MetricName[] {
  return (Object.keys(BUILT_IN) as MetricName[]).filter((n) => BUILT_IN[n].task === task);
}

/**
 * Checks a {@link Metric} for `task` and returns it with its direction and function; a name of the
 * other task, an unknown name or a malformed {@link CustomMetric} is an ArgumentError naming `option`.
 *
 * @example
 * ```ts
 * resolveMetric('r2', 'regression', 'objective').direction; // 'max'
 * ```
 */
export function resolveMetric(metric: unknown, task: Task, option: string): ResolvedMetric {
  if (typeof metric === 'string') {
    const b = BUILT_IN[metric as MetricName];
    if (!b || b.task !== task) invalidArgument(option, `a ${task} metric (${metricNames(task).join(', ')}) or { name, direction, fn }`, metric);
    return { name: metric, direction: b!.direction, custom: false, compute: b!.compute };
  }
  const m = metric as Partial<CustomMetric> | null;
  if (typeof m !== 'object' || m === null || typeof m.name !== 'string' || m.name === '' || (m.direction !== 'max' && m.direction !== 'min') || typeof m.fn !== 'function') {
    invalidArgument(option, `a metric name (${metricNames(task).join(', ')}) or { name: string, direction: 'max' | 'min', fn: (yTrue, yPred) => number }`, metric);
  }
  const fn = m!.fn!;
  const name = m!.name!;
  return {
    name, direction: m!.direction!, custom: true,
    compute: (yTrue, yPred) => {
      const v = fn(yTrue, yPred);
      if (typeof v !== 'number') invalidArgument(`${option} (${name})`, 'a function that returns a number', v);
      return v;
    },
  };
}

/**
 * Checks the `objective` and `metrics` options for a task: the objective (default `fallback`) first,
 * then the other metrics, without repeats (a repeated name is an ArgumentError).
 *
 * @example
 * ```ts
 * resolveMetrics('f1', ['accuracy'], 'classification', 'accuracy').map((m) => m.name); // ['f1', 'accuracy']
 * ```
 */
export function resolveMetrics(objective: unknown, metrics: unknown, task: Task, fallback: MetricName): ResolvedMetric[] {
  const out = [resolveMetric(objective ?? fallback, task, 'objective')];
  if (metrics !== undefined && !Array.isArray(metrics)) invalidArgument('metrics', 'an array of metrics', metrics);
  for (const [i, m] of ((metrics as unknown[] | undefined) ?? []).entries()) {
    const r = resolveMetric(m, task, `metrics[${i}]`);
    if (out.some((o) => o.name === r.name)) {
      // The objective listed again among the metrics is reported once; any other repeat is a mistake.
      if (r.name === out[0]!.name && !r.custom && !out[0]!.custom) continue;
      invalidArgument(`metrics[${i}]`, 'a metric whose name is not used by the objective or an earlier metric', r.name);
    }
    out.push(r);
  }
  return out;
}

/**
 * Every metric of `metrics` on targets and outputs `[N, K]`, by name.
 *
 * @example
 * ```ts
 * computeMetrics([resolveMetric('mae', 'regression', 'm')], [[1], [2]], [[1.5], [2]], { task: 'regression' }); // { mae: 0.25 }
 * ```
 */
export function computeMetrics(metrics: readonly ResolvedMetric[], yTrue: number[][], yPred: number[][], context: MetricContext): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) out[m.name] = m.compute(yTrue, yPred, context);
  return out;
}

/**
 * Multi-label thresholds: for each label `k`, the threshold on `yPred[:, k]` of best F1 against
 * `yTrue[:, k]` (candidates: 0.5 and the midpoints between the sorted distinct scores; ties go to the
 * one nearest 0.5). A label without positives or without negatives keeps 0.5.
 *
 * @example
 * ```ts
 * chooseThresholds([[1], [0], [1]], [[0.3], [0.1], [0.4]]); // [0.2]: both positives over, the negative under
 * ```
 */
export function chooseThresholds(yTrue: number[][], yPred: number[][]): number[] {
  const k = yTrue[0]?.length ?? 0;
  return Array.from({ length: k }, (_, j) => {
    const truth = yTrue.map((row) => row[j]! >= 0.5);
    const scores = yPred.map((row) => row[j]!);
    const positives = truth.filter(Boolean).length;
    if (positives === 0 || positives === truth.length) return 0.5;
    const distinct = [...new Set(scores)].sort((a, b) => a - b);
    const candidates = [0.5, ...distinct.slice(1).map((s, i) => (s + distinct[i]!) / 2)];
    let best = 0.5;
    let bestF1 = -1;
    for (const t of candidates) {
      let tp = 0;
      let fp = 0;
      scores.forEach((s, i) => { if (s >= t) { if (truth[i]) tp += 1; else fp += 1; } });
      const f1 = ratio(2 * tp, tp + fp + positives);
      if (f1 > bestF1 + 1e-12 || (Math.abs(f1 - bestF1) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
        best = t;
        bestF1 = f1;
      }
    }
    return best;
  });
}

/**
 * The objective a search directory's `meta.json` options record (a CustomMetric is saved as
 * `{ name, direction }`), with its direction; the task's default for a search saved without one.
 *
 * @example
 * ```ts
 * savedObjective((await dir.readMeta()).options, 'classification'); // { name: 'accuracy', direction: 'max' }
 * ```
 */
export function savedObjective(options: JsonValue, task: Task): { name: string; direction: MetricDirection } {
  const o = (options as { objective?: unknown } | null)?.objective;
  const name = typeof o === 'string' ? o : (o as { name?: unknown } | null | undefined)?.name;
  const direction = (o as { direction?: unknown } | null | undefined)?.direction;
  if (typeof name === 'string' && (direction === 'max' || direction === 'min')) return { name, direction };
  const builtIn = BUILT_IN[(typeof name === 'string' ? name : DEFAULTS.objective[task]) as MetricName] ?? BUILT_IN[DEFAULTS.objective[task]];
  return { name: typeof name === 'string' ? name : DEFAULTS.objective[task], direction: builtIn.direction };
}
