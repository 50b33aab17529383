import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { SearchError } from '../errors';
import { checkFileTarget, checkPathText } from '../persist/paths';
import type { Graph } from '../graph/graph';
import { writeFileAtomic } from '../persist/atomic';
import { SearchDirectory } from '../persist/search-directory';
import { readFittedModel } from '../persist/fitted-model';
import { renderReport } from './report';
import { savedObjective } from '../train/metrics';
import type { ReportTrial } from './report';

/**
 * Writes the HTML report of a search directory (default `<directory>/report.html`, its folder created
 * if needed) and returns its path. A `directory` that does not exist or holds no search is a SearchError
 * saying so; an `outFile` that is a folder, lies under a file or is not a valid path is an ArgumentError.
 *
 * @example
 * ```ts
 * const file = await writeSearchReport('./ak-run'); // './ak-run/report.html'
 * ```
 */
export async function writeSearchReport(directory: string, outFile = path.join(directory, 'report.html'), facts: Record<string, string | number> = {}): Promise<string> {
  checkPathText('directory', directory);
  await checkFileTarget('outFile', outFile);
  const dir = new SearchDirectory(directory);
  const meta = await dir.readMeta();
  const history = await dir.readHistory();
  if (history.length === 0) throw new SearchError(`${dir.historyFile} records no trial yet: nothing to report`);
  const t0 = Math.min(...history.map((t) => Date.parse(t.startedAt)));
  const trials: ReportTrial[] = history.map((t) => ({
    id: t.id, parentId: t.parentId, ops: t.ops, metric: t.metric, ...(t.metrics ? { metrics: t.metrics } : {}), epochs: t.epochs, seconds: t.seconds, status: t.status,
    endedAt: (Date.parse(t.endedAt) - t0) / 1000, params: t.architecture.params, ...(t.error ? { error: t.error } : {}),
  }));
  let best: { graph: Graph; trialId: number; finalFit: boolean } | null = null;
  try {
    best = await readFittedModel(directory);
  } catch {
    best = null; // a search still running has no fitted model yet: report the trials alone
  }
  const objective = savedObjective(meta.options, meta.task);
  const html = renderReport({
    title: `autokeras-ts search: ${path.resolve(directory)}`, metricName: objective.name, direction: objective.direction,
    trials, ...(best ? { bestGraph: best.graph, bestTrialId: best.trialId } : {}),
    facts: { task: meta.task, started: meta.createdAt, ...(best?.finalFit ? { 'final fit': 'yes' } : {}), ...facts },
  });
  await fsp.mkdir(path.dirname(outFile), { recursive: true });
  await writeFileAtomic(outFile, html);
  return outFile;
}
