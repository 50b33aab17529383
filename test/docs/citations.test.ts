import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './examples';

// Comments cite the project's own docs ("docs/algorithms.md section 3", 'docs/architecture.md,
// "Search directory"'): every citation must name a page and a section that exist, and nothing may
// point at notes outside the repository.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|wat)$/.test(name) ? [file] : [];
  });
}

const files = ['src', 'test', 'bench', 'scripts'].flatMap((d) => sourceFiles(path.join(ROOT, d)));
/** A file's text with comment line breaks joined, so a citation wrapped over two lines reads as one. */
const joined = (file: string) => readFileSync(file, 'utf8').replace(/\n\s*(\*(?!\/)|\/\/)?\s*/g, ' ');
const headings = (page: string) => readFileSync(path.join(ROOT, 'docs', `${page}.md`), 'utf8').split('\n')
  .filter((l) => /^#{2,3} /.test(l)).map((l) => l.replace(/^#+ /, '').trim());

describe('citations of the docs in comments', () => {
  it('point inside the repository (no ALGORITHMS.md, DESIGN.md or STYLE.md)', () => {
    const outside = files.filter((f) => !f.endsWith('citations.test.ts') && /\b(ALGORITHMS|DESIGN|STYLE)\.md\b/.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('name sections that exist', () => {
    const bad: string[] = [];
    let cited = 0;
    for (const file of files) {
      const text = joined(file);
      const where = path.relative(ROOT, file);
      for (const m of text.matchAll(/docs\/([\w-]+)\.md sections? (\d+)(?:-(\d+))?/g)) {
        cited++;
        const numbers = headings(m[1]!).map((h) => /^(\d+)\. /.exec(h)?.[1]).filter((n) => n !== undefined);
        for (const n of [m[2], m[3]].filter((x) => x !== undefined)) {
          if (!numbers.includes(n)) bad.push(`${where}: docs/${m[1]}.md has no section ${n}`);
        }
      }
      for (const m of text.matchAll(/docs\/([\w-]+)\.md, "([^"]+)"/g)) {
        cited++;
        if (!headings(m[1]!).includes(m[2]!)) bad.push(`${where}: docs/${m[1]}.md has no section "${m[2]}"`);
      }
    }
    expect(bad).toEqual([]);
    expect(cited).toBeGreaterThan(30);
  });
});

describe('docs/architecture.md', () => {
  it('has a row for every folder of src/', () => {
    const page = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const folders = readdirSync(path.join(ROOT, 'src')).filter((d) => statSync(path.join(ROOT, 'src', d)).isDirectory());
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((d) => !page.includes(`| \`${d}/\` |`))).toEqual([]);
  });
});
