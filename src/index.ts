/**
 * autokeras-ts: neural architecture search by network morphism guided by Bayesian optimisation
 * (Auto-Keras, Jin, Song & Hu, KDD 2019) for Node.js, with TensorFlow.js models out.
 *
 * Start with {@link ImageClassifier} or {@link ImageRegressor}; the modules below them are public
 * for users who extend the search (their own searcher, kernel, generators or trainer).
 *
 * @packageDocumentation
 */
export * from './errors';
export { DEFAULTS } from './options';
export type { Defaults } from './options';
export { Rng } from './util/rng';
export * from './tasks';
export * from './graph';
export * from './compile';
export * from './morph';
export * from './generators';
export * from './kernel';
export * from './gp';
export * from './acquisition';
export * from './search';
export * from './train';
export * from './data';
export * from './persist';
export * from './backend';
export * from './execute';
export * from './report';

// --- Structured data (issue 18): StructuredDataClassifier / StructuredDataRegressor and the row encoder ---
export { StructuredDataClassifier, StructuredDataRegressor, StructuredDataModel } from './tasks/structured-data';
export type { StructuredInput, StructuredTarget, StructuredDataOptions, StructuredFitOptions, StructuredFinalFitOptions } from './tasks/structured-data';
export { RowEncoder, Table, toTable, readTableCsv, tableFromCsv, isMissing } from './data/rows';
export type { Cell, RowObject, ColumnObject, ColumnType, TabularInput, RowEncoderOptions, RowEncoderJSON, ColumnEncoding, DroppedColumn, ColumnReport } from './data/rows';
// --- end structured data ---
