import { promises as fs } from 'node:fs';
import { InputDataError } from '../errors';

/** A parsed CSV: header names and data rows, each with its 1-based line number in the file. */
export interface CsvTable {
  header: string[];
  rows: Array<{ line: number; fields: string[] }>;
}

/**
 * Parses CSV text (RFC 4180: comma separated, `"` quotes, `""` inside quotes, CRLF or LF); the first
 * non-empty line is the header, empty lines are skipped. `file` names the source in errors.
 *
 * @example
 * ```ts
 * parseCsv('file,label\na.png,cat\n', 'labels.csv').rows[0]; // { line: 2, fields: ['a.png', 'cat'] }
 * ```
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ line: start, fields: fields.map((f) => f.trim()) });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
      if (ch === '\n') line++;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else field += ch;
  }
  if (quoted) throw new InputDataError(`CSV file ${file} line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) endRecord();
  const [head, ...rows] = records;
  if (!head) throw new InputDataError(`CSV file ${file} is empty; expected a header line such as "file,label"`);
  return { header: head.fields, rows };
}

/** Which columns hold the file names and the labels. */
export interface CsvColumns {
  file: number;
  label: number;
}

/**
 * Picks the file-name column (the header `fileColumn`, else the first header containing "file",
 * "image", "path" or "name", else column 0) and the label column (`labelColumn`, else the first header
 * containing "label", "class", "target" or "category", else the next column). An InputDataError names
 * the file and line 1 when there is no label column.
 *
 * @example
 * ```ts
 * const cols = findColumns(parseCsv('name,label\na.png,1\n', 'l.csv'), 'l.csv'); // { file: 0, label: 1 }
 * ```
 */
export function findColumns(table: CsvTable, file: string, names: { fileColumn?: string; labelColumn?: string } = {}): CsvColumns {
  const find = (wanted: string | undefined, pattern: RegExp, role: string): number => {
    if (wanted !== undefined) {
      const i = table.header.indexOf(wanted);
      if (i < 0) throw new InputDataError(`CSV file ${file} line 1: no ${role} column named ${JSON.stringify(wanted)}; the header has ${JSON.stringify(table.header)}`);
      return i;
    }
    return table.header.findIndex((h) => pattern.test(h));
  };
  let fileCol = find(names.fileColumn, /file|image|path|name/i, 'file-name');
  let label = find(names.labelColumn, /label|class|target|category/i, 'label');
  if (fileCol < 0) fileCol = label === 0 ? 1 : 0;
  if (label < 0) label = table.header.length > 1 ? (fileCol === 0 ? 1 : 0) : -1;
  if (label < 0 || label === fileCol || label >= table.header.length) {
    throw new InputDataError(`CSV file ${file} line 1: no label column; expected a header such as "file,label", found ${JSON.stringify(table.header)}`);
  }
  return { file: fileCol, label };
}

/**
 * Reads a CSV file into a {@link CsvTable}; a missing file is an InputDataError naming it.
 *
 * @example
 * ```ts
 * const { header, rows } = await readCsv('photos/labels.csv');
 * ```
 */
export async function readCsv(file: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new InputDataError(`Cannot read CSV file ${file}: ${(e as Error).message}`);
  }
  return parseCsv(text.replace(/^\uFEFF/, ''), file);
}
