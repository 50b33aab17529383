import { invalidArgument } from '../errors';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a duration for the CLI: `90`, `90s`, `10m`, `1.5h`, `1d`, or combinations like `1h30m`; returns seconds.
 *
 * @example
 * ```ts
 * parseDuration('10m'); // 600
 * ```
 */
export function parseDuration(text: string, name = '--time-limit'): number {
  const t = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(t)) return check(Number(t), name, text);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) invalidArgument(name, 'a duration like 90, 90s, 10m, 1.5h or 1h30m', text);
  return check(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0), name, text);
}

function check(seconds: number, name: string, text: string): number {
  if (!(seconds > 0)) invalidArgument(name, 'a positive duration', text);
  return seconds;
}
