import { SingleBar } from 'cli-progress';
import type { AutoModel } from '../tasks/auto-model';
import { trialHeader, trialRow } from '../tasks/progress';

/**
 * A time-based progress bar for a search (cli-progress) plus the trial table printed above it.
 * Returns a function that stops the bar and detaches the listeners.
 */
export function showSearchProgress(model: AutoModel, timeLimit: number, metricName: string, out: NodeJS.WriteStream = process.stdout): () => void {
  const started = Date.now();
  const bar = new SingleBar({
    format: 'search |{bar}| {percentage}% | {elapsed}s of {limit}s | trials {trials} | best {best} | {status}',
    hideCursor: true, stream: out, clearOnComplete: false, barsize: 30,
  });
  const state = { trials: 0, best: '-', status: 'starting' };
  const payload = () => ({ ...state, limit: Math.round(timeLimit), elapsed: Math.round((Date.now() - started) / 1000) });
  const tick = () => bar.update(Math.min(timeLimit, (Date.now() - started) / 1000), payload());
  bar.start(timeLimit, 0, payload());
  let headerShown = false;
  const print = (line: string) => { if (out.isTTY) { bar.stop(); out.write(`${line}\n`); bar.start(timeLimit, 0, payload()); tick(); } else out.write(`${line}\n`); };
  const onStart = (e: { trialId: number }) => { state.status = `training trial ${e.trialId}`; tick(); };
  const onEpoch = (e: { trialId: number; epoch: number; valMetric: number }) => { state.status = `trial ${e.trialId} epoch ${e.epoch} val ${e.valMetric.toFixed(3)}`; tick(); };
  const onTrial = (t: Parameters<typeof trialRow>[0]) => {
    state.trials += 1;
    if (!headerShown) { print(trialHeader(metricName)); headerShown = true; }
    print(trialRow(t, metricName));
  };
  const onBest = (t: { metric: number }) => { state.best = t.metric.toFixed(4); tick(); };
  model.on('trialStart', onStart).on('epochEnd', onEpoch).on('trialEnd', onTrial).on('newBest', onBest);
  const timer = setInterval(tick, 1000);
  return () => {
    clearInterval(timer);
    state.status = 'done';
    tick();
    bar.stop();
    model.off('trialStart', onStart).off('epochEnd', onEpoch).off('trialEnd', onTrial).off('newBest', onBest);
  };
}
