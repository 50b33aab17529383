/**
 * The BENCHMARKS.md section of bench:train, merged run by run: a run that measures some (backend, model)
 * pairs replaces those rows and keeps the others, each row labelled with the run that measured it, each run
 * with its machine line and notes. (Rewriting the whole section would erase the rows of the networks a run
 * left out, or make them all look measured on the latest run's machine.)
 */

/** One run: its label (`YYYY-MM-DD`, suffixed `b`, `c`... when a kept run has that date), machine line and note. */
export interface TrainRun { label: string; text: string }

/** One table row: the run that measured it, its backend and model, and its cells after `measured` as written. */
export interface TrainRow { label: string; backend: string; model: string; cells: string[] }

/** The top kernels of one wasm training step of `model`, as measured by run `label`. */
export interface TrainKernels { label: string; model: string; text: string }

/** What a section holds. */
export interface TrainSection { runs: TrainRun[]; rows: TrainRow[]; kernels: TrainKernels[] }

/** The table's columns after `measured`. */
export const TRAIN_COLUMNS = ['backend', 'model', 'samples x runs', 'train samples/s', 'native', 'ratio', 'predict samples/s', 'native', 'ratio'];

const cellsOf = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

/**
 * Reads a bench:train section (the body between its markers): the current format (a `measured` column, a
 * `Runs:` list, kernel lines labelled with their run) or the single-run one before it, whose date and
 * machine line head the section and label all its rows.
 *
 * @example
 * ```ts
 * parseTrainSection(body).rows.map((r) => `${r.backend} ${r.model}`); // ['wasm small-cnn', ...]
 * ```
 */
export function parseTrainSection(body: string): TrainSection {
  const lines = body.split('\n');
  const runs: TrainRun[] = [];
  const legacy = /^(\d{4}-\d{2}-\d{2}); (.*?)\. Native:/m.exec(body);
  if (legacy) runs.push({ label: legacy[1]!, text: legacy[2]! });
  let section: 'runs' | 'kernels' | null = null;
  let header: string[] | null = null;
  const rows: TrainRow[] = [];
  const kernels: TrainKernels[] = [];
  for (const line of lines) {
    if (/^Runs\b/.test(line)) section = 'runs';
    else if (/^Top kernels/.test(line)) section = 'kernels';
    else if (line.startsWith('|')) {
      const cells = cellsOf(line);
      if (cells.includes('backend')) header = cells;
      else if (header && !cells.every((c) => /^-*:?-*:?$/.test(c))) {
        const dated = header[0] === 'measured';
        const rest = dated ? cells.slice(1) : cells;
        rows.push({ label: dated ? cells[0]! : legacy?.[1] ?? '?', backend: rest[0]!, model: rest[1]!, cells: rest });
      }
      section = null;
    } else if (line.startsWith('- ') && section === 'runs') {
      const m = /^- (\S+): (.*)$/.exec(line);
      if (m) runs.push({ label: m[1]!, text: m[2]! });
    } else if (line.startsWith('- ') && section === 'kernels') {
      const m = /^- ([\w.-]+)(?: \(([^)]+)\))?: (.*)$/.exec(line);
      if (m) kernels.push({ model: m[1]!, label: m[2] ?? legacy?.[1] ?? '?', text: m[3]! });
    }
  }
  return { runs, rows, kernels };
}

/**
 * `old` with the rows and kernel lines of `run` merged in: a new row replaces the old row of its backend
 * and model, new kernel lines replace those of their model; runs no row or kernel line refers to any more
 * are dropped. Rows are ordered by backend, then model, in the order of `order` (others after).
 *
 * @example
 * ```ts
 * mergeTrainSection(parseTrainSection(old), { run, rows, kernels }, ['wasm', 'cpu'], Object.keys(NETWORKS));
 * ```
 */
export function mergeTrainSection(old: TrainSection, add: { run: TrainRun; rows: TrainRow[]; kernels: TrainKernels[] },
  backends: readonly string[], models: readonly string[]): TrainSection {
  const key = (r: { backend: string; model: string }) => `${r.backend}\u0000${r.model}`;
  const replaced = new Set(add.rows.map(key));
  const reprofiled = new Set(add.kernels.map((k) => k.model));
  const rank = (list: readonly string[], v: string) => (list.includes(v) ? list.indexOf(v) : list.length);
  const rows = [...old.rows.filter((r) => !replaced.has(key(r))), ...add.rows]
    .sort((a, b) => rank(backends, a.backend) - rank(backends, b.backend) || rank(models, a.model) - rank(models, b.model));
  const kernels = [...old.kernels.filter((k) => !reprofiled.has(k.model)), ...add.kernels]
    .sort((a, b) => rank(models, a.model) - rank(models, b.model));
  const used = new Set([...rows.map((r) => r.label), ...kernels.map((k) => k.label)]);
  const runs = [...old.runs.filter((r) => r.label !== add.run.label && used.has(r.label)), add.run];
  return { runs, rows, kernels };
}

/**
 * A label for a run on `date` that no run of `taken` has: the date, or the date suffixed `b`, `c`, ...
 *
 * @example
 * ```ts
 * runLabel('2026-12-04', ['2026-12-04']); // '2026-12-04b'
 * ```
 */
export function runLabel(date: string, taken: readonly string[]): string {
  if (!taken.includes(date)) return date;
  for (let i = 1; ; i++) {
    const label = date + String.fromCharCode(97 + i);
    if (!taken.includes(label)) return label;
  }
}

/**
 * The table, run list and kernel lines of a section, as markdown (the caller adds its heading and method).
 *
 * @example
 * ```ts
 * renderTrainSection(merged).join('\n');
 * ```
 */
export function renderTrainSection(s: TrainSection): string[] {
  const head = `| measured | ${TRAIN_COLUMNS.join(' | ')} |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|`;
  return [
    'Runs (the `measured` column refers to them):', '',
    ...s.runs.map((r) => `- ${r.label}: ${r.text}`), '',
    head, ...s.rows.map((r) => `| ${r.label} | ${r.cells.join(' | ')} |`), '',
    'Top kernels of one wasm training step (`tf.profile`, ms per step, calls; the run in brackets):', '',
    ...s.kernels.map((k) => `- ${k.model} (${k.label}): ${k.text}`),
  ];
}
