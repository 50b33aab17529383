export { writeFileAtomic, readJsonFile, toJsonText } from './atomic';
export { SearchDirectory } from './search-directory';
export { SEARCH_FORMAT_VERSION, summarizeArchitecture, toTrialEntry, fromTrialEntry } from './records';
export type { TrialEntry, SearchMeta, SearcherStateFile, ArchitectureSummary } from './records';
export { packWeights, unpackWeights } from './weights';
export type { WeightEntry } from './weights';
export { exportModel, loadExportedModel, EXPORT_FILES } from './export';
export { writeFittedModel, readFittedModel } from './fitted-model';
