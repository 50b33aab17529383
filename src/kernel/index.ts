export { layerDistance, encodeChain, chainDistance, LAYER_DISTANCE_RULES } from './layer-distance';
export type { LayerDistanceRule, ParamComparison, EncodedChain } from './layer-distance';
export { hungarian } from './hungarian';
export type { Assignment } from './hungarian';
export {
  editDistance, encodeArchitecture, encodedDistance, skipDistance, skipsDistance,
} from './edit-distance';
export type { Architecture, EncodedArchitecture } from './edit-distance';
export { ArchitectureSet } from './architecture-set';
export { BourgainEmbedding, bourgainShape } from './bourgain';
export type { BourgainShape } from './bourgain';
export { EditDistanceKernel } from './kernel';
export type { Kernel, EditDistanceKernelOptions } from './kernel';
