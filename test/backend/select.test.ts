import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV_VAR, BACKEND_NAMES, currentBackend, selectBackend } from '../../src/backend';
import { ArgumentError, UnsupportedError } from '../../src/errors';

const missing = (pkg: string): never => {
  throw new Error(`Cannot find module '${pkg}'`);
};

describe('selectBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes wasm by default when the native peers are absent, and says so when verbose', async () => {
    const lines: string[] = [];
    const tried: string[] = [];
    const load = (pkg: string) => { tried.push(pkg); return missing(pkg); };
    const name = await selectBackend(undefined, { env: {}, load, verbose: true, log: (l) => lines.push(l) });
    expect(name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(lines).toEqual([
      'autokeras-ts: tfjs backend tfjs-node-gpu is not available',
      'autokeras-ts: tfjs backend tfjs-node is not available',
      'autokeras-ts: using tfjs backend wasm',
    ]);
  });

  it('tries the real optional peers without failing when they are not installed', async () => {
    expect(await selectBackend(undefined, { env: {} })).toMatch(/^(tfjs-node-gpu|tfjs-node|wasm)$/);
  });

  it('registers the wasm gradient kernels before using wasm', async () => {
    await selectBackend('wasm', { env: {} });
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('honours an explicit preference over the environment variable', async () => {
    expect(await selectBackend('cpu', { env: { [BACKEND_ENV_VAR]: 'wasm' } })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('honours AUTOKERAS_BACKEND without a preference (case and spaces ignored)', async () => {
    expect(await selectBackend(undefined, { env: { [BACKEND_ENV_VAR]: ' CPU ' } })).toBe('cpu');
    expect(await selectBackend(undefined, { env: { [BACKEND_ENV_VAR]: 'wasm' } })).toBe('wasm');
    expect(await selectBackend(undefined, { env: { [BACKEND_ENV_VAR]: 'auto' }, load: missing })).toBe('wasm');
    expect(await selectBackend('auto', { env: { [BACKEND_ENV_VAR]: 'cpu' } })).toBe('cpu');
  });

  it('rejects an unknown name, naming the choices', async () => {
    await expect(selectBackend('webgpu', { env: {} })).rejects.toThrow(ArgumentError);
    await expect(selectBackend('webgpu', { env: {} })).rejects.toThrow(
      'Received an invalid value for `backend`, expected one of "auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu". Received: backend="webgpu"');
    await expect(selectBackend(undefined, { env: { [BACKEND_ENV_VAR]: 'gpu' } })).rejects.toThrow(`\`${BACKEND_ENV_VAR}\``);
  });

  it('fails clearly when a requested native peer is not installed', async () => {
    await expect(selectBackend('tfjs-node', { env: {}, load: missing })).rejects.toThrow(UnsupportedError);
    await expect(selectBackend('tfjs-node', { env: {}, load: missing })).rejects.toThrow('install @tensorflow/tfjs-node');
  });

  it('reports null once the backend was changed behind its back', async () => {
    await selectBackend('wasm', { env: {} });
    await tf.setBackend('cpu');
    expect(currentBackend()).toBeNull();
  });

  it('lists the backends fastest first', () => {
    expect(BACKEND_NAMES).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
  });
});
