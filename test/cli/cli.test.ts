import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseDuration } from '../../src/cli/duration';
import { buildProgram } from '../../src/cli/main';
import { ImageClassifier, TextClassifier } from '../../src/tasks';
import { patterns, tinyCnn } from '../tasks/fixtures';

describe('parseDuration', () => {
  it.each([['90', 90], ['90s', 90], ['10m', 600], ['1.5h', 5400], ['1h30m', 5400], ['1d', 86400]])('%s -> %i s', (text, s) => {
    expect(parseDuration(text)).toBe(s);
  });
  it.each(['', '10x', 'm10', '-5', '0', '10m junk'])('rejects %p naming the flag', (text) => {
    expect(() => parseDuration(text)).toThrow(/`--time-limit`/);
  });
});

describe('autokeras-ts command', () => {
  let root: string;
  let logs: string[];
  const spy = jest.spyOn(console, 'log');
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = mkdtempSync(path.join(tmpdir(), 'ak-cli-'));
    const d = patterns(60, 1);
    const clf = new ImageClassifier({ directory: path.join(root, 'run'), seed: 1, maxTrials: 2, epochsPerTrial: 2, backend: 'cpu', generators: [tinyCnn], augment: false, executor: 'in-process' });
    await clf.fit(d.x, d.labels, { timeLimit: 60 });
    clf.dispose();
    await fs.writeFile(path.join(root, 'data.json'), JSON.stringify({ x: patterns(5, 9).x, y: patterns(5, 9).labels }));
  });
  beforeEach(() => { logs = []; spy.mockImplementation((s: string) => { logs.push(String(s)); }); });
  afterAll(async () => { spy.mockRestore(); await fs.rm(root, { recursive: true, force: true }); });

  it('report writes a self-contained HTML file for a search directory', async () => {
    await buildProgram().parseAsync(['node', 'autokeras-ts', 'report', path.join(root, 'run')]);
    const file = path.join(root, 'run', 'report.html');
    expect(logs).toEqual([file]);
    const html = await fs.readFile(file, 'utf8');
    expect(html).toContain('Best architecture');
    expect(html.match(/<tr class="/g)).toHaveLength(2);
  });

  it('predict prints one label per input from a search directory', async () => {
    await buildProgram().parseAsync(['node', 'autokeras-ts', 'predict', '--model', path.join(root, 'run'), '--data', path.join(root, 'data.json'), '--backend', 'cpu']);
    expect(logs).toHaveLength(5);
    expect(logs.every((l) => ['top', 'left', 'flat'].includes(l))).toBe(true);
  });

  it('fit --task structured-classification --target on a CSV of rows, then predict on a CSV of rows', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${(i * 37) % 60},${i % 3 === 0 ? 'red' : 'blue'},${(i * 37) % 60 > 30 ? 'big' : 'small'}`);
    const csv = path.join(root, 'rows.csv');
    await fs.writeFile(csv, `size,colour,kind\n${rows.join('\n')}\n`);
    const out = path.join(root, 'structured-run');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['node', 'autokeras-ts', 'fit', '--task', 'structured-classification', '--data', csv, '--target', 'kind',
        '--time-limit', '15', '--max-trials', '2', '--final-time', '3', '--backend', 'cpu', '--out', out, '--objective', 'f1', '--metrics', 'accuracy,auc', '--test-data', csv]);
    } finally {
      write.mockRestore();
    }
    expect(logs.some((l) => l.startsWith('exported model:'))).toBe(true);
    // The objective names the search's metric; the test line reports every chosen metric.
    expect(logs.some((l) => /^best trial \d+: validation f1 /.test(l))).toBe(true);
    expect(logs.some((l) => /^test f1: [\d.]+, accuracy: [\d.]+, auc: [\d.]+$/.test(l))).toBe(true);
    expect(existsSync(path.join(out, 'columns.json'))).toBe(true);
    logs = [];
    await buildProgram().parseAsync(['node', 'autokeras-ts', 'predict', '--model', path.join(out, 'export'), '--data', csv, '--backend', 'cpu']);
    expect(logs).toHaveLength(60);
    expect(logs.every((l) => l === 'big' || l === 'small')).toBe(true);
  });

  it('fit --task text-classification --target on the bundled sentiment sample, then predict reproduces the model on raw texts', async () => {
    const csv = path.join(__dirname, '../../data/sentiment-sample/amazon-200.csv');
    const out = path.join(root, 'text-run');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['node', 'autokeras-ts', 'fit', '--task', 'text-classification', '--data', csv, '--target', 'label',
        '--time-limit', '30', '--max-trials', '1', '--final-time', '2', '--backend', 'cpu', '--out', out]);
    } finally {
      write.mockRestore();
    }
    expect(logs.some((l) => l.startsWith('exported model:'))).toBe(true);
    logs = [];
    await buildProgram().parseAsync(['node', 'autokeras-ts', 'predict', '--model', path.join(out, 'export'), '--data', csv, '--backend', 'cpu']);
    expect(logs).toHaveLength(200);
    const model = await TextClassifier.load(path.join(out, 'export'), { backend: 'cpu' });
    expect(logs).toEqual((await model.predict(csv)).map(String));
    model.dispose();
  });

  it('rejects a bad duration with a clear message and --help lists the commands', async () => {
    const program = buildProgram().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: (s) => logs.push(s) });
    program.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(program.parseAsync(['node', 'autokeras-ts', 'fit', '--data', 'x', '--time-limit', 'soon'])).rejects.toThrow(/--time-limit/);
    await expect(program.parseAsync(['node', 'autokeras-ts', '--help'])).rejects.toThrow();
    expect(logs.join('')).toMatch(/demo[\s\S]*fit[\s\S]*predict[\s\S]*report/);
    expect(existsSync('./ak-run')).toBe(false);
  });
});
