import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The machine a benchmark ran on, for the record. */
export function machineLine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  return `${os.availableParallelism()} cores (nproc), ${cpu}, Node ${process.version}`;
}

/**
 * Replaces this benchmark's section of BENCHMARKS.md (between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`),
 * appending it when absent and leaving the rest of the file as it was. Written atomically: a temp file in the
 * same folder, then a rename.
 */
export function writeSection(file: string, name: string, body: string): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const section = `${open}\n${body.trim()}\n${close}`;
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = old.indexOf(open);
  const end = old.indexOf(close);
  const next = start >= 0 && end > start
    ? old.slice(0, start) + section + old.slice(end + close.length)
    : `${old.trimEnd()}\n\n${section}\n`;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, next);
  fs.renameSync(tmp, file);
}
