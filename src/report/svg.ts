import type { Graph } from '../graph/graph';
import type { Layer } from '../graph/layers';

/** Escapes text for HTML / SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A short label of a layer: `conv 3x3 64 /2`, `dense 10`, `maxpool 2`. */
export function layerLabel(l: Layer): string {
  switch (l.kind) {
    case 'conv': return `conv${l.rank}d ${l.kernelSize}x${l.kernelSize} ${l.filters}${l.strides > 1 ? ` /${l.strides}` : ''}`;
    case 'dense': return `dense ${l.units}`;
    case 'maxpool': case 'avgpool': return `${l.kind} ${l.poolSize}${l.strides !== l.poolSize ? ` /${l.strides}` : ''}`;
    case 'dropout': return `dropout ${l.rate}`;
    case 'embedding': return `embedding ${l.inputDim}x${l.outputDim}`;
    default: return l.kind;
  }
}

const COLOURS: Record<string, string> = {
  conv: '#4e79a7', dense: '#f28e2b', batchnorm: '#76b7b2', relu: '#59a14f', softmax: '#edc948',
  maxpool: '#b07aa1', avgpool: '#b07aa1', globalavgpool: '#b07aa1', globalmaxpool: '#b07aa1', embedding: '#9c755f', dropout: '#bab0ac', flatten: '#bab0ac',
  add: '#e15759', concatenate: '#e15759',
};

/**
 * Draws a graph as SVG: layers as boxes top to bottom in execution order, main chain in the left
 * column, skip paths to the right, edges as lines; each box shows the layer and its output shape.
 *
 * @example
 * ```ts
 * const svg = drawGraph(graph); // '<svg ...>...</svg>'
 * ```
 */
export function drawGraph(graph: Graph): string {
  const order = graph.topologicalOrder();
  const main = new Set(graph.mainChain().layers.map((l) => l.id));
  const rowH = 30, boxW = 210, boxH = 22, colW = 240;
  const pos = new Map<number, { x: number; y: number }>(); // by output node
  pos.set(graph.input, { x: 10, y: 10 });
  const boxes: string[] = [`<rect x="10" y="10" width="${boxW}" height="${boxH}" rx="4" fill="#ddd"/><text x="${10 + boxW / 2}" y="${25}" text-anchor="middle">input [${graph.inputShape.join('x')}]</text>`];
  const edges: string[] = [];
  order.forEach((l, i) => {
    const x = main.has(l.id) ? 10 : 10 + colW;
    const y = 10 + (i + 1) * rowH;
    pos.set(l.output, { x, y });
    for (const n of l.inputs) {
      const from = pos.get(n)!;
      edges.push(`<path d="M${from.x + boxW / 2},${from.y + boxH} C${from.x + boxW / 2},${y - 8} ${x + boxW / 2},${from.y + boxH + 8} ${x + boxW / 2},${y}" fill="none" stroke="#888"/>`);
    }
    const text = `${layerLabel(l)} [${graph.nodeShape(l.output).join('x')}]`;
    boxes.push(`<rect x="${x}" y="${y}" width="${boxW}" height="${boxH}" rx="4" fill="${COLOURS[l.kind] ?? '#ccc'}" fill-opacity="0.85"><title>layer ${l.id}</title></rect>` +
      `<text x="${x + boxW / 2}" y="${y + 15}" text-anchor="middle">${escapeHtml(text)}</text>`);
  });
  const height = 10 + (order.length + 1) * rowH + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${colW + boxW + 20}" height="${height}" font-family="sans-serif" font-size="11">${edges.join('')}${boxes.join('')}</svg>`;
}

/** One point of the metric-over-time chart. */
export interface ChartPoint {
  /** Seconds since the search started (end of the trial). */
  t: number;
  metric: number;
  ok: boolean;
}

/**
 * Draws the metric of every trial over time (dots; failed trials as red crosses at the bottom) and the
 * best-so-far as a step line.
 *
 * @example
 * ```ts
 * drawMetricChart([{ t: 10, metric: 0.8, ok: true }], 'max', 'accuracy');
 * ```
 */
export function drawMetricChart(points: ChartPoint[], direction: 'max' | 'min', label: string): string {
  const W = 640, H = 280, L = 60, B = 40, T = 15, R = 15;
  const good = points.filter((p) => p.ok && Number.isFinite(p.metric));
  const tMax = Math.max(1, ...points.map((p) => p.t));
  const lo = good.length ? Math.min(...good.map((p) => p.metric)) : 0;
  const hi = good.length ? Math.max(...good.map((p) => p.metric)) : 1;
  const pad = (hi - lo) * 0.05 || 0.05;
  const sx = (t: number) => L + (t / tMax) * (W - L - R);
  const sy = (m: number) => T + (1 - (m - (lo - pad)) / (hi - lo + 2 * pad)) * (H - T - B);
  let best = NaN;
  const steps: string[] = [];
  for (const p of good.slice().sort((a, b) => a.t - b.t)) {
    if (Number.isNaN(best) || (direction === 'max' ? p.metric > best : p.metric < best)) {
      if (!Number.isNaN(best)) steps.push(`L${sx(p.t).toFixed(1)},${sy(best).toFixed(1)}`);
      best = p.metric;
      steps.push(`${steps.length ? 'L' : 'M'}${sx(p.t).toFixed(1)},${sy(best).toFixed(1)}`);
    }
  }
  if (steps.length) steps.push(`L${sx(tMax).toFixed(1)},${sy(best).toFixed(1)}`);
  const dots = points.map((p) => (p.ok && Number.isFinite(p.metric)
    ? `<circle cx="${sx(p.t).toFixed(1)}" cy="${sy(p.metric).toFixed(1)}" r="3.5" fill="#4e79a7"/>`
    : `<text x="${sx(p.t).toFixed(1)}" y="${H - B - 2}" fill="#e15759" text-anchor="middle">x</text>`)).join('');
  const ticks = [lo - pad, (lo + hi) / 2, hi + pad].map((m) => `<text x="${L - 6}" y="${sy(m) + 4}" text-anchor="end">${m.toPrecision(3)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">` +
    `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="#fafafa" stroke="#ccc"/>${ticks}` +
    `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">seconds since the search started (max ${tMax.toFixed(0)})</text>` +
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">${escapeHtml(label)}</text>` +
    `<path d="${steps.join(' ')}" fill="none" stroke="#59a14f" stroke-width="2"/>${dots}</svg>`;
}
