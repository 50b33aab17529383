import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError, InputDataError } from '../../src/errors';
import type { ColumnReport } from '../../src/data/rows';
import { ImageClassifier, StructuredDataClassifier, StructuredDataRegressor } from '../../src/tasks';
import type { StructuredDataOptions } from '../../src/tasks';
import { Rng } from '../../src/util/rng';

/** Passenger-like rows: a numeric column with gaps, a categorical one, an id; `label` and `value` depend on both. */
function passengers(n: number, seed: number): Array<Record<string, string | number | null>> {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const age = rng.uniform(0, 80);
    const sex = rng.next() < 0.5 ? 'male' : 'female';
    const value = age / 20 + (sex === 'female' ? 2 : 0) + 0.1 * rng.normal();
    return { passenger: i + 1, age: rng.next() < 0.15 ? '' : age.toFixed(1), sex: rng.next() < 0.1 ? null : sex, label: value > 3 ? 'yes' : 'no', value };
  });
}

function toCsv(rows: Array<Record<string, unknown>>): string {
  const names = Object.keys(rows[0]!);
  return `${names.join(',')}\n${rows.map((r) => names.map((k) => (r[k] === null || r[k] === undefined ? '' : String(r[k]))).join(',')).join('\n')}\n`;
}

const base: StructuredDataOptions = { seed: 2, backend: 'cpu', maxTrials: 2, epochsPerTrial: 8 };
const train = passengers(120, 1);
const test = passengers(40, 2);
const strip = (rows: typeof train, key: string) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key)));

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-structured-'));
});
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

describe('StructuredDataClassifier', () => {
  it('fits on rows with a target column, reports column types, exports and loads to the same predictions; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const directory = path.join(root, 'clf-run');
    const clf = new StructuredDataClassifier({ ...base, directory });
    const reports: ColumnReport[] = [];
    clf.on('columnTypes', (r) => reports.push(r));
    expect(await clf.fit(strip(train, 'value'), 'label', { timeLimit: 30 })).toBe(clf);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.columns.map((c) => [c.name, c.type])).toEqual([['age', 'numerical'], ['sex', 'categorical']]);
    expect(reports[0]!.dropped.map((d) => d.name)).toEqual(['passenger']);
    expect(JSON.parse(await fs.readFile(path.join(directory, 'columns.json'), 'utf8'))).toEqual(reports[0]);
    expect(clf.classes).toEqual(['no', 'yes']);
    const accuracy = await clf.evaluate(strip(test, 'value'), 'label');
    expect(accuracy).toBeGreaterThan(0.7);
    // Raw rows with the target column present (ignored), an unseen category and missing values.
    const odd = [{ age: '30', sex: 'unknown-sex', label: 'no' }, { age: null, sex: 'female' }, { age: 'NA', sex: '?' }];
    const predicted = await clf.predict(odd);
    expect(predicted.every((p) => p === 'yes' || p === 'no')).toBe(true);
    const proba = await clf.predictProba(test);
    const exportDir = path.join(root, 'clf-export');
    await clf.export(exportDir);
    const doc = JSON.parse(await fs.readFile(path.join(exportDir, 'preprocessing.json'), 'utf8'));
    expect(doc.rows.features).toHaveLength(clf.columnReport.features);
    const loaded = await StructuredDataClassifier.load(exportDir, { backend: 'cpu' });
    expect(await loaded.predictProba(test)).toEqual(proba);
    expect(await loaded.predict(odd)).toEqual(predicted);
    const fromDir = await StructuredDataClassifier.load(directory, { backend: 'cpu' });
    expect(await fromDir.predictProba(test)).toEqual(proba);
    // A CSV of the same rows predicts the same.
    const csv = path.join(root, 'test.csv');
    await fs.writeFile(csv, toCsv(test));
    expect(await loaded.predictProba(csv)).toEqual(proba);
    await expect(ImageClassifier.load(exportDir, { backend: 'cpu' })).rejects.toThrow(/structured-data classification model; load it with the StructuredDataClassifier class/);
    clf.dispose(); loaded.dispose(); fromDir.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fits on [N, F] numbers with a label array', async () => {
    const x = train.map((r) => [Number(r.value), r.sex === 'male' ? 1 : 0]);
    const y = train.map((r) => r.label as string);
    const clf = new StructuredDataClassifier({ ...base, maxTrials: 1 });
    await clf.fit(x, y, { timeLimit: 20 });
    expect(clf.columnReport.columns.map((c) => c.name)).toEqual(['0', '1']);
    expect(await clf.evaluate(x, y)).toBeGreaterThan(0.8);
    clf.dispose();
  });
});

describe('structured search directory', () => {
  it('is reproducible from the seed and resumes', async () => {
    const rows = strip(train, 'value');
    const directory = path.join(root, 'resume-run');
    const a = new StructuredDataClassifier({ ...base, maxTrials: 1, directory });
    await a.fit(rows, 'label', { timeLimit: 20 });
    const b = new StructuredDataClassifier({ ...base, maxTrials: 1 });
    await b.fit(rows, 'label', { timeLimit: 20 });
    expect(await b.predictProba(test)).toEqual(await a.predictProba(test));
    const resumed = new StructuredDataClassifier({ ...base, maxTrials: 2, directory, resume: true });
    await resumed.fit(rows, 'label', { timeLimit: 20 });
    expect(resumed.history.map((t) => t.id)).toEqual([0, 1]);
    a.dispose(); b.dispose(); resumed.dispose();
  });
});

describe('StructuredDataRegressor', () => {
  it('fits on a CSV path with a target column name, evaluates in the targets\' units, round-trips through export', async () => {
    const csv = path.join(root, 'train.csv');
    await fs.writeFile(csv, toCsv(strip(train, 'label')));
    const reg = new StructuredDataRegressor({ ...base, columnTypes: { sex: 'categorical' } });
    await reg.fit(csv, 'value', { timeLimit: 30 });
    await reg.finalFit(csv, 'value', undefined, undefined, { timeLimit: 10, epochs: 20 });
    const rows = strip(test, 'label');
    const mse = await reg.evaluate(rows, 'value');
    const values = test.map((r) => Number(r.value));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(mse).toBeLessThan(variance * 0.6);
    const predicted = await reg.predict(rows);
    expect(predicted[0]).toHaveLength(1);
    const direct = values.reduce((sum, v, i) => sum + (v - predicted[i]![0]!) ** 2, 0) / values.length;
    expect(Math.abs(mse - direct) / direct).toBeLessThan(1e-6); // the targets' units, not the standardised ones
    const exportDir = path.join(root, 'reg-export');
    await reg.export(exportDir);
    const loaded = await StructuredDataRegressor.load(exportDir, { backend: 'cpu' });
    // The export un-standardises in its last (float32) layer: equal up to float32 rounding.
    (await loaded.predict(rows)).forEach((r, i) => expect(r[0]).toBeCloseTo(predicted[i]![0]!, 4));
    reg.dispose(); loaded.dispose();
  });
});

describe('structured data errors: typed, naming the column and row, nothing written', () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [];
  const dirOf = (name: string) => path.join(root, `err-${name}`);
  const fitRows = (name: string, rows: unknown, y: unknown, o: StructuredDataOptions = {}) =>
    new StructuredDataClassifier({ ...base, ...o, directory: dirOf(name) }).fit(rows as never, y as never, { timeLimit: 5 });
  cases.push(['missing target column', () => fitRows('target', strip(train, 'value'), 'survived'), /`y`, expected the name of a column of x \("passenger", "age", "sex", "label"\). Received: y="survived"/]);
  cases.push(['one class', () => fitRows('one-class', train.map((r) => ({ ...r, label: 'same' })), 'label'), /at least two classes in target column "label". Received: one class \("same"\) in every row, x\[0\] to x\[119\]/]);
  cases.push(['all missing', () => fitRows('all-missing', train.map((r) => ({ ...r, empty: '?' })), 'label'), /column "empty" to have at least one value. Received: every row missing \(x\[0\] to x\[119\]\)/]);
  cases.push(['non-numeric declared numerical', () => fitRows('declared', train.map((r, i) => ({ ...r, age: i === 7 ? 'old' : r.age })), 'label', { columnTypes: { age: 'numerical' } }),
    /numbers in column "age" \(declared numerical\). Received: "old" at x\[7\]/]);
  it.each(cases)('%s', async (name, run, message) => {
    await expect(run()).rejects.toThrow(InputDataError);
    await expect(run()).rejects.toThrow(message);
    expect(existsSync(dirOf(name.split(' ')[0]!))).toBe(false);
  });

  it('ragged CSV rows', async () => {
    const csv = path.join(root, 'ragged.csv');
    await fs.writeFile(csv, 'age,sex,label\n22,male,no\n38,female\n');
    const directory = dirOf('ragged');
    await expect(new StructuredDataClassifier({ ...base, directory }).fit(csv, 'label', { timeLimit: 5 })).rejects.toThrow(/ragged.csv line 3: expected 3 fields/);
    expect(existsSync(directory)).toBe(false);
  });

  it('checks columnTypes in the constructor', () => {
    expect(() => new StructuredDataRegressor({ columnTypes: { a: 'text' as never } })).toThrow(ArgumentError);
    expect(() => new StructuredDataRegressor({ columnTypes: { a: 'text' as never } })).toThrow(/`columnTypes.a`, expected 'numerical' or 'categorical'/);
  });
});
