export * from './layers';
export { LAYER_RULES, ruleOf, layerParamCount, layerMacCount } from './rules';
export type { LayerRule } from './rules';
export { Graph } from './graph';
export { describeGraph } from './descriptor';
export type { Descriptor, SkipConnection } from './descriptor';
export { graphToJSON, graphFromJSON, GRAPH_FORMAT_VERSION } from './json';
export type { GraphJSON, WeightJSON } from './json';
