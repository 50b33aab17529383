import { invalidArgument } from '../errors';
import { CnnGenerator } from './cnn';
import type { GraphGenerator } from './common';
import { DenseNetGenerator } from './densenet';
import { MlpGenerator } from './mlp';
import { ResNetGenerator } from './resnet';

/**
 * The initial architectures for an input shape (docs/algorithms.md section 5): a vector `[F]` gets an MLP;
 * image-like inputs (`[L, C]`, `[H, W, C]`, `[D, H, W, C]`) get a CNN, a ResNet and a DenseNet of the
 * matching conv rank, in that order. Throws ArgumentError for other shapes.
 *
 * @example
 * ```ts
 * defaultGenerators([28, 28, 1]).map((g) => g.name); // ['cnn', 'resnet', 'densenet']
 * defaultGenerators([20]).map((g) => g.name);        // ['mlp']
 * ```
 */
export function defaultGenerators(inputShape: number[]): GraphGenerator[] {
  if (!Array.isArray(inputShape) || inputShape.length < 1 || inputShape.length > 4 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    invalidArgument('inputShape', 'an array of 1 to 4 positive integers (batch axis excluded)', inputShape);
  }
  if (inputShape.length === 1) return [new MlpGenerator()];
  return [new CnnGenerator(), new ResNetGenerator(), new DenseNetGenerator()];
}
