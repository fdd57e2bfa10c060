// The drains' journal: a drain (or Migrate… of many VMs, or a plan file's run) is written before its queue
// starts, with every move it holds, and again whenever a move changes state. A move that started belongs to
// its host and the move journal (the executor re-attaches it after a reload); what only this journal knows
// is which moves were still waiting for their turn. After a reload they are not started by themselves: the
// admin is told which VMs were left and resumes them (or forgets them): a drain picked up at the next start
// of VS Code, maybe the next morning, should not move VMs nobody is watching.

import { randomUUID } from 'node:crypto';
import { array, boolean, choice, fields, nested, number, object, optionalNumber, optionalString, record, string } from '../hyperv/decode';
import type { Logger } from '../powershell/types';
import { decodeEnd, decodePlan, EntryJournal, processRuns } from './journal';
import { limitsFrom, MigrationQueue, type HostLimits, type QueueItem, type QueueOrder, type RowState } from './queue';
import type { MoveExecutor, MoveHandle, MovePlan } from './types';

export type DrainKind = 'drain' | 'many' | 'plan';

export interface DrainJournalEntry {
  readonly id: string;
  /** The extension host running it: another window leaves the drain alone while that process lives. */
  readonly pid: number;
  readonly startedAt: string;
  readonly kind: DrainKind;
  /** The host drained, the VMs, or the plan file's name. */
  readonly subject: string;
  readonly order: QueueOrder;
  readonly concurrency: number | null;
  /** The hosts' migration limits the plan read. */
  readonly limits: Readonly<Record<string, HostLimits>>;
  readonly moves: readonly {
    readonly plan: MovePlan;
    readonly bytes: number;
    readonly estimatedMs: number;
    readonly movesStorage: boolean;
    readonly state: RowState;
    readonly moveId: string | null;
  }[];
  /** How it ended (the queue's summary), or that the admin forgot what was left. */
  readonly summary?: string;
  readonly endedAt?: string;
}

const ROW_STATES: readonly RowState[] = ['queued', 'starting', 'moving', 'succeeded', 'failed', 'cancelled', 'not-started'];
const KINDS: readonly DrainKind[] = ['drain', 'many', 'plan'];
const ORDERS: readonly QueueOrder[] = ['longest-first', 'fifo'];

/** An entry read back from its file's text; throws (DecodeError, SyntaxError) when it is not one. */
export function decodeDrainEntry(text: string): DrainJournalEntry {
  const path = 'drainEntry';
  const o = object(JSON.parse(text) as unknown, path);
  const limitsObject = object(o.limits, `${path}.limits`);
  const limits: Record<string, HostLimits> = {};
  for (const [host, value] of Object.entries(limitsObject))
    limits[host] = record({ vm: number, storage: number })(value, `${path}.limits.${host}`);
  return {
    ...fields(o, path, {
      id: string,
      pid: number,
      startedAt: string,
      kind: choice(KINDS),
      subject: string,
      order: choice(ORDERS),
      concurrency: optionalNumber,
    }),
    limits,
    moves: array(
      o,
      'moves',
      path,
      record({
        plan: nested(decodePlan),
        bytes: number,
        estimatedMs: number,
        movesStorage: boolean,
        state: choice(ROW_STATES),
        moveId: optionalString,
      }),
    ),
    ...decodeEnd(o, path),
  };
}

export class DrainJournal extends EntryJournal<DrainJournalEntry> {
  constructor(dir: string, logger?: Logger) {
    super(dir, decodeDrainEntry, 'Drain journal', logger);
  }
}

/** What the queue is run with, as the journal keeps it. */
export interface JournaledRun {
  readonly dir: string;
  readonly kind: DrainKind;
  readonly subject: string;
  readonly order: QueueOrder;
  readonly concurrency?: number;
  readonly limits: Readonly<Record<string, HostLimits>>;
  readonly logger?: Logger;
  /** The entry continued (a drain resumed after a reload); a new one by default. */
  readonly id?: string;
  readonly startedAt?: string;
}

/**
 * Journals the queue's run: written before it starts (the queue is started once that is on disk, or
 * started anyway with the failure logged), again whenever a move changes state, and when it ends.
 */
export function journalQueue(queue: MigrationQueue, items: readonly QueueItem[], run: JournaledRun): void {
  const journal = new DrainJournal(run.dir, run.logger);
  const id = run.id ?? randomUUID();
  const startedAt = run.startedAt ?? new Date().toISOString();
  const entry = (): DrainJournalEntry => {
    const summary = queue.summary();
    return {
      id,
      pid: process.pid,
      startedAt,
      kind: run.kind,
      subject: run.subject,
      order: run.order,
      concurrency: run.concurrency ?? null,
      limits: run.limits,
      moves: queue.rows().map((row, index) => {
        const item = items[index];
        return {
          plan: item.plan,
          bytes: item.bytes,
          estimatedMs: item.estimatedMs,
          movesStorage: item.movesStorage,
          state: row.state,
          moveId: row.moveId ?? null,
        };
      }),
      ...(summary && { summary: summary.text, endedAt: summary.endedAt }),
    };
  };
  const save = (): Promise<void> =>
    journal
      .write(entry())
      .catch((error: unknown) => run.logger?.error(`Drain journal: could not write ${run.subject}: ${(error as Error).message}`));
  const states = queue.rows().map((row) => row.state);
  queue.onDidChangeRow((row) => {
    if (states[row.index] === row.state) return;
    states[row.index] = row.state;
    void save();
  });
  queue.onDidChangeState((state) => {
    if (state === 'ended') void save();
  });
  void save().then(() => {
    if (queue.state === 'idle') void queue.start();
  });
}

/** The ids of the drains that run now: journaled, not ended, and their extension host (this window's or another's) alive. */
export async function runningDrains(dir: string, logger?: Logger): Promise<Set<string>> {
  const entries = await new DrainJournal(dir, logger).list();
  const runs = (entry: DrainJournalEntry) => entry.endedAt === undefined && (entry.pid === process.pid || processRuns(entry.pid));
  return new Set(entries.filter(runs).map((entry) => entry.id));
}

/** A drain a reload interrupted: its moves still running (re-attached) and those that had not started. */
export interface LeftDrain {
  readonly entry: DrainJournalEntry;
  /** Moves of the drain still running on their hosts, followed by the executor. */
  readonly running: readonly MoveHandle[];
  /** Moves that were waiting for their turn: not started by anyone since. */
  readonly left: readonly QueueItem[];
}

/**
 * The drains the journal holds unfinished because VS Code was reloaded or closed while they ran (the
 * executor's moves are re-attached first), with what was left of each. A drain whose extension host still
 * runs (another window) is left to it. Nothing is started.
 */
export async function leftDrains(dir: string, executor: MoveExecutor, logger?: Logger): Promise<LeftDrain[]> {
  const open = (await new DrainJournal(dir, logger).open()).filter((entry) => {
    if (entry.pid === process.pid || !processRuns(entry.pid)) return true;
    logger?.info(`Drain journal: ${entry.subject} is run by another window (process ${entry.pid}); left to it.`);
    return false;
  });
  if (open.length === 0) return [];
  await executor.recover();
  const handles = executor.running();
  return open.map((entry) => {
    const runningOf = (vmId: string): MoveHandle | undefined =>
      handles.find((h) => h.record().plan.request.vmId.toLowerCase() === vmId.toLowerCase());
    const running = entry.moves.map((m) => runningOf(m.plan.request.vmId)).filter((h): h is MoveHandle => h !== undefined);
    const left = entry.moves
      .filter((m) => (m.state === 'queued' || m.state === 'starting') && !runningOf(m.plan.request.vmId))
      .map(({ plan, bytes, estimatedMs, movesStorage }) => ({ plan, bytes, estimatedMs, movesStorage }));
    return { entry, running, left };
  });
}

/**
 * Resumes a drain a reload interrupted: one queue of its moves still running (followed, counted against
 * the hosts' limits) and those left (started as slots free), under the hosts' limits the plan read; the
 * same journal entry goes on. The caller follows the queue as any other.
 */
export function resumeDrain(
  drain: LeftDrain,
  options: { readonly dir: string; readonly executor: MoveExecutor; readonly logger?: Logger; readonly retryDelayMs?: number },
): MigrationQueue {
  const { entry } = drain;
  const items: QueueItem[] = [
    ...drain.running.map((handle) => {
      const journaled = entry.moves.find((m) => m.plan.request.vmId.toLowerCase() === handle.record().plan.request.vmId.toLowerCase());
      return {
        plan: handle.record().plan,
        bytes: journaled?.bytes ?? 0,
        estimatedMs: journaled?.estimatedMs ?? 0,
        movesStorage: journaled?.movesStorage ?? true,
        running: handle,
      };
    }),
    ...drain.left,
  ];
  const queue = new MigrationQueue(items, {
    executor: options.executor,
    limits: limitsFrom(entry.limits),
    order: entry.order,
    ...(entry.concurrency !== null && { concurrency: entry.concurrency }),
    ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
    ...(options.logger && { logger: options.logger }),
  });
  journalQueue(queue, items, {
    dir: options.dir,
    kind: entry.kind,
    subject: entry.subject,
    order: entry.order,
    ...(entry.concurrency !== null && { concurrency: entry.concurrency }),
    limits: entry.limits,
    ...(options.logger && { logger: options.logger }),
    id: entry.id,
    startedAt: entry.startedAt,
  });
  return queue;
}

/** The admin chose not to resume: the drain is marked ended, saying which VMs were not moved. */
export async function forgetDrain(drain: LeftDrain, dir: string, logger?: Logger): Promise<void> {
  await new DrainJournal(dir, logger).write({
    ...drain.entry,
    summary: `Interrupted by a reload of VS Code; not resumed: ${drain.left.map((item) => item.plan.request.vmName).join(', ') || 'nothing'} left unmoved.`,
    endedAt: new Date().toISOString(),
  });
}
