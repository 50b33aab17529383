import * as tf from '@tensorflow/tfjs';
import { invalidValueMessage, ArgumentError, UnsupportedError } from '../errors';
import { DEFAULTS } from '../options';
import { prepareWasm } from './wasm';
import { registerGradients } from './gradients';

/**
 * The backends autokeras-ts can run on, fastest first: `DEFAULTS.backend.order`, the default order of {@link selectBackend}.
 *
 * @example
 * ```ts
 * BACKEND_NAMES.includes('wasm'); // true
 * ```
 */
export const BACKEND_NAMES = DEFAULTS.backend.order;

/**
 * A backend name: `tfjs-node-gpu` and `tfjs-node` are the optional native peers, `wasm` and `cpu` ship with tfjs.
 *
 * @example
 * ```ts
 * const name: BackendName = await selectBackend();
 * ```
 */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * The environment variable that overrides the automatic choice (an explicit `preference` wins over it).
 *
 * @example
 * ```sh
 * AUTOKERAS_BACKEND=cpu npm start
 * ```
 */
export const BACKEND_ENV_VAR = 'AUTOKERAS_BACKEND';

/**
 * Options of {@link selectBackend}.
 *
 * @example
 * ```ts
 * await selectBackend(undefined, { verbose: true, log: (line) => logger.info(line) });
 * ```
 */
export interface SelectBackendOptions {
  /** Logs the chosen backend (and skipped ones) through `log`. */
  verbose?: boolean;
  /** Where log lines go (default `console.log`). */
  log?: (line: string) => void;
  /** Environment to read {@link BACKEND_ENV_VAR} from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Loads an optional peer package; injectable for tests (default `require`). */
  load?: (pkg: string) => unknown;
}

/** tfjs registers both native peers under this backend name. */
const NATIVE_TFJS_NAME = 'tensorflow';

let current: BackendName | null = null;

function parseName(value: string, source: string): BackendName | 'auto' {
  const name = value.trim().toLowerCase();
  if (name === 'auto' || (BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName | 'auto';
  throw new ArgumentError(invalidValueMessage(source, `one of ${['auto', ...BACKEND_NAMES].map((n) => `"${n}"`).join(', ')}`, value));
}

/** Loads a native peer; false when it is not installed or cannot load (no libtensorflow, no GPU). */
function loadNative(pkg: BackendName, load: (p: string) => unknown): boolean {
  try {
    load(`@tensorflow/${pkg}`);
    return tf.findBackendFactory(NATIVE_TFJS_NAME) !== null;
  } catch {
    return false;
  }
}

async function tryBackend(name: BackendName, load: (p: string) => unknown): Promise<boolean> {
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    return loadNative(name, load) && (await tf.setBackend(NATIVE_TFJS_NAME));
  }
  if (name === 'wasm') prepareWasm();
  // The leaner gradients hold for every backend (the cpu one needs the gather gradient to train embeddings in reasonable time).
  registerGradients();
  return tf.setBackend(name);
}

/**
 * Chooses and activates the tfjs backend, the only place in autokeras-ts that does. Without a preference
 * it takes the first that works of `tfjs-node-gpu`, `tfjs-node`, `wasm`, `cpu` (the native peers only when
 * installed). `preference`, else the `AUTOKERAS_BACKEND` environment variable, names one backend instead
 * (`'auto'`, in either, means no preference). Before wasm is used, the kernels and gradients of
 * {@link prepareWasm} are registered.
 *
 * @param preference - A {@link BackendName} or `'auto'`.
 * @returns The name of the backend now active.
 * @throws ArgumentError for an unknown name; UnsupportedError when the named backend cannot start.
 *
 * @example
 * ```ts
 * const name = await selectBackend();            // 'wasm' where tfjs-node is absent
 * await selectBackend('cpu', { verbose: true }); // logs "autokeras-ts: using tfjs backend cpu"
 * ```
 */
export async function selectBackend(preference?: string, options: SelectBackendOptions = {}): Promise<BackendName> {
  const env = options.env ?? process.env;
  const log = options.verbose ? (options.log ?? console.log) : () => undefined;
  const load = options.load ?? require;
  const fromEnv = env[BACKEND_ENV_VAR];
  const asked = preference === undefined ? 'auto' : parseName(preference, 'backend');
  const wanted = asked === 'auto' && fromEnv ? parseName(fromEnv, BACKEND_ENV_VAR) : asked;
  const order: readonly BackendName[] = wanted === 'auto' ? DEFAULTS.backend.order : [wanted];
  for (const name of order) {
    if (await tryBackend(name, load)) {
      current = name;
      log(`autokeras-ts: using tfjs backend ${name}${wanted === 'auto' ? '' : ' (requested)'}`);
      return name;
    }
    log(`autokeras-ts: tfjs backend ${name} is not available`);
  }
  throw new UnsupportedError(`The tfjs backend ${JSON.stringify(wanted === 'auto' ? order.join(', ') : wanted)} could not start` +
    (wanted.startsWith('tfjs-node') ? `; install @tensorflow/${wanted} or choose one of ${BACKEND_NAMES.join(', ')}` : ''));
}

/**
 * The backend {@link selectBackend} chose, or `null` before the first call (or when the active tfjs backend
 * was changed behind its back).
 *
 * @example
 * ```ts
 * await selectBackend();
 * console.log(currentBackend()); // 'wasm'
 * ```
 */
export function currentBackend(): BackendName | null {
  if (current === null) return null;
  const active = tf.getBackend();
  const expected = current.startsWith('tfjs-node') ? NATIVE_TFJS_NAME : current;
  return active === expected ? current : null;
}
