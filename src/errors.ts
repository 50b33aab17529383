/**
 * The error hierarchy of autokeras-ts. Every error the library throws on purpose is an
 * {@link AutoKerasError}; the subclass says what went wrong, the message names the argument,
 * what was expected and what was received (Keras style).
 *
 * @example
 * ```ts
 * try { await clf.predict(x); } catch (e) { if (e instanceof NotFittedError) { ... } }
 * ```
 */
export class AutoKerasError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An option or function argument has an invalid value. */
export class ArgumentError extends AutoKerasError {}

/** Training or prediction data is malformed (wrong rank, lengths differ, NaN, one class, ...). */
export class InputDataError extends AutoKerasError {}

/** A Graph is structurally invalid (cycle, dangling node, shape mismatch) or a JSON document is malformed. */
export class GraphError extends AutoKerasError {}

/** A method that needs a fitted estimator was called before `fit`. */
export class NotFittedError extends AutoKerasError {}

/** A feature, layer kind or backend is not supported in this configuration. */
export class UnsupportedError extends AutoKerasError {}

/** The search cannot go on: a numerical failure after every retry, no trial finished, a corrupt search directory. */
export class SearchError extends AutoKerasError {}

/** Renders a received value for an error message, shortly. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map(describeValue).join(', ');
    return `[${head}${value.length > 6 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `${ctor} instance` : JSON.stringify(value)?.slice(0, 80) ?? String(value);
}

/**
 * Builds the standard message: "Received an invalid value for `name`, expected <expected>. Received: name=<value>".
 */
export function invalidValueMessage(name: string, expected: string, received: unknown): string {
  return `Received an invalid value for \`${name}\`, expected ${expected}. Received: ${name}=${describeValue(received)}`;
}

/** Throws an {@link ArgumentError} with the standard message. */
export function invalidArgument(name: string, expected: string, received: unknown): never {
  throw new ArgumentError(invalidValueMessage(name, expected, received));
}
