/** Network morphism: function-preserving deeper / wider / skip operations on the Graph IR. */
export { GraphMorpher, structureKey } from './morpher';
export type { MorphOptions } from './morpher';
export type { MorphOp, MorphType } from './ops';
export { DEFAULT_LIMITS, resolveLimits, limitViolation } from './limits';
export type { MorphLimits } from './limits';
export { deeperOptions, deeperCandidates } from './deeper';
export { widerCandidates, widerBlocker } from './wider';
export { skipEnds, skipPairs } from './skip';
export { opSampler } from './sample';
export type { OpSampler } from './sample';
