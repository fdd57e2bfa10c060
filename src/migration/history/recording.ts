// What goes into the history, and when: every move the executor runs (started here, by a drain, an HA
// workflow or a plan, or re-attached after a reload) when it ends, with its progress over time; a drain's
// summary when its queue ends; an HA workflow's when it ends. Moves are followed from outside the executor
// (its onDidChange and each handle's onProgress/done), so the executor knows nothing of the history.

import type { HaWorkflowState } from '../haWorkflow';
import type { QueueSummary } from '../queue';
import type { MoveExecutor, MoveRecord } from '../types';
import { MoveSamples } from '../moveSamples';
import { MAX_SAMPLES, thinSamples, type History, type HistoryRecord, type HistorySample } from './store';

/** A move that ended, as the history keeps it. */
export function moveRecord(record: MoveRecord, samples: readonly HistorySample[]): HistoryRecord | undefined {
  const { outcome } = record;
  if (!outcome) return undefined;
  const { request } = record.plan;
  const endedAt = record.endedAt ?? new Date(Date.parse(record.startedAt) + outcome.durationMs).toISOString();
  return {
    id: record.id,
    kind: 'move',
    startedAt: record.startedAt,
    endedAt,
    source: request.source,
    destination: request.destination,
    vm: request.vmName,
    bytes: outcome.bytesMoved,
    outcome: outcome.phase,
    message: outcome.summary ?? outcome.failure?.message ?? '',
    samples,
  };
}

/**
 * Records every move `executor` runs in `history` when it ends. Returns what stops following new moves
 * (those followed already are still recorded when they end).
 */
export function recordMoves(executor: MoveExecutor, history: History): { dispose(): void } {
  const followed = new Set<string>();
  const follow = (): void => {
    for (const handle of executor.running()) {
      const id = handle.record().id;
      if (followed.has(id)) continue;
      followed.add(id);
      // Thinned to the history's MAX_SAMPLES, evenly spread, whenever twice that many have gathered.
      const log = new MoveSamples(2 * MAX_SAMPLES, (samples) => thinSamples(samples));
      log.add(handle.record());
      const progress = handle.onProgress((record) => log.add(record));
      void handle.done.then(async (record) => {
        progress.dispose();
        followed.delete(id);
        log.add(record);
        const entry = moveRecord(record, log.list());
        if (entry) await history.record(entry);
      });
    }
  };
  follow();
  return executor.onDidChange(follow);
}

/** A drain's (or Migrate… of many VMs', or a plan run's) summary: the VMs, where they went, how it ended. */
export function drainRecord(summary: QueueSummary, subject: string, source: string): HistoryRecord {
  const rows = [...summary.moved, ...summary.failed];
  const names = [...rows.map((row) => row.vmName), ...summary.notMoved.map((row) => row.vmName)];
  const destinations = [...new Set(summary.moved.map((row) => row.destination))];
  const outcome = summary.failed.length > 0 ? 'failed' : summary.moved.length === 0 && names.length > 0 ? 'cancelled' : 'succeeded';
  return {
    kind: 'drain',
    startedAt: summary.startedAt,
    endedAt: summary.endedAt,
    source: source || [...new Set(rows.map((row) => row.source))].join(', '),
    destination: destinations.join(', '),
    vm: names.join(', ') || subject,
    bytes: summary.moved.reduce((sum, row) => sum + (row.outcome?.bytesMoved ?? row.bytes), 0),
    outcome,
    message: summary.text,
  };
}

/** An HA workflow that ended: its move's numbers and its summary. */
export function haRecord(state: HaWorkflowState, startedAt: string, endedAt = new Date().toISOString()): HistoryRecord {
  const { request, move } = state;
  return {
    kind: 'ha',
    startedAt: move?.startedAt && move.startedAt < startedAt ? move.startedAt : startedAt,
    endedAt,
    source: request.source,
    destination: request.destination,
    vm: request.vmName,
    bytes: move?.outcome?.bytesMoved ?? 0,
    outcome: state.phase === 'succeeded' ? 'succeeded' : state.phase === 'cancelled' ? 'cancelled' : 'failed',
    message: state.summary ?? '',
  };
}
