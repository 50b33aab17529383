import { DEFAULTS } from '../options';
import { invalidArgument } from '../errors';
import type { Architecture, EncodedArchitecture } from './edit-distance';
import { encodeArchitecture, encodedDistance } from './edit-distance';

/**
 * A set of architectures where "already in the set" means edit distance below `threshold`
 * (default `DEFAULTS.annealing.duplicateDistance`, 1e-5), the duplicate test of the tree search
 * (docs/algorithms.md section 4).
 *
 * Why buckets: architectures of different shapes (layer kinds, skips) are at distance >= lambda / (2 * chain
 * length) (about 2.5e-3 at 200 layers), far above the threshold, so only members of the same shape need
 * the full distance. A lookup is O(1) plus the distances within one bucket instead of a scan of the set.
 *
 * @example
 * ```ts
 * const seen = new ArchitectureSet();
 * seen.add(graph);
 * seen.has(graph.clone()); // true
 * ```
 */
export class ArchitectureSet {
  private readonly buckets = new Map<string, EncodedArchitecture[]>();
  private count = 0;

  constructor(
    private readonly threshold: number = DEFAULTS.annealing.duplicateDistance,
    private readonly lambda: number = DEFAULTS.kernel.lambda,
  ) {
    if (!(threshold >= 0) || threshold > 1e-3) invalidArgument('threshold', 'a number in [0, 1e-3]', threshold);
  }

  /** Number of architectures added. */
  get size(): number {
    return this.count;
  }

  /** Whether an architecture within `threshold` of `x` was added. */
  has(x: Architecture): boolean {
    const e = encodeArchitecture(x);
    const bucket = this.buckets.get(e.shape);
    return bucket !== undefined && bucket.some((m) => encodedDistance(m, e, this.lambda) < this.threshold);
  }

  /** Adds `x`; returns false (and adds nothing) when it was already in the set. */
  add(x: Architecture): boolean {
    if (this.has(x)) return false;
    const e = encodeArchitecture(x);
    const bucket = this.buckets.get(e.shape);
    if (bucket) bucket.push(e);
    else this.buckets.set(e.shape, [e]);
    this.count++;
    return true;
  }
}
