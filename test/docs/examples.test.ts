import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, checkBlocks, extractBlocks, formatDiagnostics, runBlock } from './examples';
import type { ExampleBlock } from './examples';

// Every ```ts example of README.md and docs/*.md must type-check against src/ as `autokeras-ts`
// (and `autokeras-ts/internals`), so an example cannot rot. One program checks them all, together
// with a deliberately broken document that proves a bad example is reported at its line.

const markdownFiles = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const docBlocks = markdownFiles.flatMap((file) => extractBlocks(readFileSync(path.join(ROOT, file), 'utf8'), file));

const BROKEN_FILE = 'broken-example.md';
const BROKEN = [
  '# A page with a wrong example',
  '',
  '```ts',
  "import { ImageClassifier } from 'autokeras-ts';",
  "const clf = new ImageClassifier({ seed: 'one' });",
  '```',
  '',
  '<!-- example-preamble: classifier -->',
  '```ts',
  'await clf.fitt([], []);',
  '```',
  '',
  '<!-- example-preamble: no-such-preamble -->',
  '```ts',
  'const x = 1;',
  '```',
].join('\n');
const brokenBlocks = extractBlocks(BROKEN, BROKEN_FILE);

let diagnostics: ReturnType<typeof checkBlocks>;
beforeAll(() => {
  diagnostics = checkBlocks([...docBlocks, ...brokenBlocks]);
});

describe('documentation examples', () => {
  it('finds the examples of README.md and docs/', () => {
    const perFile = (file: string) => docBlocks.filter((b: ExampleBlock) => b.file === file).length;
    expect(perFile('README.md')).toBeGreaterThanOrEqual(1);
    expect(perFile('docs/getting-started.md')).toBeGreaterThanOrEqual(4);
    expect(perFile('docs/architecture.md')).toBeGreaterThanOrEqual(1);
    expect(perFile('docs/extending.md')).toBeGreaterThanOrEqual(3);
  });

  it('type-check', () => {
    const found = diagnostics.filter((d) => d.file !== BROKEN_FILE);
    if (found.length > 0) throw new Error(`examples that do not compile:\n${formatDiagnostics(found)}`);
  });

  it('report a broken example with its file and line (so the check above can fail)', () => {
    const broken = diagnostics.filter((d) => d.file === BROKEN_FILE);
    expect(broken.map((d) => d.line)).toEqual([5, 10, 13]);
    expect(broken[0]!.message).toMatch(/string.*not assignable to type 'number'/);
    expect(broken[1]!.message).toMatch(/fitt/);
    expect(broken[2]!.message).toMatch(/unknown example preamble "no-such-preamble"/);
  });

  it('extracts a block with its first code line and its preamble marker', () => {
    expect(brokenBlocks.map((b) => [b.line, b.preamble])).toEqual([[4, null], [10, 'classifier'], [15, 'no-such-preamble']]);
    expect(() => extractBlocks('```ts\nconst x = 1;\n', 'open.md')).toThrow(/open.md:1: a ```ts block is not closed/);
  });
});

describe('runnable documentation examples (marked <!-- example-run -->)', () => {
  const runnable = docBlocks.filter((b) => b.run);

  it('are found', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(2);
  });

  it.each(runnable.map((b) => [`${b.file}:${b.line}`, b] as const))('%s runs', async (_where, block) => {
    await expect(runBlock(block, require)).resolves.toBeDefined();
  }, 60_000);

  it('a failing example fails the run (so the check above can fail)', async () => {
    const [bad] = extractBlocks(['<!-- example-run -->', '```ts', "import { Graph } from 'autokeras-ts';", 'Graph.create([]);', '```'].join('\n'), 'bad.md');
    expect(bad!.run).toBe(true);
    await expect(runBlock(bad!, require)).rejects.toThrow();
  });
});
