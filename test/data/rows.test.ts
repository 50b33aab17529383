import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ArgumentError, InputDataError } from '../../src/errors';
import { Preprocessing } from '../../src/data/preprocessing';
import { RowEncoder, isMissing, readTableCsv, toTable } from '../../src/data/rows';

beforeAll(async () => { await tf.setBackend('cpu'); });

/** 30 rows: a row number, a numeric column with gaps, a categorical one, names (identifier-like), a sentence (free text). */
function people(): Array<Record<string, string | number | null>> {
  return Array.from({ length: 30 }, (_, i) => ({
    id: i + 100,
    age: i % 7 === 3 ? '' : String(20 + i),
    city: ['paris', 'oslo', 'rome'][i % 3]!,
    name: `person ${i}`,
    note: `this is free text number ${i} about nothing`,
    score: i % 2,
  }));
}

describe('toTable', () => {
  it('reads row objects, column objects and [N, F] numbers', () => {
    expect(toTable([{ a: 1, b: 'x' }, { b: 'y', c: true }]).names).toEqual(['a', 'b', 'c']);
    const cols = toTable({ a: [1, 2], b: ['x', 'y'] });
    expect([cols.names, cols.length]).toEqual([['a', 'b'], 2]);
    expect(toTable([[1, 2], [3, 4]]).columns).toEqual([[1, 3], [2, 4]]);
    const t = tf.tensor2d([[1, 2, 3]]);
    expect(toTable(t).names).toEqual(['0', '1', '2']);
    t.dispose();
    expect(toTable({ data: [1, 2, 3, 4], shape: [2, 2] }).length).toBe(2);
  });

  it('names the argument and the row or column of malformed input', () => {
    expect(() => toTable([{ a: 1 }, 3 as never])).toThrow(/x\[1\]/);
    expect(() => toTable({ a: [1, 2], b: [1] })).toThrow(/column "b" of length 1/);
    expect(() => toTable([], 'rows')).toThrow(InputDataError);
    expect(() => toTable([[1, 2], [3]])).toThrow(/ragged/);
  });

  it('treats null, undefined, NaN, blank, "?" and "NA" as missing', () => {
    expect([null, undefined, NaN, '', ' ', '?', 'NA'].every((v) => isMissing(v))).toBe(true);
    expect([0, 'a', false, 'NaNa'].some((v) => isMissing(v))).toBe(false);
  });
});

describe('RowEncoder', () => {
  it('infers column types and leaves out identifier-like and free-text columns with a reason', () => {
    const enc = RowEncoder.fit(people());
    const types = Object.fromEntries(enc.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({ age: 'numerical', city: 'categorical', score: 'numerical' });
    const dropped = Object.fromEntries(enc.dropped.map((d) => [d.name, d.reason]));
    expect(dropped.id).toMatch(/identifier-like: 30 distinct consecutive integers/);
    expect(dropped.name).toMatch(/^identifier-like: 30 distinct values in 30 rows/);
    expect(dropped.note).toMatch(/^free text/);
    expect(enc.features).toEqual(['age', 'age (missing)', 'city=oslo', 'city=paris', 'city=rome', 'city=<unknown>', 'score']);
    const report = enc.report(toTable(people()));
    expect(report.columns.find((c) => c.name === 'age')).toEqual({ name: 'age', type: 'numerical', source: 'inferred', missing: 4 });
  });

  it('types booleans as categorical', () => {
    expect(RowEncoder.fit([{ b: true }, { b: false }, { b: true }, { b: false }]).features).toEqual(['b=false', 'b=true', 'b=<unknown>']);
  });

  it('follows columnTypes: a declared column is kept and typed as declared', () => {
    const enc = RowEncoder.fit(people(), { columnTypes: { score: 'categorical', id: 'numerical' } });
    expect(enc.columns.find((c) => c.name === 'score')).toMatchObject({ type: 'categorical', source: 'declared', categories: ['0', '1'] });
    expect(enc.columns.find((c) => c.name === 'id')).toMatchObject({ type: 'numerical', source: 'declared' });
    expect(() => RowEncoder.fit(people(), { columnTypes: { nope: 'numerical' } })).toThrow(ArgumentError);
    expect(() => RowEncoder.fit(people(), { columnTypes: { age: 'float' as never } })).toThrow(/`columnTypes.age`/);
  });

  it('imputes missing numbers with the training median and sets the indicator; standardises', () => {
    const enc = RowEncoder.fit([{ v: 1 }, { v: 2 }, { v: 3 }, { v: '?' }, { v: 10 }]);
    const col = enc.columns[0]!;
    expect(col).toMatchObject({ type: 'numerical', fill: 2.5, indicator: true, mean: 4 });
    const x = enc.transform([{ v: null }, { v: 4 }, { v: 'NA' }]);
    const [a, b, c] = x.arraySync() as number[][];
    x.dispose();
    const std = (col as { std: number }).std;
    expect(a![0]).toBeCloseTo((2.5 - 4) / std, 6);
    expect(a![1]).toBe(1);
    expect(b).toEqual([0, 0]);
    expect(c![1]).toBe(1);
  });

  it('maps unseen and rare categories to the unknown slot, missing ones to the missing slot', () => {
    const rows = [{ c: 'a' }, { c: 'a' }, { c: 'b' }, { c: 'b' }, { c: 'rare' }, { c: '' }];
    const enc = RowEncoder.fit(rows);
    expect(enc.features).toEqual(['c=a', 'c=b', 'c=<unknown>', 'c=<missing>']);
    const x = enc.transform([{ c: 'b' }, { c: 'never seen' }, { c: 'rare' }, { c: null }, {}]);
    expect(x.arraySync()).toEqual([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]]);
    x.dispose();
  });

  it('round-trips through JSON (inside the preprocessing document) to the same encoding', () => {
    const { prep, x, y } = Preprocessing.fit(people(), Array.from({ length: 30 }, (_, i) => i % 2), { task: 'classification', rows: {} });
    const again = Preprocessing.fromJSON(JSON.parse(JSON.stringify(prep.toJSON())));
    const a = prep.transformX(people().slice(0, 5));
    const b = again.transformX(people().slice(0, 5));
    expect(b.arraySync()).toEqual(a.arraySync());
    expect(again.sampleShape).toEqual([7]);
    tf.dispose([a, b, x, y]);
  });

  it('standardises regression targets and decodes them back', () => {
    const { prep, x, y } = Preprocessing.fit({ v: [1, 2, 3, 4] }, [10, 20, 30, 40], { task: 'regression', rows: {}, scaleTargets: true });
    expect(Array.from(y.dataSync()).reduce((p, q) => p + q, 0)).toBeCloseTo(0, 6);
    const decoded = prep.decode(y) as number[][];
    decoded.forEach((r, i) => expect(r[0]).toBeCloseTo(10 * (i + 1), 4));
    tf.dispose([x, y]);
  });

  it('names the column and row of an all-missing column and of a non-number in a declared numerical column', () => {
    expect(() => RowEncoder.fit([{ a: 1, b: '' }, { a: 2, b: null }])).toThrow(/column "b" to have at least one value. Received: every row missing \(x\[0\] to x\[1\]\)/);
    expect(() => RowEncoder.fit([{ a: 1 }, { a: 'two' }], { columnTypes: { a: 'numerical' } })).toThrow(/column "a" \(declared numerical\). Received: "two" at x\[1\]/);
    expect(() => RowEncoder.fit({ a: [1, 'two'] }, { columnTypes: { a: 'numerical' } })).toThrow(/Received: "two" at row 1 of x/);
    const enc = RowEncoder.fit([{ a: 1 }, { a: 2 }]);
    expect(() => enc.transform([{ a: 'x' }])).toThrow(/column "a".*"x" at x\[0\]/);
    expect(() => enc.transform([{ b: 1 }])).toThrow(/column "a"/);
  });
});

describe('readTableCsv', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'ak-rows-')); });
  afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('reads a header and rows with their line numbers', async () => {
    const file = path.join(dir, 'ok.csv');
    await fs.writeFile(file, 'a,b\n1,"x, y"\n\n2,z\n');
    const t = await readTableCsv(file);
    expect(t.columns).toEqual([['1', '2'], ['x, y', 'z']]);
    expect(t.rowName(1)).toBe(`line 4 of ${file}`);
  });

  it('rejects ragged rows naming the file and line', async () => {
    const file = path.join(dir, 'ragged.csv');
    await fs.writeFile(file, 'a,b,c\n1,2,3\n4,5\n');
    await expect(readTableCsv(file)).rejects.toThrow(new RegExp(`CSV file .*ragged.csv line 3: expected 3 fields .* received 2`));
  });
});
