import * as tf from '@tensorflow/tfjs';
import { checkAugmentSettings, makeAugmenter } from '../../src/data/augment';
import { ArgumentError } from '../../src/errors';
import { DEFAULTS } from '../../src/options';
import { makeOptimizer } from '../../src/train/optimizer';
import { scheduledLearningRate, setLearningRate } from '../../src/train/schedule';
import { trainGraph } from '../../src/train/train';
import type { TrainData } from '../../src/train/types';
import { Rng } from '../../src/util/rng';
import { smallCnn } from '../helpers/graphs';
import { toyClassification } from './toy';

let data: TrainData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const train = toyClassification(90, 1);
  const val = toyClassification(30, 2);
  data = { x: train.x, y: train.y, xVal: val.x, yVal: val.y };
});
afterAll(() => tf.dispose(Object.values(data) as tf.Tensor[]));

describe('learning-rate schedule', () => {
  it('cosine falls from the base rate to the floor; constant keeps it', () => {
    const floor = DEFAULTS.train.minLearningRateRatio;
    expect(scheduledLearningRate(2e-3, 'cosine', 0)).toBeCloseTo(2e-3, 12);
    expect(scheduledLearningRate(2e-3, 'cosine', 0.5)).toBeCloseTo(2e-3 * (floor + (1 - floor) / 2), 12);
    expect(scheduledLearningRate(2e-3, 'cosine', 1)).toBeCloseTo(2e-3 * floor, 12);
    expect(scheduledLearningRate(2e-3, 'cosine', 7)).toBeCloseTo(2e-3 * floor, 12); // clamped past the budget
    const rates = [0, 0.2, 0.4, 0.6, 0.8, 1].map((p) => scheduledLearningRate(1, 'cosine', p));
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThan(rates[i - 1]!);
    expect(scheduledLearningRate(2e-3, 'constant', 0.9)).toBe(2e-3);
  });

  it.each(['adam', 'sgd'] as const)('setLearningRate changes the step %s takes (oracle: step size scales with the rate)', (name) => {
    const step = (rate: number): number => {
      const v = tf.variable(tf.scalar(1));
      const opt = makeOptimizer({ name, learningRate: 0.1, ...(name === 'sgd' ? { momentum: 0 } : {}) });
      setLearningRate(opt, rate);
      opt.minimize(() => v.mul(3).asScalar(), false, [v]);
      const moved = 1 - v.dataSync()[0]!;
      opt.dispose();
      v.dispose();
      return moved;
    };
    expect(step(0.01) / step(0.1)).toBeCloseTo(0.1, 5);
  });

  it('a cosine run trains with decreasing rates; its last epoch at a fraction of the first', async () => {
    const rates: number[] = [];
    const spy = jest.spyOn(tf.AdamOptimizer.prototype, 'applyGradients').mockImplementation(function (this: tf.AdamOptimizer) {
      rates.push((this as unknown as { learningRate: number }).learningRate);
    });
    let batchSize = 0;
    try {
      ({ batchSize } = await trainGraph(smallCnn(2, 4), data, { task: 'classification', rng: new Rng(1), epochs: 4, patience: 4, batchSize: 30, optimizer: { name: 'adam', learningRate: 0.01 } }));
    } finally {
      spy.mockRestore();
    }
    expect(rates.length).toBe(4 * Math.ceil(90 / batchSize));
    expect(rates[0]).toBeCloseTo(0.01, 10);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThan(rates[i - 1]!);
    expect(rates.at(-1)!).toBeLessThan(0.01 * 0.2);
  });
});

describe('augmentation settings', () => {
  it('the shift scales with the image: at most round(shift * side) pixels', () => {
    // A single lit pixel in the middle of an 8x8 image moves by at most round(8 / 14) = 1 pixel.
    const x = tf.buffer([1, 8, 8, 1]);
    x.set(1, 0, 4, 4, 0);
    const img = x.toTensor();
    const augment = makeAugmenter({ rng: new Rng(2), shift: 1 / 14 });
    const offsets = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const out = augment(img);
      const at = (out.reshape([64]).argMax().dataSync()[0])!;
      out.dispose();
      offsets.add(`${Math.floor(at / 8) - 4},${(at % 8) - 4}`);
    }
    img.dispose();
    for (const o of offsets) for (const d of o.split(',').map(Number)) expect(Math.abs(d)).toBeLessThanOrEqual(1);
    expect(offsets.size).toBeGreaterThan(4); // it does shift
  });

  it('checkAugmentSettings names the bad key', () => {
    expect(() => checkAugmentSettings({ shift: 0.1, flip: true, cutoutRatio: 0.2, start: 'always' }, 'augment')).not.toThrow();
    expect(() => checkAugmentSettings(true, 'augment')).not.toThrow();
    expect(() => checkAugmentSettings({ shift: 2 }, 'augment')).toThrow(/augment\.shift/);
    expect(() => checkAugmentSettings({ flips: true }, 'augment')).toThrow(ArgumentError);
    expect(() => checkAugmentSettings({ start: 'soon' }, 'augment')).toThrow(/augment\.start/);
    expect(() => checkAugmentSettings('yes', 'augment')).toThrow(/augment/);
  });
});

describe('when augmentation starts', () => {
  const counting = () => {
    const calls = { n: 0 };
    return { calls, augment: (b: tf.Tensor) => { calls.n++; return b.clone(); } };
  };

  it("'plateau' augments only after the validation loss stopped improving, and logs the epochs that did", async () => {
    // A rate this high makes the validation loss jump about, so plateaus come early.
    const r = await trainGraph(smallCnn(2, 4), data, {
      task: 'classification', rng: new Rng(4), epochs: 12, patience: 12, batchSize: 30, augment: { start: 'plateau' },
      optimizer: { name: 'adam', learningRate: 0.05 }, lrSchedule: 'constant',
    });
    const first = r.history.findIndex((l) => l.augmented);
    expect(first).toBeGreaterThan(0);
    expect(r.history.slice(0, first).some((l) => l.augmented)).toBe(false);
    expect(r.history.slice(first).every((l) => l.augmented)).toBe(true);
    // Oracle: the epoch before the first augmented one is augmentAfter epochs past the best epoch so far.
    const before = r.history.slice(0, first);
    const bestSoFar = before.reduce((b, l) => (l.valLoss < b.valLoss - DEFAULTS.train.minDelta ? l : b), before[0]!);
    expect(first - bestSoFar.epoch).toBe(DEFAULTS.data.augmentAfter);
  });

  it("'always' and custom functions augment every batch", async () => {
    const always = await trainGraph(smallCnn(2, 4), data, { task: 'classification', rng: new Rng(4), epochs: 2, batchSize: 30, augment: { start: 'always' } });
    expect(always.history.every((l) => l.augmented)).toBe(true);
    const { calls, augment } = counting();
    const custom = await trainGraph(smallCnn(2, 4), data, { task: 'classification', rng: new Rng(4), epochs: 2, batchSize: 30, augment });
    expect(calls.n).toBe(2 * Math.ceil(90 / custom.batchSize));
  });
});

describe('keepStart', () => {
  it('keeps the starting weights when no epoch beats them on validation', async () => {
    const trained = await trainGraph(smallCnn(2, 4), data, { task: 'classification', rng: new Rng(5), epochs: 6, batchSize: 30, optimizer: { name: 'adam', learningRate: 0.01 } });
    const before = tf.memory().numTensors;
    // A destructive rate: every epoch ends worse than the trained start.
    const opts = { task: 'classification' as const, rng: new Rng(6), epochs: 2, patience: 2, batchSize: 30, optimizer: { name: 'sgd' as const, learningRate: 50, momentum: 0 }, lrSchedule: 'constant' as const };
    const kept = await trainGraph(trained.graph, data, { ...opts, keepStart: true });
    expect(tf.memory().numTensors).toBe(before);
    const lost = await trainGraph(trained.graph, data, opts);
    expect(lost.metric).toBeLessThan(trained.metric);
    expect(kept.status).toBe('ok');
    expect(kept.bestEpoch).toBe(0);
    expect(kept.metric).toBeCloseTo(trained.metric, 10);
    expect(kept.valLoss).toBeCloseTo(trained.valLoss, 5);
  });
});

describe('the schedule under a deadline', () => {
  it('spans the epochs the first epoch says fit before the deadline (oracle: the rate reaches the floor within them)', async () => {
    const rates: number[] = [];
    let batches = 0;
    const spy = jest.spyOn(tf.AdamOptimizer.prototype, 'applyGradients').mockImplementation(function (this: tf.AdamOptimizer) {
      rates.push((this as unknown as { learningRate: number }).learningRate);
      batches++;
    });
    try {
      // Time one epoch, then give a run of 1,000 epochs a deadline of about 4 of them.
      const t0 = Date.now();
      await trainGraph(smallCnn(2, 4), data, { task: 'classification', rng: new Rng(1), epochs: 1, batchSize: 30 });
      const epochMs = Date.now() - t0;
      rates.length = 0;
      batches = 0;
      const r = await trainGraph(smallCnn(2, 4), data, {
        task: 'classification', rng: new Rng(1), epochs: 1000, patience: 1000, batchSize: 30, deadline: Date.now() + 4 * epochMs, optimizer: { name: 'adam', learningRate: 0.01 },
      });
      const perEpoch = Math.ceil(90 / r.batchSize);
      // Over 1,000 epochs the rate would barely move; planned over the few that fit, it falls by half or more.
      expect(r.epochs).toBeLessThan(20);
      expect(Math.min(...rates)).toBeLessThan(0.01 * 0.6);
      expect(batches).toBeGreaterThanOrEqual(perEpoch);
    } finally {
      spy.mockRestore();
    }
  });
});
