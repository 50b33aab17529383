/** Initial architectures of the search (docs/algorithms.md section 5). */
export type { GraphGenerator, Head } from './common';
export { CnnGenerator } from './cnn';
export type { CnnOptions } from './cnn';
export { ResNetGenerator } from './resnet';
export type { ResNetOptions } from './resnet';
export { DenseNetGenerator } from './densenet';
export type { DenseNetOptions } from './densenet';
export { MlpGenerator } from './mlp';
export type { MlpOptions } from './mlp';
export { defaultGenerators } from './defaults';
export { TextCnnGenerator, BagOfWordsGenerator, textGenerators } from './text';
export type { TextCnnOptions, TextGeneratorOptions } from './text';
