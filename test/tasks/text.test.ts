import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError, InputDataError } from '../../src/errors';
import { ImageClassifier, TextClassifier, TextRegressor } from '../../src/tasks';
import type { TextOptions } from '../../src/tasks';
import { TextVectorizer } from '../../src/data/text';
import { plainLoad } from './fixtures';

const SAMPLE = path.join(__dirname, '../../data/sentiment-sample/amazon-200.csv');

/** The bundled sample as texts and labels (a tiny CSV reader: the file quotes fields with commas). */
function sample(): { texts: string[]; labels: number[] } {
  const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n').slice(1);
  const texts: string[] = [];
  const labels: number[] = [];
  for (const line of lines) {
    const cut = line.lastIndexOf(',');
    let t = line.slice(0, cut);
    if (t.startsWith('"')) t = t.slice(1, -1).replace(/""/g, '"');
    texts.push(t);
    labels.push(Number(line.slice(cut + 1)));
  }
  return { texts, labels };
}

const base: TextOptions = { seed: 3, backend: 'cpu', maxTrials: 1, epochsPerTrial: 12, executor: 'in-process' };
const { texts, labels } = sample();
const trainX = texts.slice(0, 160);
const trainY = labels.slice(0, 160);
const testX = texts.slice(160);
const testY = labels.slice(160);

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-text-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('TextClassifier', () => {
  it('fits on strings, predicts raw strings (unseen words, very long texts), exports and loads to the same predictions; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const directory = path.join(root, 'clf-run');
    const clf = new TextClassifier({ ...base, directory, epochsPerTrial: 40 });
    expect(await clf.fit(trainX, trainY, { timeLimit: 60 })).toBe(clf);
    expect(clf.classes).toEqual([0, 1]);
    expect(clf.vocabulary.length).toBeGreaterThan(20);
    expect(clf.sequenceLength).toBeGreaterThan(5);
    const accuracy = await clf.evaluate(testX, testY);
    expect(accuracy).toBeGreaterThan(0.6);
    const odd = ['zyzzyva quux', `${'great '.repeat(5000)}`, 'Ünïcödé — 🙂 !!!'];
    const predicted = await clf.predict(odd);
    expect(predicted.every((p) => p === 0 || p === 1)).toBe(true);
    const proba = await clf.predictProba(testX);
    const exportDir = path.join(root, 'clf-export');
    await clf.export(exportDir);
    const doc = JSON.parse(await fs.readFile(path.join(exportDir, 'preprocessing.json'), 'utf8'));
    expect(doc.text.vocabulary).toEqual(clf.vocabulary);
    expect(doc.text.sequenceLength).toBe(clf.sequenceLength);
    // The exported model.json takes token ids [N, sequenceLength] (no scaling layers): plain tfjs gives predictProba.
    expect(doc.exported).toEqual({ inputShape: [clf.sequenceLength], inputScaling: false, targetScaling: false });
    const plain = await plainLoad(exportDir);
    const ids = TextVectorizer.fromJSON(doc.text).transform(testX);
    const out = plain.predict(ids) as tf.Tensor;
    (out.arraySync() as number[][]).forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(proba[i]![k]!, 5)));
    tf.dispose([ids, out]);
    plain.dispose();
    const loaded = await TextClassifier.load(exportDir, { backend: 'cpu' });
    expect(await loaded.predictProba(testX)).toEqual(proba);
    expect(await loaded.predict(odd)).toEqual(predicted);
    const fromDir = await TextClassifier.load(directory, { backend: 'cpu' });
    expect(await fromDir.predictProba(testX)).toEqual(proba);
    // The wrong class says which one to use.
    await expect(ImageClassifier.load(exportDir, { backend: 'cpu' })).rejects.toThrow(/text classification model; load it with the TextClassifier class/);
    await expect(TextRegressor.load(exportDir, { backend: 'cpu' })).rejects.toThrow(/load it with the TextClassifier class/);
    loaded.dispose(); fromDir.dispose(); clf.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000); // about 20 s on an idle machine: 40 epochs on the cpu backend

  it('reads a CSV path with a target column; finalFit and resume work', async () => {
    const directory = path.join(root, 'csv-run');
    const clf = new TextClassifier({ ...base, directory, maxTrials: 1, epochsPerTrial: 2 });
    await clf.fit(SAMPLE, 'label', { timeLimit: 60 });
    const fromCsv = await clf.predict(SAMPLE);
    expect(fromCsv).toHaveLength(200);
    expect(await clf.predict(texts)).toEqual(fromCsv);
    expect(await clf.evaluate(SAMPLE, 'label')).toBeGreaterThan(0.5);
    await clf.finalFit(trainX, trainY, testX, testY, { epochs: 1, timeLimit: 60 });
    expect(clf.finalFitReport!.epochs).toBeGreaterThan(0);
    const resumed = new TextClassifier({ ...base, directory, resume: true, maxTrials: 2, epochsPerTrial: 1 });
    await resumed.fit(SAMPLE, 'label', { timeLimit: 60 });
    expect(resumed.history.length).toBe(2);
    expect(resumed.vocabulary).toEqual(clf.vocabulary);
    clf.dispose(); resumed.dispose();
  });
});

describe('the encoding options', () => {
  it('maxVocabulary, minTokenCount and sequenceLength reach the vectorizer', async () => {
    const fit = async (o: TextOptions) => {
      const clf = new TextClassifier({ ...base, epochsPerTrial: 1, ...o });
      await clf.fit(trainX, trainY, { timeLimit: 60 });
      const out = { vocabulary: clf.vocabulary, length: clf.sequenceLength };
      clf.dispose();
      return out;
    };
    const byDefault = await fit({});
    const rare = await fit({ minTokenCount: 1, sequenceLength: 7 });
    expect(rare.length).toBe(7);
    expect(rare.vocabulary.length).toBeGreaterThan(byDefault.vocabulary.length); // words seen once are kept
    expect((await fit({ maxVocabulary: 12 })).vocabulary).toEqual(rare.vocabulary.slice(0, 10)); // the 10 most frequent, ids 0 and 1 reserved
    expect((await fit({ ngrams: 2 })).vocabulary.some((t) => t.includes(' '))).toBe(true); // word pairs
  });
});

describe('text with the AutoModel options', () => {
  it('multiLabel: multi-hot targets give multi-hot predictions and per-label probabilities', async () => {
    const y = trainY.map((l, i) => [l, i % 2]); // two labels per text
    const clf = new TextClassifier({ ...base, epochsPerTrial: 2, multiLabel: true });
    await clf.fit(trainX, y, { timeLimit: 60 });
    const predicted = (await clf.predict(testX.slice(0, 5))) as number[][];
    expect(predicted).toHaveLength(5);
    for (const row of predicted) expect(row.every((v) => v === 0 || v === 1) && row.length === 2).toBe(true);
    const proba = await clf.predictProba(testX.slice(0, 5));
    expect(proba.every((row) => row.length === 2 && row.every((p) => p >= 0 && p <= 1))).toBe(true);
    clf.dispose();
  });
});

describe('TextRegressor', () => {
  it('learns numbers from texts, predicts in the targets units, round-trips through export', async () => {
    const y = trainY.map((l) => 1 + 4 * l);
    const reg = new TextRegressor({ ...base, trialTimeLimit: 300 });
    await reg.fit(trainX, y, { timeLimit: 300 });
    const p = await reg.predict(testX);
    expect(p).toHaveLength(testX.length);
    expect(p[0]).toHaveLength(1);
    const truth = testY.map((l) => 1 + 4 * l);
    const mse = await reg.evaluate(testX, truth);
    expect(mse).toBeLessThan(4); // variance of the targets
    const direct = truth.reduce((sum, v, i) => sum + (v - p[i]![0]!) ** 2, 0) / truth.length;
    expect(Math.abs(mse - direct) / direct).toBeLessThan(1e-6); // the targets' units, not the standardised ones
    expect(await reg.evaluate(testX, truth, { returnDict: true })).toEqual({ mse });
    const dir = path.join(root, 'reg-export');
    await reg.export(dir);
    // The export undoes the target standardisation in its last layer: float32, equal to 1e-5.
    const doc = JSON.parse(await fs.readFile(path.join(dir, 'preprocessing.json'), 'utf8'));
    expect(doc.exported.targetScaling).toBe(true);
    const loaded = await TextRegressor.load(dir, { backend: 'cpu' });
    (await loaded.predict(testX)).forEach((row, i) => expect(row[0]).toBeCloseTo(p[i]![0]!, 5));
    loaded.dispose(); reg.dispose();
  });
});

describe('text input errors (typed, nothing written)', () => {
  const bad: Array<[string, () => Promise<unknown>, RegExp, new (...a: never[]) => Error]> = [
    ['a non-string entry', () => new TextClassifier(base).fit(['good', 3 as unknown as string, 'bad'], [1, 0, 0]), /`x`, expected a string at x\[1\].*Received: x\[1\]=3 \(number\)/, InputDataError],
    ['an empty string', () => new TextClassifier(base).fit(['good', '  ', 'bad'], [1, 0, 0]), /expected a non-empty text at x\[1\]/, InputDataError],
    ['an all-empty corpus', () => new TextClassifier(base).fit(['', ' ', '\n'], [1, 0, 1]), /expected at least one non-empty text. Received: x=3 texts, all empty or blank/, InputDataError],
    ['a corpus without a visible character', () => new TextClassifier(base).fit(['\u200b', '\u200b\u200b'], [1, 0]), /texts with at least one token/, InputDataError],
    ['mismatched lengths', () => new TextClassifier(base).fit(['good', 'bad', 'ok'], [1, 0]), /3.*2|2.*3/, InputDataError],
    ['one class', () => new TextClassifier(base).fit(['good', 'bad'], [1, 1]), /at least two classes/, InputDataError],
    ['not an array', () => new TextClassifier(base).fit({ a: 1 } as never, [1]), /`x`, expected an array of strings/, InputDataError],
    ['a column name without a CSV', () => new TextClassifier(base).fit(['good', 'bad'], 'label'), /`y`, expected labels or numbers/, ArgumentError],
    ['a bad textColumn option', async () => new TextClassifier({ ...base, textColumn: 3 as never }), /`textColumn`/, ArgumentError],
    ['minTokenCount 0', async () => new TextClassifier({ ...base, minTokenCount: 0 }), /`minTokenCount`, expected a positive integer. Received: minTokenCount=0/, ArgumentError],
    ['maxVocabulary 2', async () => new TextRegressor({ ...base, maxVocabulary: 2 }), /`maxVocabulary`, expected an integer of at least 3/, ArgumentError],
    ['sequenceLength 2.5', async () => new TextClassifier({ ...base, sequenceLength: 2.5 }), /`sequenceLength`, expected a positive integer/, ArgumentError],
    ['ngrams 3', async () => new TextClassifier({ ...base, ngrams: 3 }), /`ngrams`, expected 1 \(words\) or 2/, ArgumentError],
  ];
  it.each(bad)('%s', async (_name, run, message, type) => {
    const directory = path.join(root, `bad-${_name.replace(/\W+/g, '-')}`);
    void directory;
    const err = await run().then(() => null, (e: Error) => e);
    expect(err).toBeInstanceOf(type);
    expect(err!.message).toMatch(message);
  });

  it('writes nothing into the search directory on bad texts', async () => {
    const directory = path.join(root, 'bad-nothing');
    await expect(new TextClassifier({ ...base, directory }).fit(['good', ''], [1, 0])).rejects.toThrow(InputDataError);
    expect(existsSync(path.join(directory, 'meta.json'))).toBe(false);
  });

  it('a CSV without a clear text column names the columns', async () => {
    const csv = path.join(root, 'three.csv');
    await fs.writeFile(csv, 'a,b,label\nx,y,1\nz,w,0\n');
    await expect(new TextClassifier(base).fit(csv, 'label')).rejects.toThrow(/textColumn option.*Received: columns \["a", "b", "label"\]/);
    const clf = new TextClassifier({ ...base, textColumn: 'nope' });
    await expect(clf.fit(csv, 'label')).rejects.toThrow(/a column "nope"/);
  });
});
