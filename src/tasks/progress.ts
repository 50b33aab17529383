import type EventEmitter from 'eventemitter3';
import type { TrialResult } from '../search/trial';
import type { AutoModelEvents } from './events';

/** Where progress lines go (console.log by default). */
export type LogFn = (line: string) => void;

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

/** One row of the trial table. */
export function trialRow(t: TrialResult, metricName: string): string {
  const metric = Number.isFinite(t.metric) ? t.metric.toFixed(4) : '-';
  return `${pad(t.id, 5)} ${pad(t.parentId ?? '-', 6)} ${pad(t.ops.map((o) => o.type).join('+') || 'generated', 22)} ${pad(metric, 9)} ${pad(t.epochs, 6)} ${pad(t.seconds.toFixed(1), 8)}  ${t.status}${t.error ? ` (${t.error})` : ''}`;
}

/** Header of the trial table. */
export function trialHeader(metricName: string): string {
  return `${pad('trial', 5)} ${pad('parent', 6)} ${pad('operations', 22)} ${pad(metricName, 9)} ${pad('epochs', 6)} ${pad('seconds', 8)}  status`;
}

/**
 * Prints a progress line per epoch and a table row per trial (the `verbose` option).
 * Returns a function that detaches the listeners.
 */
export function attachProgress(emitter: EventEmitter<AutoModelEvents>, metricName: string, log: LogFn = console.log): () => void {
  let headerShown = false;
  const onEpoch: AutoModelEvents['epochEnd'] = (e) => log(`  trial ${e.trialId} epoch ${e.epoch}: loss ${e.loss.toFixed(4)} val_loss ${e.valLoss.toFixed(4)} val_${metricName} ${e.valMetric.toFixed(4)} (${e.seconds.toFixed(1)} s)`);
  const onTrial: AutoModelEvents['trialEnd'] = (t) => {
    if (!headerShown) { log(trialHeader(metricName)); headerShown = true; }
    log(trialRow(t, metricName));
  };
  const onBest: AutoModelEvents['newBest'] = (t) => log(`  new best: trial ${t.id}, val_${metricName} ${t.metric.toFixed(4)}`);
  const onEnd: AutoModelEvents['searchEnd'] = (e) => {
    log(`search ended (${e.reason}) after ${e.trials} trials in ${e.seconds.toFixed(0)} s; best trial ${e.best?.id ?? '-'}`);
    if (e.proposeSeconds !== undefined && e.proposeWaitSeconds !== undefined) {
      log(`proposals took ${e.proposeSeconds.toFixed(1)} s, of which ${(e.proposeSeconds - Math.min(e.proposeSeconds, e.proposeWaitSeconds)).toFixed(1)} s ran during training`);
    }
  };
  const onStart: AutoModelEvents['searchStart'] = (e) => { if (e.notice) log(`note: ${e.notice}`); else if (e.resumed) log(`resuming the search in ${e.directory} (${e.trials} trials recorded)`); };
  emitter.on('searchStart', onStart).on('epochEnd', onEpoch).on('trialEnd', onTrial).on('newBest', onBest).on('searchEnd', onEnd);
  return () => { emitter.off('searchStart', onStart).off('epochEnd', onEpoch).off('trialEnd', onTrial).off('newBest', onBest).off('searchEnd', onEnd); };
}
