/**
 * `autokeras-ts/internals`: the building blocks behind the root API, for tests, benchmarks and users who
 * recombine them (their own kernel, surrogate, acquisition function, trainer or executor). It exports
 * every name of the package, the root's included. These names are not a stable API: any release may
 * rename, change or remove them (the CHANGELOG says when it does).
 *
 * @example
 * ```ts
 * import { EditDistanceKernel, GaussianProcess, UpperConfidenceBound } from 'autokeras-ts/internals';
 *
 * const beta = new UpperConfidenceBound({ beta: 1 }); // a more exploitative UCB than the default 2.576
 * ```
 *
 * @packageDocumentation
 */
export * from './errors';
export { DEFAULTS } from './options';
export type { Defaults } from './options';
export { Rng } from './util/rng';
export * from './tasks';
export * from './graph';
export * from './compile';
export * from './morph';
export * from './generators';
export * from './kernel';
export * from './gp';
export * from './acquisition';
export * from './search';
export * from './train';
export * from './data';
export * from './persist';
export * from './backend';
export * from './execute';
export * from './report';
