import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '../../src/errors';
import { binaryAuc, chooseThresholds, computeMetrics, resolveMetric, resolveMetrics } from '../../src/train/metrics';
import { weightedLoss, lossFunction } from '../../src/train/evaluate';
import { classWeightVector } from '../../src/tasks/class-weight';
import { Preprocessing } from '../../src/data/preprocessing';
import { trainGraph } from '../../src/train';
import { Rng } from '../../src/util/rng';
import { smallMlp } from '../helpers/graphs';
import { toyClassification } from './toy';

beforeAll(async () => { await tf.setBackend('cpu'); });

const oneHot = (labels: number[], k: number) => labels.map((l) => Array.from({ length: k }, (_, j) => (j === l ? 1 : 0)));
const cls = (names: string[]) => names.map((n) => resolveMetric(n, 'classification', 'm'));

describe('classification metrics', () => {
  // Truth 0 0 0 1 1 2, predicted 0 1 0 1 2 2: confusion per class
  // class 0: tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8
  // class 1: tp 1, fp 1, fn 1 -> P 0.5, R 0.5, F1 0.5
  // class 2: tp 1, fp 1, fn 0 -> P 0.5, R 1, F1 2/3
  const truth = oneHot([0, 0, 0, 1, 1, 2], 3);
  const pred = oneHot([0, 1, 0, 1, 2, 2], 3).map((r) => r.map((v) => (v ? 0.8 : 0.1)));

  it('accuracy, macro precision, recall and F1 match the hand-computed confusion matrix', () => {
    const m = computeMetrics(cls(['accuracy', 'precision', 'recall', 'f1']), truth, pred, { task: 'classification' });
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.precision).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    expect(m.recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(m.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it('AUC: the Mann-Whitney statistic with ties counted half, macro over classes', () => {
    // Positives 0.9, 0.4 vs negatives 0.5, 0.1: of 4 pairs, 3 ordered right -> 0.75.
    expect(binaryAuc([true, false, true, false], [0.9, 0.5, 0.4, 0.1])).toBeCloseTo(0.75, 12);
    expect(binaryAuc([true, false], [0.3, 0.3])).toBe(0.5);
    expect(binaryAuc([true, true], [0.3, 0.2])).toBeNaN();
    // Binary: class 1's AUC equals class 0's on p0 = 1 - p1, so the macro average is that AUC.
    const t = oneHot([1, 0, 1, 0], 2);
    const p = [0.9, 0.5, 0.4, 0.1].map((q) => [1 - q, q]);
    expect(computeMetrics(cls(['auc']), t, p, { task: 'classification' }).auc).toBeCloseTo(0.75, 12);
  });

  it('cross-entropy as Keras computes it', () => {
    const ce = computeMetrics(cls(['crossentropy']), [[1, 0], [0, 1]], [[0.8, 0.2], [0.4, 0.6]], { task: 'classification' }).crossentropy;
    expect(ce).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 6);
  });

  it('multi-label: label-wise accuracy and F1 at per-label thresholds', () => {
    const t = [[1, 0], [1, 1], [0, 1]];
    const p = [[0.7, 0.2], [0.4, 0.9], [0.1, 0.3]];
    const at05 = computeMetrics(cls(['accuracy', 'f1']), t, p, { task: 'classification', multiLabel: true });
    // At 0.5: label 0 predicted 1 0 0 (tp 1, fn 1 -> F1 2/3), label 1 predicted 0 1 0 (tp 1, fn 1 -> 2/3); 4 of 6 decisions right.
    expect(at05.accuracy).toBeCloseTo(4 / 6, 12);
    expect(at05.f1).toBeCloseTo(2 / 3, 12);
    const tuned = computeMetrics(cls(['accuracy', 'f1']), t, p, { task: 'classification', multiLabel: true, thresholds: [0.25, 0.25] });
    expect(tuned).toEqual({ accuracy: 1, f1: 1 });
  });

  it('chooses each label\'s threshold of best F1 on validation data', () => {
    const th = chooseThresholds([[1, 0], [1, 1], [0, 1], [0, 0]], [[0.7, 0.2], [0.4, 0.9], [0.1, 0.3], [0.2, 0.25]]);
    // Label 0: positives 0.7, 0.4, negatives 0.1, 0.2 -> the midpoint 0.3 separates them.
    expect(th[0]).toBeCloseTo(0.3, 12);
    // Label 1: positives 0.9, 0.3, negatives 0.2, 0.25 -> 0.275.
    expect(th[1]).toBeCloseTo(0.275, 12);
    expect(chooseThresholds([[0], [0]], [[0.9], [0.1]])).toEqual([0.5]);
  });
});

describe('regression metrics', () => {
  it('MSE, MAE, RMSE and R^2 (scikit-learn r2_score, uniform average)', () => {
    const t = [[3, 1], [-0.5, 2], [2, 3], [7, 4]];
    const p = [[2.5, 1], [0, 2], [2, 3], [8, 5]];
    const m = computeMetrics(['mse', 'mae', 'rmse', 'r2'].map((n) => resolveMetric(n, 'regression', 'm')), t, p, { task: 'regression' });
    // Errors: 0.5 0 / 0.5 0 / 0 0 / 1 1 -> squares sum 2.5 over 8, absolutes sum 3 over 8.
    expect(m.mse).toBeCloseTo(2.5 / 8, 12);
    expect(m.mae).toBeCloseTo(3 / 8, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(2.5 / 8), 12);
    // Column 0: scikit-learn's example, R^2 = 0.9486081370449679; column 1: SSres 1, SStot 5 -> 0.8.
    expect(m.r2).toBeCloseTo((0.9486081370449679 + 0.8) / 2, 12);
    expect(computeMetrics([resolveMetric('r2', 'regression', 'm')], [[1], [1]], [[1], [1]], { task: 'regression' }).r2).toBe(1);
  });
});

describe('metric options', () => {
  it('resolve names and directions; reject the other task\'s names, unknown names, bad functions and repeats', () => {
    expect(resolveMetrics(undefined, [], 'classification', 'accuracy').map((m) => [m.name, m.direction])).toEqual([['accuracy', 'max']]);
    expect(resolveMetrics('crossentropy', ['auc', 'crossentropy'], 'classification', 'accuracy').map((m) => m.name)).toEqual(['crossentropy', 'auc']);
    expect(resolveMetric('mae', 'regression', 'objective').direction).toBe('min');
    expect(resolveMetric('r2', 'regression', 'objective').direction).toBe('max');
    expect(() => resolveMetric('r2', 'classification', 'objective')).toThrow(/`objective`, expected a classification metric \(accuracy, precision, recall, f1, auc, crossentropy\)/);
    expect(() => resolveMetric('f1_score', 'classification', 'objective')).toThrow(ArgumentError);
    expect(() => resolveMetric({ name: 'x', fn: () => 1 }, 'classification', 'objective')).toThrow(/direction/);
    expect(() => resolveMetrics('auc', ['f1', 'f1'], 'classification', 'accuracy')).toThrow(/`metrics\[1\]`/);
    const custom = resolveMetric({ name: 'first', direction: 'max', fn: (t: number[][], p: number[][]) => t[0]![0]! + p[0]![0]! }, 'regression', 'objective');
    expect(custom.custom).toBe(true);
    expect(computeMetrics([custom], [[1]], [[2]], { task: 'regression' })).toEqual({ first: 3 });
  });
});

describe('class weights', () => {
  it("'balanced' is n / (K * n_k) over the training labels; a map by label, others 1", () => {
    const labels = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'c', 'c'];
    const { prep, x, y } = Preprocessing.fit(labels.map((_, i) => [[i, 1], [2, i]]), labels, { task: 'classification' });
    try {
      // n = 10, K = 3: a 10 / 18, b 10 / 6, c 10 / 6.
      const w = classWeightVector('balanced', prep, { x, y })!;
      expect(w[0]).toBeCloseTo(10 / 18, 6);
      expect(w[1]).toBeCloseTo(10 / 6, 6);
      expect(w[2]).toBeCloseTo(10 / 6, 6);
      expect(classWeightVector({ b: 4 }, prep, { x, y })).toEqual([1, 4, 1]);
      expect(() => classWeightVector({ d: 4 }, prep, { x, y })).toThrow(/`classWeight.d`, expected a class of the training labels/);
    } finally {
      tf.dispose([x, y]);
    }
  });

  it('weigh each sample\'s loss by its class (mean over the batch)', () => {
    const yt = tf.tensor2d([[1, 0], [0, 1]]);
    const yp = tf.tensor2d([[0.5, 0.5], [0.25, 0.75]]);
    const before = tf.memory().numTensors;
    const l = weightedLoss(lossFunction('classification'), yt, yp, [1, 3]);
    expect(l.dataSync()[0]).toBeCloseTo((-Math.log(0.5) + 3 * -Math.log(0.75)) / 2, 5);
    l.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([yt, yp]);
  });
});

describe('early stopping on the objective', () => {
  it('keeps the epoch of the best objective in its direction, and patience counts from it', async () => {
    const t = toyClassification(60, 1);
    const v = toyClassification(15, 2);
    const data = { x: t.x, y: t.y, xVal: v.x, yVal: v.y };
    // A metric that reads the epoch off a counter: 3, 1, 2, 5, 4 for epochs 1..5.
    const scripted = (direction: 'max' | 'min') => {
      const values = [3, 1, 2, 5, 4];
      let call = 0;
      return resolveMetric({ name: 'scripted', direction, fn: () => values[call++]! }, 'classification', 'objective');
    };
    const before = tf.memory().numTensors;
    const run = (direction: 'max' | 'min', patience = 10) => trainGraph(smallMlp(), data, {
      task: 'classification', rng: new Rng(1), epochs: 5, patience, metrics: [scripted(direction)], monitor: 'objective',
    });
    const low = await run('min');
    expect(low.bestEpoch).toBe(2);
    expect(low.metric).toBe(1);
    expect(low.metrics).toEqual({ scripted: 1 });
    expect(low.history.map((l) => l.valMetric)).toEqual([3, 1, 2, 5, 4]);
    const high = await run('max');
    expect(high.bestEpoch).toBe(4);
    expect(high.metric).toBe(5);
    // Patience 2 under 'min': epochs 3 and 4 do not beat epoch 2, so training stops after epoch 4.
    const stopped = await run('min', 2);
    expect(stopped.epochs).toBe(4);
    expect(stopped.stoppedBy).toBe('patience');
    expect(stopped.bestEpoch).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t.x, t.y, v.x, v.y]);
  });
});
