/**
 * autokeras-ts: neural architecture search by network morphism guided by Bayesian optimisation
 * (Auto-Keras, Jin, Song & Hu, KDD 2019) for Node.js, with TensorFlow.js models out.
 *
 * @packageDocumentation
 */
export * from './errors';
export { DEFAULTS } from './options';
export type { Defaults } from './options';
export { Rng } from './util/rng';
export * from './graph';
export * from './compile';
