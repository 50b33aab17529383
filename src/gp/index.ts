export { GaussianProcess } from './gaussian-process';
export type { GaussianProcessOptions } from './gaussian-process';
export type { Surrogate, Prediction } from './surrogate';
export { cholesky, forwardSolve, backSolve, extensionRow } from './linalg';
export type { LowerTriangular } from './linalg';
