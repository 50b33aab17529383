import { invalidArgument } from '../errors';

/**
 * A small seeded pseudo-random generator (sfc32, Chris Doty-Humphrey's Small Fast Counting generator),
 * the one source of randomness in autokeras-ts: every random step takes an `Rng` that is passed in.
 * Its state is four 32-bit words and can be saved with {@link Rng.state} and restored with {@link Rng.fromState},
 * so a searcher can resume exactly where it stopped.
 *
 * Why our own: the whole generator is a dozen lines, and we need a serialisable state and `fork()`.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * rng.next();        // uniform in [0, 1)
 * rng.int(10);       // integer in [0, 10)
 * rng.normal();      // standard normal
 * const child = rng.fork(); // an independent stream derived from this one
 * ```
 */
export class Rng {
  private s: Uint32Array;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) invalidArgument('seed', 'a finite number', seed);
    // splitmix32 expands the seed into four non-zero words.
    let x = (Math.floor(Math.abs(seed)) ^ (seed < 0 ? 0x9e3779b9 : 0)) >>> 0;
    this.s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Restores a generator from {@link Rng.state}. */
  static fromState(state: readonly number[]): Rng {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((v) => Number.isInteger(v))) {
      invalidArgument('state', 'an array of four 32-bit integers', state);
    }
    const r = new Rng(0);
    r.s = Uint32Array.from(state);
    return r;
  }

  /** The generator's state, four 32-bit words (JSON-safe). */
  state(): number[] {
    return Array.from(this.s);
  }

  /** The next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) invalidArgument('n', 'a positive integer', n);
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element chosen uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) invalidArgument('items', 'a non-empty array', items);
    return items[this.int(items.length)]!;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A new generator seeded from this one's stream: independent, reproducible. */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  /** A seed in [0, 2^31) drawn from this stream, for libraries that take a number seed (tfjs initialisers). */
  seed(): number {
    return this.nextUint32() >>> 1;
  }
}
