/** The README of the bundled Fashion-MNIST sample (credit and licence), written by make-sample.ts. */
export const README = (seed: number): string => `# Fashion-MNIST sample

A stratified subset of [Fashion-MNIST](https://github.com/zalandoresearch/fashion-mnist) bundled with
autokeras-ts for its tests and its demo (\`npm start\`):

| file | content |
| --- | --- |
| \`train-images-idx3-ubyte.gz\` | 3,000 training images, 28x28 grayscale, uint8 (300 per class) |
| \`train-labels-idx1-ubyte.gz\` | their labels, 0-9 |
| \`t10k-images-idx3-ubyte.gz\` | 1,000 test images (100 per class) |
| \`t10k-labels-idx1-ubyte.gz\` | their labels |

The files use the original IDX format, gzipped. The images were chosen from the full training and
test sets by \`scripts/make-sample.ts\` (seeded shuffle per class, seed ${seed}, kept in their
original order) from Debian's \`dataset-fashion-mnist\` package; the pixels are unchanged.

Labels: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag,
9 Ankle boot.

## Credit

Fashion-MNIST is by Zalando Research: Han Xiao, Kashif Rasul, Roland Vollgraf, *Fashion-MNIST: a Novel
Image Dataset for Benchmarking Machine Learning Algorithms*, arXiv:1708.07747 (2017).

## Licence

The MIT License (MIT) Copyright © [2017] Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the “Software”), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;
