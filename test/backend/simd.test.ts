import { readFileSync } from 'node:fs';
import { BINARY_MODULE_PATH, WAT_PATH, assemble, binaryModule } from '../../scripts/build-wasm';

describe('the SIMD module', () => {
  it('is committed as the assembly of simd.wat (run `npm run build:wasm` after editing it)', async () => {
    const built = binaryModule(await assemble(readFileSync(WAT_PATH, 'utf8')));
    expect(readFileSync(BINARY_MODULE_PATH, 'utf8')).toBe(built);
  });
});
