import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './examples';

// The root API is curated: README's API section lists every name src/index.ts exports, and the
// list stays small (the rest belongs in autokeras-ts/internals).

const index = readFileSync(path.join(ROOT, 'src/index.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
const rootNames = [...index.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()).filter(Boolean));
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const apiSection = readme.slice(readme.indexOf('## API'), readme.indexOf('\n## ', readme.indexOf('## API') + 1));

describe('the root API', () => {
  it('is a curated set, exported by name (no export *)', () => {
    expect(index).not.toMatch(/export \*/);
    expect(rootNames.length).toBeGreaterThan(30);
    expect(rootNames.length).toBeLessThanOrEqual(79); // about 60, each task family's classes and option types, the metric types, the image-folder loader
    expect(new Set(rootNames).size).toBe(rootNames.length);
  });

  it("is listed name by name in the README's API section", () => {
    expect(apiSection.length).toBeGreaterThan(100);
    expect(rootNames.filter((n) => !apiSection.includes(`\`${n}\``))).toEqual([]);
    expect(apiSection).toContain(`(${rootNames.length} names`);
  });
});
