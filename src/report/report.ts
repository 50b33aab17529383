import type { Graph } from '../graph/graph';
import type { MorphOp } from '../morph/ops';
import type { TrialResult } from '../search/trial';
import { drawGraph, drawMetricChart, escapeHtml } from './svg';
import type { ChartPoint } from './svg';

/** One trial as the report shows it: a part of the search's `TrialResult`, with when it ended and its size. */
export interface ReportTrial extends Pick<TrialResult, 'id' | 'parentId' | 'ops' | 'metric' | 'metrics' | 'epochs' | 'seconds' | 'status' | 'error'> {
  /** Seconds since the search started when the trial ended; cumulative trial time when absent. */
  endedAt?: number;
  /** Parameters of the trial's architecture. */
  params?: number;
}

/** What {@link renderReport} draws. */
export interface ReportInput {
  title: string;
  /** Name of the validation metric, the search's objective (`accuracy`, `mse`, ...). */
  metricName: string;
  direction: 'max' | 'min';
  trials: ReportTrial[];
  /** The best trial's architecture. */
  bestGraph?: Graph;
  bestTrialId?: number;
  /** Extra facts shown at the top (backend, data shape, test accuracy...). */
  facts?: Record<string, string | number>;
}

/** A morph operation in words: `deeper(after L3: conv 3x3)`, `wider(L5, +16)`, `addSkip(L2 -> L7)`. */
export function describeOp(op: MorphOp): string {
  switch (op.type) {
    case 'deeper': return `deeper(after L${op.layer}: ${op.spec.kind}${'kernelSize' in op.spec ? ` ${op.spec.kernelSize}x${op.spec.kernelSize}` : ''})`;
    case 'wider': return `wider(L${op.layer}, +${op.n})`;
    default: return `${op.type}(L${op.from} -> L${op.to})`;
  }
}

function fmt(v: number, digits = 4): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/**
 * Renders a self-contained HTML report of a search: the best metric over time, every trial (metric,
 * epochs, seconds, parent, operations) and an SVG drawing of the best architecture. No scripts, no
 * external resources: the file opens anywhere.
 *
 * @example
 * ```ts
 * const html = renderReport({ title: 'Fashion-MNIST', metricName: 'accuracy', direction: 'max', trials, bestGraph });
 * await writeFileAtomic('report.html', html);
 * ```
 */
export function renderReport(input: ReportInput): string {
  let clock = 0;
  const points: ChartPoint[] = input.trials.map((t) => {
    clock += t.seconds;
    return { t: t.endedAt ?? clock, metric: t.metric, ok: t.status === 'ok' };
  });
  const best = input.trials.find((t) => t.id === input.bestTrialId);
  // The other metrics of the `metrics` option, one column each (the objective has its own).
  const extra = [...new Set(input.trials.flatMap((t) => Object.keys(t.metrics ?? {})))].filter((n) => n !== input.metricName);
  const extraCells = (t: ReportTrial) => extra.map((n) => `<td>${fmt(t.metrics?.[n] ?? NaN)}</td>`).join('');
  const rows = input.trials.map((t) => `<tr class="${t.status}${t.id === input.bestTrialId ? ' best' : ''}"><td>${t.id}</td><td>${t.parentId ?? '-'}</td>` +
    `<td>${escapeHtml(t.ops.map(describeOp).join(', ') || (t.parentId === null ? 'generated' : '-'))}</td><td>${fmt(t.metric)}</td>${extraCells(t)}<td>${t.epochs}</td>` +
    `<td>${t.seconds.toFixed(1)}</td><td>${t.params ?? ''}</td><td>${t.status}${t.error ? `: ${escapeHtml(t.error)}` : ''}</td></tr>`).join('\n');
  const facts = Object.entries(input.facts ?? {}).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
td:nth-child(3),td:last-child{text-align:left}tr.failed{color:#b22}tr.best{background:#e8f4e8;font-weight:bold}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{font-weight:bold}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<dl>${facts}<dt>trials</dt><dd>${input.trials.length} (${input.trials.filter((t) => t.status === 'failed').length} failed)</dd>
<dt>best</dt><dd>${best ? `trial ${best.id}, validation ${escapeHtml(input.metricName)} ${fmt(best.metric)}` : '-'}</dd></dl>
<h2>Validation ${escapeHtml(input.metricName)} over time</h2>
${drawMetricChart(points, input.direction, input.metricName)}
<h2>Trials</h2>
<table><thead><tr><th>trial</th><th>parent</th><th>operations</th><th>${escapeHtml(input.metricName)}</th>${extra.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}<th>epochs</th><th>seconds</th><th>params</th><th>status</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${input.bestGraph ? `<h2>Best architecture (${input.bestGraph.size} layers, ${input.bestGraph.paramCount()} parameters)</h2>\n${drawGraph(input.bestGraph)}` : ''}
</body></html>
`;
}
