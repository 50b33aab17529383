import { renderReport, drawGraph, describeOp } from '../../src/report';
import type { ReportTrial } from '../../src/report';
import { smallCnn } from '../helpers/graphs';

describe('HTML report', () => {
  const trials: ReportTrial[] = [
    { id: 0, parentId: null, ops: [], metric: 0.71, epochs: 3, seconds: 10, status: 'ok' },
    { id: 1, parentId: 0, ops: [{ type: 'wider', layer: 2, n: 8, seed: 1 }], metric: 0.83, epochs: 4, seconds: 12, status: 'ok' },
    { id: 2, parentId: 1, ops: [{ type: 'addSkip', from: 1, to: 4, seed: 2 }], metric: NaN, epochs: 0, seconds: 1, status: 'failed', error: 'NaN <loss>' },
  ];

  it('holds every trial, the best, the chart and the architecture, self-contained', () => {
    const g = smallCnn();
    const html = renderReport({ title: 'demo', metricName: 'accuracy', direction: 'max', trials, bestGraph: g, bestTrialId: 1, facts: { backend: 'wasm' } });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('trial 1, validation accuracy 0.8300');
    expect(html).toContain('wider(L2, +8)');
    expect(html).toContain('addSkip(L1 -&gt; L4)');
    expect(html).toContain('NaN &lt;loss&gt;'); // escaped
    expect(html.match(/<tr class="/g)).toHaveLength(3);
    expect(html).toContain('<tr class="ok best">');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('draws one box per layer plus the input, and one edge per layer input', () => {
    const g = smallCnn();
    const svg = drawGraph(g);
    expect(svg.match(/<rect /g)).toHaveLength(g.size + 1);
    expect(svg.match(/<path /g)).toHaveLength(g.layers.reduce((n, l) => n + l.inputs.length, 0));
  });

  it('describes each op kind', () => {
    expect(describeOp({ type: 'deeper', layer: 3, spec: { kind: 'conv', rank: 2, filters: 8, kernelSize: 3, strides: 1, padding: 'same' }, seed: 0 })).toBe('deeper(after L3: conv 3x3)');
    expect(describeOp({ type: 'concatSkip', from: 0, to: 5, seed: 0 })).toBe('concatSkip(L0 -> L5)');
  });
});
