export { compileGraph, readWeights, layerName, WEIGHT_ORDER } from './compile';
export type { CompileOptions } from './compile';
