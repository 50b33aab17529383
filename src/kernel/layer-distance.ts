import type { LayerSpec } from '../graph/layers';

/** How one hyper-parameter of a layer is compared: `ratio` gives `|a-b| / max(a,b)` (0 when both are 0), `equal` gives 0 or 1. */
export type ParamComparison = 'ratio' | 'equal';

/**
 * What the layer distance reads from one layer kind (docs/algorithms.md section 3): a `key` (layers with
 * different keys are different kinds, distance 1), the compared hyper-parameters and how each is compared.
 * A registry keyed by kind, so a new layer kind adds one entry instead of a branch.
 */
export interface LayerDistanceRule {
  key(spec: LayerSpec): string;
  params(spec: LayerSpec): number[];
  compare: readonly ParamComparison[];
}

const plain = (compare: ParamComparison[] = [], params: (s: LayerSpec) => number[] = () => []): LayerDistanceRule => ({
  key: (s) => s.kind,
  params,
  compare,
});

const spatialKey = (s: LayerSpec): string => `${s.kind}${'rank' in s ? s.rank : ''}d`;

const pool: LayerDistanceRule = {
  key: spatialKey,
  params: (s) => (s.kind === 'maxpool' || s.kind === 'avgpool' ? [s.poolSize, s.strides, s.padding === 'same' ? 0 : 1] : []),
  compare: ['ratio', 'ratio', 'equal'],
};

/** The distance rule of every layer kind. Conv: filters, kernel size, stride; pooling: kernel, stride, padding; dense: units; embedding: vocabulary, width. */
export const LAYER_DISTANCE_RULES: Record<LayerSpec['kind'], LayerDistanceRule> = {
  conv: {
    key: spatialKey,
    params: (s) => (s.kind === 'conv' ? [s.filters, s.kernelSize, s.strides] : []),
    compare: ['ratio', 'ratio', 'ratio'],
  },
  maxpool: pool,
  avgpool: pool,
  dense: plain(['ratio'], (s) => (s.kind === 'dense' ? [s.units] : [])),
  batchnorm: plain(),
  relu: plain(),
  softmax: plain(),
  sigmoid: plain(),
  globalavgpool: plain(),
  globalmaxpool: plain(),
  embedding: plain(['ratio', 'ratio'], (s) => (s.kind === 'embedding' ? [s.inputDim, s.outputDim] : [])),
  dropout: plain(),
  flatten: plain(),
  add: plain(),
  concatenate: plain(),
};

/**
 * A main chain reduced to what the distance compares, in flat typed arrays so that the
 * O(l_a * l_b) dynamic programme compares numbers, not objects: per layer an interned kind code, the
 * number of compared parameters (0-3), the parameters (3 slots per layer) and a bit mask of the
 * parameters compared by equality.
 */
export interface EncodedChain {
  length: number;
  codes: Int32Array;
  counts: Uint8Array;
  params: Float64Array;
  equalMasks: Uint8Array;
}

const codes = new Map<string, number>();

function kindCode(key: string): number {
  let code = codes.get(key);
  if (code === undefined) {
    code = codes.size;
    codes.set(key, code);
  }
  return code;
}

/**
 * Encodes a main chain of layer specs for {@link chainDistance} (at most 3 compared parameters per kind).
 *
 * @example
 * ```ts
 * const chain = encodeChain(describeGraph(graph).layers); // chain.length === main-chain length
 * ```
 */
export function encodeChain(specs: readonly LayerSpec[]): EncodedChain {
  const n = specs.length;
  const chain: EncodedChain = {
    length: n, codes: new Int32Array(n), counts: new Uint8Array(n), params: new Float64Array(3 * n), equalMasks: new Uint8Array(n),
  };
  specs.forEach((spec, i) => {
    const rule = LAYER_DISTANCE_RULES[spec.kind];
    const params = rule.params(spec);
    chain.codes[i] = kindCode(rule.key(spec));
    chain.counts[i] = params.length;
    params.forEach((v, k) => {
      chain.params[3 * i + k] = v;
      if (rule.compare[k] === 'equal') chain.equalMasks[i]! |= 1 << k;
    });
  });
  return chain;
}

/** `d_l` between layer i of chain a and layer j of chain b. */
function substitution(a: EncodedChain, i: number, b: EncodedChain, j: number): number {
  if (a.codes[i] !== b.codes[j]) return 1;
  return sameKindDistance(a.counts[i]!, a.equalMasks[i]!, a.params, 3 * i, b.params, 3 * j);
}

function sameKindDistance(n: number, mask: number, pa: Float64Array, ia: number, pb: Float64Array, ib: number): number {
  if (n === 0) return 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const x = pa[ia + k]!;
    const y = pb[ib + k]!;
    if (x === y) continue;
    sum += (mask >> k) & 1 ? 1 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
  }
  return sum / n;
}

/**
 * Layer term of the edit distance: Levenshtein distance between the two main chains with substitution
 * cost `d_l` ({@link layerDistance}) and insertion / deletion cost 1:
 * `A[i][j] = min(A[i-1][j] + 1, A[i][j-1] + 1, A[i-1][j-1] + d_l(a_i, b_j))`, `A[-1][j] = j + 1`,
 * `A[i][-1] = i + 1` (docs/algorithms.md section 3, min, not the paper's misprinted max). O(l_a * l_b).
 *
 * @example
 * ```ts
 * chainDistance(encodeChain([conv8, relu]), encodeChain([conv16])); // 1/6 + 1
 * ```
 */
export function chainDistance(a: EncodedChain, b: EncodedChain): number {
  // Identical leading / trailing layers (d_l = 0) can be matched first without changing the optimum,
  // and morphed relatives share most of their layers: only the differing middle needs the DP.
  let start = 0;
  while (start < a.length && start < b.length && identical(a, start, b, start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && identical(a, endA - 1, b, endB - 1)) {
    endA--;
    endB--;
  }
  const lb = endB - start;
  if (endA === start || lb === 0) return Math.max(endA - start, lb);
  let prev = scratch(0, lb + 1);
  let cur = scratch(1, lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = start; i < endA; i++) {
    cur[0] = i - start + 1;
    const code = a.codes[i]!;
    const n = a.counts[i]!;
    const mask = a.equalMasks[i]!;
    for (let j = 0; j < lb; j++) {
      const jb = start + j;
      const d = code !== b.codes[jb]! ? 1 : n === 0 ? 0 : sameKindDistance(n, mask, a.params, 3 * i, b.params, 3 * jb);
      const sub = prev[j]! + d;
      const del = prev[j + 1]! + 1;
      const ins = cur[j]! + 1;
      cur[j + 1] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

function identical(a: EncodedChain, i: number, b: EncodedChain, j: number): boolean {
  if (a.codes[i] !== b.codes[j]) return false;
  for (let k = 0; k < a.counts[i]!; k++) if (a.params[3 * i + k] !== b.params[3 * j + k]) return false;
  return true;
}

/** Two reusable DP rows (the distance is synchronous, so one pair serves every call). */
const rows: Float64Array[] = [new Float64Array(64), new Float64Array(64)];
function scratch(which: 0 | 1, length: number): Float64Array {
  if (rows[which]!.length < length) rows[which] = new Float64Array(2 * length);
  return rows[which]!;
}

/**
 * Distance `d_l` between two layers, in [0, 1] (Auto-Keras paper section 3.2; docs/algorithms.md section 3):
 * 1 for different kinds (a conv2d and a conv1d are different kinds); for conv the mean over
 * (filters, kernel size, stride) of `|a-b| / max(a,b)`; for pooling the mean over (kernel, stride, padding),
 * padding counting 0 when equal and 1 otherwise; for dense `|a-b| / max(a,b)` on units; 0 for other
 * layers of the same kind.
 *
 * @example
 * ```ts
 * const conv = (filters: number) => ({ kind: 'conv', rank: 2, filters, kernelSize: 3, strides: 1, padding: 'same' }) as const;
 * layerDistance(conv(32), conv(64)); // (0.5 + 0 + 0) / 3 = 1/6
 * layerDistance(conv(32), { kind: 'relu' }); // 1
 * ```
 */
export function layerDistance(a: LayerSpec, b: LayerSpec): number {
  return substitution(encodeChain([a]), 0, encodeChain([b]), 0);
}
