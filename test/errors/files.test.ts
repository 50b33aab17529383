import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { buildProgram } from '../../src/cli/main';
import { loadCsvImages, loadData, loadIdxPair } from '../../src/data';
import { ArgumentError, InputDataError, SearchError } from '../../src/errors';
import { removeStaleTempFiles } from '../../src/persist';
import { writeSearchReport } from '../../src/report';
import { ImageClassifier } from '../../src/tasks';
import type { AutoModelOptions, SearchStartEvent } from '../../src/tasks';
import { patterns, tinyCnn } from '../tasks/fixtures';
import type { ErrorCase } from './harness';
import { expectTypedError, listTree } from './harness';

// Files and folders: search directories, export folders, loads, reports, CSV image paths, temp files.
const base: AutoModelOptions = { seed: 1, backend: 'cpu', maxTrials: 1, epochsPerTrial: 1, augment: false, searchThread: false, generators: [tinyCnn] };
const d = patterns(24, 1);
let root: string;
let work: string;
let clf: ImageClassifier;
let exported: string;
const at = (...p: string[]) => path.join(root, ...p);

/** A copy of the export folder with `edit` applied. */
async function brokenExport(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = at('broken', name);
  await fs.cp(exported, dir, { recursive: true });
  await edit(dir);
  return dir;
}
async function editJson(file: string, edit: (doc: any) => void): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = JSON.parse(await fs.readFile(file, 'utf8'));
  edit(doc);
  await fs.writeFile(file, JSON.stringify(doc));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'ak-errors-files-'));
  work = at('work');
  await fs.mkdir(work);
  clf = await new ImageClassifier({ ...base, directory: at('run') }).fit(d.x, d.labels, { timeLimit: 30 });
  exported = at('export');
  await clf.export(exported);
  await fs.writeFile(at('a-file'), 'not a folder');
  await fs.mkdir(at('empty'));
  await fs.writeFile(at('work', 'p.json'), JSON.stringify({ x: d.x.slice(0, 2), y: d.labels.slice(0, 2) }));
  const layers = (doc: any) => doc.modelTopology.config.layers; // eslint-disable-line @typescript-eslint/no-explicit-any
  await brokenExport('unknown-layer', (dir) => editJson(path.join(dir, 'model.json'), (doc) => { layers(doc)[1].class_name = 'NoSuchLayer'; }));
  // tfjs waits forever for a layer that never comes: this one must be refused before tfjs sees it.
  await brokenExport('missing-layer', (dir) => editJson(path.join(dir, 'model.json'), (doc) => { layers(doc).splice(2, 1); }));
  await brokenExport('cycle', (dir) => editJson(path.join(dir, 'model.json'), (doc) => { const l = layers(doc); l[1].inbound_nodes = [[[l[2].name, 0, 0, {}]]]; }));
  await brokenExport('truncated', async (dir) => { const w = await fs.readFile(path.join(dir, 'weights.bin')); await fs.writeFile(path.join(dir, 'weights.bin'), w.subarray(0, 100)); });
  await brokenExport('longer', async (dir) => { await fs.appendFile(path.join(dir, 'weights.bin'), Buffer.alloc(8)); });
  await brokenExport('wrong-shape', (dir) => editJson(path.join(dir, 'model.json'), (doc) => {
    const w = doc.weightsManifest[0].weights;
    [w[0].shape, w[1].shape] = [w[1].shape, w[0].shape]; // same bytes, shapes the layers reject
  }));
  await brokenExport('no-prep', (dir) => fs.rm(path.join(dir, 'preprocessing.json')));
  await brokenExport('corrupt-prep', (dir) => fs.writeFile(path.join(dir, 'preprocessing.json'), '{ not json'));
  await brokenExport('bad-prep', (dir) => editJson(path.join(dir, 'preprocessing.json'), (doc) => { doc.normalizer.mean = [null]; }));
  await brokenExport('regression-prep', (dir) => editJson(path.join(dir, 'preprocessing.json'), (doc) => { doc.task = 'regression'; doc.labels = null; doc.targets = 1; }));
});
afterAll(async () => {
  clf.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

const fitIn = (directory: string, x: unknown = d.x) => new ImageClassifier({ ...base, directory }).fit(x as never, d.labels, { timeLimit: 30 });
const load = (dir: string) => ImageClassifier.load(dir, { backend: 'cpu' });

const cases: ErrorCase[] = [
  // The directory is checked before the data: an empty x would otherwise be the error.
  { name: 'fit: directory is a file', call: () => fitIn(at('a-file'), []), error: ArgumentError, message: /`directory`.*it is an existing file/ },
  { name: 'fit: directory under a file', call: () => fitIn(at('a-file', 'sub'), []), error: ArgumentError, message: /`directory`.*a-file is a file/ },
  { name: 'fit: directory with a NUL byte', call: () => fitIn(path.join(work, 'a\0b'), []), error: ArgumentError, message: /`directory`, expected a path without NUL bytes/ },
  { name: 'fit: directory name too long', call: () => fitIn(path.join(work, 'a'.repeat(300)), []), error: ArgumentError, message: /`directory`.*at most 255 bytes/ },
  { name: 'fit: directory path too long', call: () => fitIn(path.join(work, ...Array.from({ length: 30 }, () => 'b'.repeat(200))), []), error: ArgumentError, message: /`directory`.*at most 4095 bytes/ },
  { name: 'fit: overwrite false on an existing search, before the data', call: () => new ImageClassifier({ ...base, directory: at('run'), overwrite: false }).fit([], d.labels, { timeLimit: 30 }), error: SearchError, message: /already holds a search/ },
  { name: 'export: onto an existing file', call: () => clf.export(at('a-file')), error: ArgumentError, message: /`dir`.*it is an existing file/ },
  { name: 'export: under a file', call: () => clf.export(at('a-file', 'model')), error: ArgumentError, message: /`dir`.*a-file is a file/ },
  { name: 'export: NUL byte', call: () => clf.export('x\0y'), error: ArgumentError, message: /`dir`, expected a path without NUL bytes/ },
  { name: 'load: a folder that does not exist', call: () => load(at('no-such-folder')), error: ArgumentError, message: /the folder does not exist/ },
  { name: 'load: a file', call: () => load(at('a-file')), error: ArgumentError, message: /it is a file, not a folder/ },
  { name: 'load: an empty folder', call: () => load(at('empty')), error: ArgumentError, message: /holds neither model.json nor meta.json/ },
  { name: 'load: unknown layer class', call: () => load(at('broken', 'unknown-layer')), error: InputDataError, message: /model.json cannot be loaded.*NoSuchLayer/ },
  { name: 'load: topology names a missing layer (hang in tfjs)', call: () => load(at('broken', 'missing-layer')), error: InputDataError, message: /invalid model topology.*does not define/ },
  { name: 'load: topology with a cycle', call: () => load(at('broken', 'cycle')), error: InputDataError, message: /invalid model topology: its layers form a cycle/ },
  { name: 'load: truncated weights.bin', call: () => load(at('broken', 'truncated')), error: InputDataError, message: /weights.bin holds 100 bytes.*truncated/ },
  { name: 'load: weights.bin longer than its manifest', call: () => load(at('broken', 'longer')), error: InputDataError, message: /longer than its manifest/ },
  { name: 'load: weight shapes the layers reject', call: () => load(at('broken', 'wrong-shape')), error: InputDataError, message: /model.json cannot be loaded/ },
  { name: 'load: missing preprocessing.json', call: () => load(at('broken', 'no-prep')), error: InputDataError, message: /preprocessing.json is missing/ },
  { name: 'load: corrupt preprocessing.json', call: () => load(at('broken', 'corrupt-prep')), error: InputDataError, message: /preprocessing.json is not valid JSON/ },
  { name: 'load: preprocessing.json with a null mean', call: () => load(at('broken', 'bad-prep')), error: InputDataError, message: /preprocessing.json holds no valid preprocessing/ },
  { name: 'load: a regression export with ImageClassifier', call: () => load(at('broken', 'regression-prep')), error: ArgumentError, message: /holds a regression model/ },
  { name: 'report: a folder that does not exist', call: () => writeSearchReport(at('no-such-folder')), error: SearchError, message: /no-such-folder does not exist/ },
  { name: 'report: a folder without a search', call: () => writeSearchReport(at('empty')), error: SearchError, message: /holds no search: .*meta.json does not exist/ },
  { name: 'report: outFile under a file', call: () => writeSearchReport(at('run'), at('a-file', 'r.html')), error: ArgumentError, message: /`outFile`.*a-file is a file/ },
  { name: 'report: outFile is a folder', call: () => writeSearchReport(at('run'), at('empty')), error: ArgumentError, message: /`outFile`, expected a file path. Received: .* \(it is an existing folder\)/ },
  { name: 'loadCsvImages: options null', call: () => loadCsvImages(at('work', 'x.csv'), null as never), error: ArgumentError, message: /`options`, expected an object/ },
  { name: 'CLI predict --model: a folder that does not exist', call: async () => {
    await buildProgram().parseAsync(['node', 'autokeras-ts', 'predict', '--model', at('no-such-folder'), '--data', at('work', 'p.json'), '--backend', 'cpu']);
  }, error: ArgumentError, message: /the folder does not exist/ },
  { name: 'CLI report: a folder that does not exist', call: () => buildProgram().parseAsync(['node', 'autokeras-ts', 'report', at('no-such-folder')]), error: SearchError, message: /does not exist/ },
];

const loaderCases: ErrorCase[] = [
  { name: 'loadData: a CSV that does not exist', call: () => loadData(at('work', 'none.csv')), error: InputDataError, message: /Cannot read CSV file .*none.csv/ },
  { name: 'loadData: a JSON without x / y arrays', call: async () => { await fs.writeFile(at('work', 'bad.json'), '{"x": 3}'); return loadData(at('work', 'bad.json')); }, error: InputDataError, message: /must hold \{"x": \[...\], "y": \[...\]\} arrays/ },
  { name: 'loadData: a JSON with ragged x', call: async () => { await fs.writeFile(at('work', 'ragged.json'), '{"x": [[1], [1, 2]], "y": [0, 1]}'); return loadData(at('work', 'ragged.json')); }, error: InputDataError, message: /`x`, expected a rectangular array/ },
  { name: 'loadData: a truncated IDX file', call: async () => {
    await fs.writeFile(at('work', 'i-images-idx3-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28]));
    await fs.writeFile(at('work', 'i-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 1]));
    return loadData(at('work', 'i'));
  }, error: InputDataError, message: /i-images-idx3-ubyte is truncated/ }, // both are truncated: the images file is named first, every time
  { name: 'loadData: a truncated IDX labels file', call: async () => {
    await fs.writeFile(at('work', 'j-images-idx3-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7]));
    await fs.writeFile(at('work', 'j-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 1]));
    return loadData(at('work', 'j'));
  }, error: InputDataError, message: /j-labels-idx1-ubyte is truncated/ },
  { name: 'loadData: nothing at the path', call: () => loadData(at('work', 'nothing')), error: InputDataError, message: /No data at/ },
  { name: 'loadIdxPair: missing files', call: () => loadIdxPair(at('work', 'n1'), at('work', 'n2')), error: InputDataError, message: /Cannot read IDX file/ },
  { name: 'ImageClassifier.load: an empty path', call: () => load(''), error: ArgumentError, message: /`directory`, expected a non-empty path string/ },
  { name: 'CLI fit --out: an existing file, before the data are read into a search', call: () => buildProgram().parseAsync(['node', 'autokeras-ts', 'fit', '--data', at('work', 'p.json'), '--out', at('a-file'), '--time-limit', '5', '--backend', 'cpu']), error: ArgumentError, message: /`directory`.*existing file/ },
  { name: 'CLI fit --task: unknown', call: () => buildProgram().parseAsync(['node', 'autokeras-ts', 'fit', '--data', at('work', 'p.json'), '--task', 'ranking', '--out', at('work', 'never')]), error: ArgumentError, message: /`--task`, expected classification, regression/ },
];

describe('loaders and CLI commands', () => {
  it.each(loaderCases)('$name', async (c) => {
    await expectTypedError(c);
  });
});

describe('bad files and folders', () => {
  it.each(cases)('$name', async (c) => {
    await expectTypedError(c, root);
  });

  it('repeated failing loads leak no tensor', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      for (const name of ['truncated', 'no-prep', 'corrupt-prep', 'bad-prep', 'wrong-shape', 'unknown-layer']) await expect(load(at('broken', name))).rejects.toThrow(InputDataError);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a good export still loads and predicts as the model it came from', async () => {
    const again = await load(exported);
    expect(await again.predict(d.x.slice(0, 5))).toEqual(await clf.predict(d.x.slice(0, 5)));
    again.dispose();
  });
});

describe('resume: true on a folder without a search', () => {
  it('starts a new search there and says so in the searchStart event', async () => {
    const directory = at('work', 'fresh', 'run');
    const events: SearchStartEvent[] = [];
    const m = new ImageClassifier({ ...base, directory, resume: true });
    m.on('searchStart', (e) => events.push(e));
    await m.fit(d.x, d.labels, { timeLimit: 30 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ directory, resumed: false, trials: 0 });
    expect(events[0]!.notice).toMatch(/holds no search.*a new search was started/);
    // The second run of the same script resumes it, without a notice.
    const again = new ImageClassifier({ ...base, directory, resume: true, maxTrials: 2 });
    const second: SearchStartEvent[] = [];
    again.on('searchStart', (e) => second.push(e));
    await again.fit(d.x, d.labels, { timeLimit: 30 });
    expect(second).toEqual([{ directory, resumed: true, trials: 1 }]);
    m.dispose();
    again.dispose();
  });
});

describe('leftover temporary files of killed runs', () => {
  /** A pid that ran and has exited. */
  const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

  it('removes those of dead pids and old ones, keeps a live process\'s recent ones', async () => {
    const dir = at('work', 'tmpfiles');
    await fs.mkdir(dir, { recursive: true });
    const dead = path.join(dir, `.history.json.${deadPid()}.3.tmp`);
    const live = path.join(dir, `.history.json.${process.pid}.1.tmp`);
    const oldLive = path.join(dir, `.meta.json.${process.ppid}.2.tmp`);
    const other = path.join(dir, 'notes.tmp');
    for (const f of [dead, live, oldLive, other]) await fs.writeFile(f, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await fs.utimes(oldLive, twoHoursAgo, twoHoursAgo);
    expect((await removeStaleTempFiles(dir)).sort()).toEqual([dead, oldLive].sort());
    expect([existsSync(dead), existsSync(live), existsSync(oldLive), existsSync(other)]).toEqual([false, true, false, true]);
  });

  it('are cleaned when a search directory is opened by fit (resume), in trials/ too', async () => {
    const directory = at('work', 'killed');
    const m = await new ImageClassifier({ ...base, directory }).fit(d.x, d.labels, { timeLimit: 30 });
    m.dispose();
    const leftovers = [path.join(directory, `.history.json.${deadPid()}.7.tmp`), path.join(directory, 'trials', '0', `.weights.bin.${deadPid()}.9.tmp`)];
    for (const f of leftovers) await fs.writeFile(f, 'partial');
    const resumed = await new ImageClassifier({ ...base, directory, resume: true, maxTrials: 2 }).fit(d.x, d.labels, { timeLimit: 30 });
    resumed.dispose();
    expect(leftovers.filter(existsSync)).toEqual([]);
    expect(listTree(directory).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('CSV image paths stay under the CSV folder', () => {
  it('refuses ../ and absolute paths elsewhere unless allowOutsidePaths', async () => {
    const dir = at('work', 'csv', 'images');
    await fs.mkdir(dir, { recursive: true });
    const img = (file: string, v: number) => sharp(Buffer.alloc(16, v), { raw: { width: 4, height: 4, channels: 1 } }).toColourspace('b-w').png().toFile(file);
    await img(path.join(dir, 'in.png'), 10);
    await img(path.join(dir, '..', 'out.png'), 200);
    const csv = path.join(dir, 'labels.csv');
    await fs.writeFile(csv, 'file,label\nin.png,a\n../../../../../../../../etc/hostname,b\n');
    await expect(loadCsvImages(csv)).rejects.toThrow(InputDataError);
    await expect(loadCsvImages(csv)).rejects.toThrow(/line 3: the file name "..\/..\/..\/..\/..\/..\/..\/..\/etc\/hostname" leads outside the image folder.*allowOutsidePaths: true/);
    await fs.writeFile(csv, `file,label\nin.png,a\n${path.join(dir, '..', 'out.png')},b\n`);
    await expect(loadCsvImages(csv)).rejects.toThrow(/line 3: .*leads outside/);
    await fs.writeFile(csv, `file,label\nin.png,a\n${path.join(dir, 'in.png')},b\n../out.png,b\n`);
    await expect(loadCsvImages(csv)).rejects.toThrow(/line 4: the file name "..\/out.png"/);
    const loaded = await loadCsvImages(csv, { allowOutsidePaths: true });
    expect(loaded.y).toEqual(['a', 'b', 'b']);
    expect(loaded.x.shape).toEqual([3, 4, 4, 1]);
    await expect(loadCsvImages(csv, { allowOutsidePaths: 'yes' as never })).rejects.toThrow(/`allowOutsidePaths`, expected a boolean/);
  });
});
