import * as path from 'node:path';
import * as ts from 'typescript';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../..');

/**
 * Declarations a fragment may ask for with `<!-- example-preamble: NAME -->` on the line before its
 * fence. Each is the free variables of a kind of example, typed as a user would have them.
 */
export const PREAMBLES: Record<string, string> = {
  /** Train and test arrays, as the README's first example reads them. */
  'train-test': [
    "import * as tf from '@tensorflow/tfjs';",
    'declare const xTrain: tf.Tensor4D;',
    'declare const yTrain: string[];',
    'declare const xTest: tf.Tensor4D;',
    'declare const yTest: string[];',
  ].join('\n'),
  /** A classifier, for the examples that follow one (events, resume). */
  classifier: [
    "import { ImageClassifier } from 'autokeras-ts';",
    'declare const clf: ImageClassifier;',
  ].join('\n'),
};

/** One ```ts block of a markdown file. */
export interface ExampleBlock {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in the markdown file. */
  line: number;
  /** The block's code. */
  code: string;
  /** The preamble's name, or null. */
  preamble: string | null;
  /** Marked `<!-- example-run -->` (on the line before the fence, or before the preamble marker): self-contained, run by the test. */
  run: boolean;
}

const FENCE_OPEN = /^```(ts|typescript)\s*$/;
const PREAMBLE_MARKER = /^<!--\s*example-preamble:\s*([\w-]+)\s*-->\s*$/;
const RUN_MARKER = /^<!--\s*example-run\s*-->\s*$/;

/** Every ```ts (or ```typescript) fenced block of `markdown`, with the preamble marker before it. */
export function extractBlocks(markdown: string, file: string): ExampleBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: ExampleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i]!)) continue;
    const marker = i > 0 ? PREAMBLE_MARKER.exec(lines[i - 1]!) : null;
    const run = [lines[i - 1], lines[i - 2]].some((l) => l !== undefined && RUN_MARKER.test(l)) && (marker !== null || RUN_MARKER.test(lines[i - 1] ?? ''));
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`${file}:${i + 1}: a \`\`\`ts block is not closed`);
    blocks.push({ file, line: start + 1, code: lines.slice(start, end).join('\n'), preamble: marker ? marker[1]! : null, run });
    i = end;
  }
  return blocks;
}

/** A compiler diagnostic of one block, located in its markdown file. */
export interface ExampleDiagnostic {
  file: string;
  /** 1-based line in the markdown file. */
  line: number;
  message: string;
}

/** The options the blocks compile with: the project's strictness, ES modules (top-level await). */
function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return {
    ...parsed.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    isolatedModules: false,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    types: ['node'],
    paths: {
      'autokeras-ts': [path.join(ROOT, 'src/index.ts')],
      'autokeras-ts/internals': [path.join(ROOT, 'src/internals.ts')],
    },
  };
}

/**
 * Type-checks every block in one program. Each block is its own module (its preamble, then its code,
 * then `export {}`), so blocks do not see each other's names. Returns the diagnostics of the blocks
 * only, at their markdown lines; the preamble's own lines never count against the block.
 */
export function checkBlocks(blocks: ExampleBlock[]): ExampleDiagnostic[] {
  const out: ExampleDiagnostic[] = [];
  const virtual = new Map<string, { block: ExampleBlock; text: string; offset: number }>();
  blocks.forEach((block, i) => {
    let preamble = '';
    if (block.preamble !== null) {
      const known = PREAMBLES[block.preamble];
      if (known === undefined) {
        out.push({ file: block.file, line: block.line - 2, message: `unknown example preamble "${block.preamble}" (known: ${Object.keys(PREAMBLES).join(', ')})` });
        return;
      }
      preamble = `${known}\n`;
    }
    const name = path.join(ROOT, '__examples__', `${block.file.replace(/[^\w]/g, '_')}_${block.line}_${i}.ts`);
    virtual.set(name, { block, text: `${preamble}${block.code}\nexport {};\n`, offset: preamble.split('\n').length - 1 });
  });
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const v = virtual.get(path.resolve(fileName));
    return v ? ts.createSourceFile(fileName, v.text, languageVersion, true) : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => virtual.has(path.resolve(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => virtual.get(path.resolve(fileName))?.text ?? readFile(fileName);
  const program = ts.createProgram([...virtual.keys()], options, host);
  for (const [name, { block, offset }] of virtual) {
    const sf = program.getSourceFile(name)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    for (const d of diagnostics) {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      const inBlock = at - offset;
      out.push({
        file: block.file,
        line: inBlock >= 0 ? block.line + inBlock : block.line - 1,
        message: (inBlock >= 0 ? '' : `(in preamble "${block.preamble}") `) + ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** `file:line: message`, one a line. */
export function formatDiagnostics(diagnostics: ExampleDiagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n');
}

/**
 * Runs a self-contained block (no preamble) as a user would, with tiny budgets: the TypeScript is
 * transpiled to CommonJS and run inside an async function (top-level await), `autokeras-ts` and
 * `autokeras-ts/internals` resolve to `src/` through `load` (the test's `require`), every `timeLimit: N`
 * becomes `timeLimit: 2`, and what it logs is returned instead of printed.
 */
export async function runBlock(block: ExampleBlock, load: (id: string) => unknown): Promise<string[]> {
  if (block.preamble !== null) throw new Error(`${block.file}:${block.line}: a block with a preamble cannot run on its own`);
  const code = block.code.replace(/timeLimit:\s*[\d_.]+/g, 'timeLimit: 2');
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
  const logged: string[] = [];
  const quiet = { ...console, log: (...a: unknown[]) => { logged.push(a.map(String).join(' ')); } };
  const resolve = (id: string): unknown => load(id === 'autokeras-ts' ? path.join(ROOT, 'src/index') : id === 'autokeras-ts/internals' ? path.join(ROOT, 'src/internals') : id);
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'exports', 'console', js)(resolve, {}, quiet);
  return logged;
}
