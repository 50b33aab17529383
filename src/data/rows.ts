import * as tf from '@tensorflow/tfjs';
import { InputDataError, describeValue, invalidArgument } from '../errors';
import { DEFAULTS } from '../options';
import type { CsvTable } from './csv';
import { readCsv } from './csv';
import type { InputLike } from './input';
import { badInput, toShapedArray } from './input';

/** One cell of a row as users pass it; null, undefined, NaN, '', '?' and 'NA' are missing. */
export type Cell = string | number | boolean | null | undefined;

/** A row object, e.g. `{ age: '22', sex: 'male', fare: 7.25 }`. */
export type RowObject = Readonly<Record<string, Cell>>;

/** A column object, e.g. `{ age: [22, 38], sex: ['male', 'female'] }` (every column as long). */
export type ColumnObject = Readonly<Record<string, readonly Cell[]>>;

/** How a column is encoded: standardised number (+ missing indicator) or one-hot category. */
export type ColumnType = 'numerical' | 'categorical';

/**
 * Tabular data in memory: row objects `[N]`, a column object, numbers `[N, F]` (a tensor, nested
 * arrays or `{data, shape}`; columns are then named `'0'` .. `'F-1'`), or a {@link Table}.
 */
export type TabularInput = readonly RowObject[] | ColumnObject | InputLike | Table;

/**
 * Columns of cells with names and, for messages, where each row came from (a CSV line or an index
 * into the user's array). Built by {@link toTable} or {@link readTableCsv}.
 *
 * @example
 * ```ts
 * const t = toTable([{ age: 22, sex: 'male' }, { age: 38, sex: 'female' }]);
 * t.names;        // ['age', 'sex']
 * t.rowName(1);   // 'x[1]'
 * ```
 */
export class Table {
  constructor(
    /** Column names, in order. */
    readonly names: readonly string[],
    /** `columns[c][i]`: the cell of column c in row i. */
    readonly columns: readonly (readonly Cell[])[],
    /** Number of rows. */
    readonly length: number,
    /** Names the source in messages: an argument name (`x`) or a file. */
    readonly source: string,
    /** 1-based CSV line numbers of the rows, when read from a file. */
    readonly lines: readonly number[] | null = null,
    /** Whether rows are elements of the user's array (`x[3]`) rather than positions in columns (`row 3 of x`). */
    readonly rowArray = true,
  ) {}

  /** Where row `i` (0-based) came from, for messages: `x[3]`, `row 3 of x` or `line 5 of data.csv`. */
  rowName(i: number): string {
    if (this.lines) return `line ${this.lines[i]} of ${this.source}`;
    return this.rowArray ? `${this.source}[${i}]` : `row ${i} of ${this.source}`;
  }

  /** The cells of column `name`, or undefined. */
  column(name: string): readonly Cell[] | undefined {
    const k = this.names.indexOf(name);
    return k < 0 ? undefined : this.columns[k];
  }

  /** This table without column `name`. */
  without(name: string): Table {
    const k = this.names.indexOf(name);
    if (k < 0) return this;
    return new Table(this.names.filter((_, i) => i !== k), this.columns.filter((_, i) => i !== k), this.length, this.source, this.lines, this.rowArray);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Any {@link TabularInput} as a {@link Table}; an InputDataError names `name` and the offending row
 * or column (a row that is not an object, columns of different lengths, an empty table).
 *
 * @example
 * ```ts
 * toTable({ age: [22, 38], sex: ['male', 'female'] }).length;     // 2
 * toTable([[1, 2], [3, 4]]).names;                                // ['0', '1']
 * ```
 */
export function toTable(x: TabularInput, name = 'x'): Table {
  if (x instanceof Table) return x;
  if (typeof x === 'string') badInput(name, 'rows in memory (a CSV path is read by the task classes or readTableCsv)', JSON.stringify(x));
  if (Array.isArray(x) && x.length > 0 && isPlainObject(x[0])) return fromRows(x as unknown as readonly RowObject[], name);
  if (isPlainObject(x) && !('data' in x && 'shape' in x)) return fromColumns(x as ColumnObject, name);
  if (Array.isArray(x) && x.length === 0) badInput(name, 'at least one row', 'an empty array');
  const { data, shape } = toShapedArray(x as InputLike, name);
  if (shape.length !== 2) badInput(name, 'rows of numbers of shape [N, F]', `data of shape [${shape.join(', ')}]`);
  const [n, f] = shape as [number, number];
  if (n === 0) badInput(name, 'at least one row', 'an empty batch');
  const columns = Array.from({ length: f }, (_, c) => Array.from({ length: n }, (_, i) => data[i * f + c]!));
  return new Table(columns.map((_, c) => String(c)), columns, n, name, null, Array.isArray(x));
}

function fromRows(rows: readonly RowObject[], name: string): Table {
  const index = new Map<string, number>();
  rows.forEach((row, i) => {
    if (!isPlainObject(row)) badInput(name, 'an array of row objects', `${describeValue(row)} at ${name}[${i}]`);
    for (const key of Object.keys(row)) if (!index.has(key)) index.set(key, index.size);
  });
  const names = [...index.keys()];
  const columns = names.map((key) => rows.map((row) => row[key]));
  return new Table(names, columns, rows.length, name);
}

function fromColumns(cols: ColumnObject, name: string): Table {
  const names = Object.keys(cols);
  if (names.length === 0) badInput(name, 'at least one column', '{}');
  let n = -1;
  for (const key of names) {
    const c = cols[key];
    if (!Array.isArray(c)) badInput(name, 'a column object whose values are arrays of cells', `${describeValue(c)} in column ${JSON.stringify(key)}`);
    if (n >= 0 && c.length !== n) badInput(name, `columns of one length (${n}, as column ${JSON.stringify(names[0])})`, `column ${JSON.stringify(key)} of length ${c.length}`);
    n = c.length;
  }
  if (n === 0) badInput(name, 'at least one row', 'columns of length 0');
  return new Table(names, names.map((k) => cols[k]!.slice()), n, name, null, false);
}

/**
 * Reads a CSV file with a header row into a {@link Table} (cells stay strings). A row with more or
 * fewer fields than the header, a duplicate header name or a file without data rows is an
 * InputDataError naming the file, line and column count.
 *
 * @example
 * ```ts
 * const t = await readTableCsv('passengers.csv');
 * t.names;   // ['age', 'sex', 'fare', 'survived']
 * ```
 */
export async function readTableCsv(file: string): Promise<Table> {
  return tableFromCsv(await readCsv(file), file);
}

/**
 * A parsed CSV as a {@link Table}, checked as {@link readTableCsv} says.
 *
 * @example
 * ```ts
 * tableFromCsv(parseCsv('a,b\n1,x\n', 'mem.csv'), 'mem.csv').column('b'); // ['x']
 * ```
 */
export function tableFromCsv(csv: CsvTable, file: string): Table {
  const names = csv.header.map((h, i) => (h === '' ? `column${i + 1}` : h));
  const seen = new Set<string>();
  for (const h of names) {
    if (seen.has(h)) throw new InputDataError(`CSV file ${file} line 1: column name ${JSON.stringify(h)} appears twice in the header ${JSON.stringify(csv.header)}`);
    seen.add(h);
  }
  if (csv.rows.length === 0) throw new InputDataError(`CSV file ${file} has a header but no data rows`);
  for (const r of csv.rows) {
    if (r.fields.length !== names.length) {
      throw new InputDataError(`CSV file ${file} line ${r.line}: expected ${names.length} fields (as the header ${JSON.stringify(csv.header)}), received ${r.fields.length}: ${describeValue(r.fields)}`);
    }
  }
  const columns = names.map((_, c) => csv.rows.map((r) => r.fields[c]!));
  return new Table(names, columns, csv.rows.length, file, csv.rows.map((r) => r.line));
}

/**
 * Whether a cell is missing: null, undefined, NaN, or a string in `DEFAULTS.structured.missingTokens` (trimmed).
 *
 * @example
 * ```ts
 * [null, '', ' ?', 'NA', NaN].every(isMissing); // true
 * isMissing(0);                                 // false
 * ```
 */
export function isMissing(v: Cell): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return Number.isNaN(v);
  if (typeof v === 'string') return DEFAULTS.structured.missingTokens.includes(v.trim());
  return false;
}

/**
 * The number in a present cell, or null when it is not a finite number (booleans are not numbers).
 *
 * @example
 * ```ts
 * cellNumber(' 3.5 '); // 3.5
 * cellNumber('3a');    // null
 * ```
 */
export function cellNumber(v: Cell): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * The category key of a present cell: trimmed string, number or boolean as text.
 *
 * @example
 * ```ts
 * cellKey(' male '); // 'male'
 * cellKey(true);     // 'true'
 * ```
 */
export function cellKey(v: Cell): string {
  return typeof v === 'string' ? v.trim() : String(v);
}

/** Options of {@link RowEncoder.fit}. */
export interface RowEncoderOptions {
  /** Types of some or all columns; the others are inferred. A declared column is never left out. */
  columnTypes?: Readonly<Record<string, ColumnType>>;
  /** Argument name in messages (default `x`). */
  name?: string;
}

/** How one column is encoded (part of {@link RowEncoderJSON}). */
export type ColumnEncoding =
  | { name: string; type: 'numerical'; source: 'declared' | 'inferred'; mean: number; std: number; fill: number; indicator: boolean }
  | { name: string; type: 'categorical'; source: 'declared' | 'inferred'; categories: string[]; missingSlot: boolean };

/** A column left out of the encoding, with the reason. */
export interface DroppedColumn {
  name: string;
  reason: string;
}

/** The JSON document of a {@link RowEncoder} (inside `preprocessing.json` as `rows`). */
export interface RowEncoderJSON {
  format: 'autokeras-ts/rows';
  version: 1;
  /** Encoded columns, in the order of their features. */
  columns: ColumnEncoding[];
  /** Columns seen in fit but left out. */
  dropped: DroppedColumn[];
  /** Names of the model's input features, `[F]`, e.g. `age`, `age (missing)`, `sex=male`, `sex=<unknown>`. */
  features: string[];
}

/**
 * What a {@link RowEncoder} decided for each column: its type and where the type came from, or why
 * the column was left out (the `columnTypes` event of the structured tasks, `columns.json` in the
 * search directory).
 */
export interface ColumnReport {
  columns: Array<{ name: string; type: ColumnType; source: 'declared' | 'inferred'; missing: number; categories?: number }>;
  dropped: DroppedColumn[];
  /** Width F of the encoded rows. */
  features: number;
}

const UNKNOWN = '<unknown>';
const MISSING = '<missing>';

/**
 * Encodes rows of mixed cells into the model's `[N, F]` float input, fitted on the training rows:
 * numerical columns standardised (missing values imputed with the training median, plus a 0/1
 * indicator feature when the column had missing values in training); categorical columns one-hot over
 * the training categories seen at least `minCategoryCount` times, plus an "unknown" slot (rarer and
 * unseen categories) and a "missing" slot when training had missing values. Column types come from
 * `columnTypes` or are inferred: a column whose present values are all numbers is numerical (unless it
 * is a run of distinct consecutive integers, a row number: left out), others categorical, except
 * identifier-like or free-text columns (distinct values on nearly every row) and columns with more
 * than `maxCategories` categories, which are left out with the reason. A column missing everywhere,
 * or a non-number in a column declared numerical, is an InputDataError naming the column and row.
 * Serialises to JSON so that a loaded model encodes predict-time rows exactly as in training.
 *
 * @example
 * ```ts
 * const enc = RowEncoder.fit(toTable([{ age: 22, sex: 'male' }, { age: '', sex: 'female' }, { age: 40, sex: 'male' }]));
 * enc.features;                                  // ['age', 'age (missing)', 'sex=male', 'sex=<unknown>']
 * const x = enc.transform([{ age: 30, sex: 'other' }]);   // tf.Tensor2D [1, 4]
 * RowEncoder.fromJSON(enc.toJSON());             // the same encoder
 * ```
 */
export class RowEncoder {
  private constructor(readonly columns: readonly ColumnEncoding[], readonly dropped: readonly DroppedColumn[], readonly features: readonly string[]) {}

  /** Fits on training rows (the target column already removed). */
  static fit(x: TabularInput, options: RowEncoderOptions = {}): RowEncoder {
    const name = options.name ?? 'x';
    const declared = options.columnTypes ?? {};
    const table = toTable(x, name);
    checkColumnTypes(declared, table);
    const S = DEFAULTS.structured;
    const columns: ColumnEncoding[] = [];
    const dropped: DroppedColumn[] = [];
    table.names.forEach((col, c) => {
      const cells = table.columns[c]!;
      const present: Cell[] = [];
      const presentRows: number[] = [];
      cells.forEach((v, i) => { if (!isMissing(v)) { present.push(v); presentRows.push(i); } });
      if (present.length === 0) {
        throw new InputDataError(`Received an invalid value for \`${name}\`, expected column ${JSON.stringify(col)} to have at least one value. Received: every row missing (${table.rowName(0)} to ${table.rowName(table.length - 1)}); drop the column or fill it`);
      }
      const missing = cells.length - present.length;
      const numbers = present.map(cellNumber);
      const type = declared[col];
      const source = type ? 'declared' : 'inferred';
      if (type === 'numerical') {
        const bad = numbers.findIndex((v) => v === null);
        if (bad >= 0) {
          throw new InputDataError(`Received an invalid value for \`${name}\`, expected numbers in column ${JSON.stringify(col)} (declared numerical). Received: ${describeValue(present[bad])} at ${table.rowName(presentRows[bad]!)}`);
        }
      }
      const allNumeric = numbers.every((v) => v !== null);
      if (type === 'numerical' || (type === undefined && allNumeric)) {
        const values = numbers as number[];
        if (type === undefined && isRowNumber(values)) {
          dropped.push({ name: col, reason: `identifier-like: ${values.length} distinct consecutive integers, one per row` });
          return;
        }
        columns.push(numericalEncoding(col, source, values, missing > 0));
        return;
      }
      const keys = present.map(cellKey);
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
      if (type === undefined) {
        const distinct = counts.size;
        if (keys.length >= S.identifierMinRows && distinct >= S.identifierRatio * keys.length) {
          const words = keys.reduce((a, k) => a + k.split(/\s+/).length, 0) / keys.length;
          dropped.push({ name: col, reason: words >= S.freeTextWords
            ? `free text: ${distinct} distinct values in ${keys.length} rows, ${words.toFixed(1)} words per value`
            : `identifier-like: ${distinct} distinct values in ${keys.length} rows` });
          return;
        }
        if (distinct > S.maxCategories) {
          dropped.push({ name: col, reason: `too many categories: ${distinct} distinct values (most ${S.maxCategories}); declare it in columnTypes to keep its ${S.maxCategories} most frequent` });
          return;
        }
      }
      const categories = [...counts.entries()].filter(([, n]) => n >= S.minCategoryCount)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, S.maxCategories).map(([k]) => k);
      columns.push({ name: col, type: 'categorical', source, categories, missingSlot: missing > 0 });
    });
    if (columns.length === 0) {
      throw new InputDataError(`Received an invalid value for \`${name}\`, expected at least one usable column. Received: every column left out (${dropped.map((d) => `${d.name}: ${d.reason}`).join('; ')})`);
    }
    return new RowEncoder(columns, dropped, featureNames(columns));
  }

  /** Width F of the encoded rows. */
  get width(): number {
    return this.features.length;
  }

  /** What was decided per column (see {@link ColumnReport}); `table` adds the counts of missing training values. */
  report(table?: Table): ColumnReport {
    return {
      columns: this.columns.map((c) => {
        const cells = table?.column(c.name);
        return {
          name: c.name, type: c.type, source: c.source, missing: cells ? cells.filter(isMissing).length : 0,
          ...(c.type === 'categorical' ? { categories: c.categories.length } : {}),
        };
      }),
      dropped: this.dropped.map((d) => ({ ...d })),
      features: this.width,
    };
  }

  /**
   * Encodes rows as float32 `[N, F]` (caller disposes). Columns left out in fit, and columns fit never
   * saw (a target column), are ignored; a feature column absent from `x` is an InputDataError naming it.
   */
  transform(x: TabularInput, name = 'x'): tf.Tensor2D {
    const { data, rows } = this.encode(x, name);
    return tf.tensor2d(data, [rows, this.width], 'float32');
  }

  /** Encodes rows into a flat Float32Array `[N * F]` (see {@link RowEncoder.transform}). */
  encode(x: TabularInput, name = 'x'): { data: Float32Array; rows: number } {
    const table = toTable(x, name);
    const n = table.length;
    const f = this.width;
    const out = new Float32Array(n * f);
    let offset = 0;
    for (const col of this.columns) {
      const cells = table.column(col.name);
      if (!cells) badInput(name, `a column ${JSON.stringify(col.name)} (a ${col.type} column in fit)`, `columns ${describeValue(table.names)}`);
      if (col.type === 'numerical') {
        for (let i = 0; i < n; i++) {
          const v = cells[i];
          let value = col.fill;
          if (isMissing(v)) {
            if (col.indicator) out[i * f + offset + 1] = 1;
          } else {
            const num = cellNumber(v);
            if (num === null) badInput(name, `numbers in column ${JSON.stringify(col.name)} (numerical in fit)`, `${describeValue(v)} at ${table.rowName(i)}`);
            value = num;
          }
          out[i * f + offset] = (value - col.mean) / col.std;
        }
        offset += col.indicator ? 2 : 1;
      } else {
        const k = col.categories.length;
        const index = new Map(col.categories.map((c, j) => [c, j]));
        for (let i = 0; i < n; i++) {
          const v = cells[i];
          // Missing without a missing slot (training had none): the unknown slot.
          const j = isMissing(v) ? (col.missingSlot ? k + 1 : k) : index.get(cellKey(v)) ?? k;
          out[i * f + offset + j] = 1;
        }
        offset += k + 1 + (col.missingSlot ? 1 : 0);
      }
    }
    return { data: out, rows: n };
  }

  toJSON(): RowEncoderJSON {
    return { format: 'autokeras-ts/rows', version: 1, columns: this.columns.map((c) => ({ ...c, ...(c.type === 'categorical' ? { categories: c.categories.slice() } : {}) }) as ColumnEncoding), dropped: this.dropped.map((d) => ({ ...d })), features: this.features.slice() };
  }

  /** Restores an encoder from {@link RowEncoder.toJSON}. */
  static fromJSON(doc: unknown): RowEncoder {
    const d = doc as Partial<RowEncoderJSON>;
    const ok = d && d.format === 'autokeras-ts/rows' && d.version === 1 && Array.isArray(d.columns) && d.columns.length > 0 && Array.isArray(d.dropped)
      && d.columns.every((c) => typeof c?.name === 'string' && (c.type === 'numerical'
        ? [c.mean, c.std, c.fill].every(Number.isFinite) && c.std > 0 && typeof c.indicator === 'boolean'
        : c.type === 'categorical' && Array.isArray(c.categories) && c.categories.every((k) => typeof k === 'string') && typeof c.missingSlot === 'boolean'));
    if (!ok) throw new InputDataError(`Not a row encoder document (format "autokeras-ts/rows", version 1): ${describeValue(doc)}`);
    const columns = d.columns!.map((c) => ({ ...c, source: c.source === 'declared' ? 'declared' : 'inferred' }) as ColumnEncoding);
    return new RowEncoder(columns, d.dropped!.map((x) => ({ name: String(x.name), reason: String(x.reason) })), featureNames(columns));
  }
}

function checkColumnTypes(declared: Readonly<Record<string, ColumnType>>, table: Table): void {
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) invalidArgument('columnTypes', "an object { column: 'numerical' | 'categorical' }", declared);
  for (const [col, type] of Object.entries(declared)) {
    if (type !== 'numerical' && type !== 'categorical') invalidArgument(`columnTypes.${col}`, "'numerical' or 'categorical'", type);
    if (!table.names.includes(col)) invalidArgument(`columnTypes.${col}`, `a column of the training data (${table.names.join(', ')})`, col);
  }
}

/** Distinct consecutive integers, at least `identifierMinRows` of them: a row number. */
function isRowNumber(values: number[]): boolean {
  if (values.length < DEFAULTS.structured.identifierMinRows || !values.every(Number.isInteger)) return false;
  let min = Infinity, max = -Infinity;
  for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
  return max - min + 1 === values.length && new Set(values).size === values.length;
}

function numericalEncoding(name: string, source: 'declared' | 'inferred', values: number[], indicator: boolean): ColumnEncoding {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n;
  const std = Math.sqrt(variance);
  const sorted = values.slice().sort((a, b) => a - b);
  const fill = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { name, type: 'numerical', source, mean, std: std > 1e-12 ? std : 1, fill, indicator };
}

function featureNames(columns: readonly ColumnEncoding[]): string[] {
  return columns.flatMap((c) => c.type === 'numerical'
    ? [c.name, ...(c.indicator ? [`${c.name} (missing)`] : [])]
    : [...c.categories.map((k) => `${c.name}=${k}`), `${c.name}=${UNKNOWN}`, ...(c.missingSlot ? [`${c.name}=${MISSING}`] : [])]);
}
