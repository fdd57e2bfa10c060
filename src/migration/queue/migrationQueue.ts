// The migration queue: runs many moves through the executor without ever asking a host for more
// migrations at once than it allows. A move counts on its source and its destination against
// MaximumVirtualMachineMigrations, and a move that carries disks (shared-nothing) against
// MaximumStorageMigrations too. Whenever a slot frees, the queue starts what fits, longest move first
// by default (list scheduling, LPT), which finishes a drain sooner than first-in-first-out when the sizes
// are mixed. One move's failure does not stop the others; pause stops new starts, resume goes on, cancel
// cancels the running moves (their VMs stay on their sources) and starts nothing more.

import * as l10n from '@vscode/l10n';
import { hostKey } from '../../hyperv/hostName';
import type { Logger } from '../../powershell/types';
import { messageOf, tellAll } from '../listeners';
import type { MoveExecutor, MoveHandle, MoveOutcome, MovePlan, MoveProgress, MoveRecord } from '../types';
import { startable, usage, type LimitsOf, type QueueOrder, type Slotted } from './schedule';

export interface QueueItem {
  readonly plan: MovePlan;
  /** Bytes the move carries (memory of a live VM, VHD files, checkpoints), for the panel. */
  readonly bytes: number;
  readonly estimatedMs: number;
  readonly movesStorage: boolean;
  /** A move of it already running (a drain picked up after a reload): followed and counted against the limits, not started again. */
  readonly running?: MoveHandle;
}

/**
 * queued: waits for a slot (or for resume); starting: the executor is starting it; moving: Hyper-V
 * moves it; then how it ended. not-started: the queue was cancelled before its turn.
 */
export type RowState = 'queued' | 'starting' | 'moving' | 'succeeded' | 'failed' | 'cancelled' | 'not-started';

export interface QueueRow {
  /** Position in the list given to the queue. */
  readonly index: number;
  readonly vmId: string;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly state: RowState;
  readonly bytes: number;
  readonly estimatedMs: number;
  /** Why a queued move waits, in a sentence. */
  readonly waiting?: string;
  /** The executor's move (and journal entry) id, once started; the latest attempt's. */
  readonly moveId?: string;
  readonly progress?: MoveProgress;
  readonly outcome?: MoveOutcome;
  /** Why it failed or was not moved, in a sentence. */
  readonly why?: string;
  /** How many times the move was started (a start refused by a busy host is retried). */
  readonly attempts: number;
}

export interface QueueSummary {
  readonly moved: readonly QueueRow[];
  readonly failed: readonly QueueRow[];
  /** Cancelled, not started, and what the plan could not place (`why` says which). */
  readonly notMoved: readonly { readonly vmId: string; readonly vmName: string; readonly source: string; readonly why: string }[];
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
  /** The whole result in a sentence, e.g. "2 of 3 VMs moved in 41 s; 1 failed (sql01)." */
  readonly text: string;
}

export type QueueState = 'idle' | 'running' | 'paused' | 'cancelling' | 'ended';

export interface QueueOptions {
  readonly executor: MoveExecutor;
  readonly limits: LimitsOf;
  readonly order?: QueueOrder;
  /** VMs the plan could not place: listed in the summary as not moved. */
  readonly unmovable?: readonly { readonly vmId: string; readonly vmName: string; readonly source: string; readonly why: string }[];
  /** How long to wait before starting again a move a host refused for its limit (a migration this queue did not start runs there). Default 2 s. */
  readonly retryDelayMs?: number;
  /** At most this many moves at once over the whole fleet (a plan's "concurrency"); each host's limits apply too. */
  readonly concurrency?: number;
  readonly logger?: Logger;
}

/** Hyper-V's refusal when a host is at its limit (event 21501): the move is queued again, not failed. */
const LIMIT_REACHED = /migration limit "\d+" was reached|\(event 21501\)/i;

const ACTIVE: readonly RowState[] = ['starting', 'moving'];
const ENDED: readonly RowState[] = ['succeeded', 'failed', 'cancelled', 'not-started'];

interface Entry extends Slotted {
  row: QueueRow;
  readonly item: QueueItem;
  handle?: MoveHandle;
  /** Not before this time (a refused start waits a little). */
  notBeforeMs: number;
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export class MigrationQueue {
  private readonly entries: Entry[];
  private readonly order: QueueOrder;
  private readonly retryDelayMs: number;
  private readonly rowListeners = new Set<(row: QueueRow) => void>();
  private readonly stateListeners = new Set<(state: QueueState) => void>();
  private current: QueueState = 'idle';
  private disposed = false;
  private startedAtMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private resolveDone!: (summary: QueueSummary) => void;
  private summaryValue: QueueSummary | undefined;
  /** Resolves with the summary when every move has ended (or was not started after a cancel). */
  readonly done: Promise<QueueSummary>;

  constructor(
    items: readonly QueueItem[],
    private readonly options: QueueOptions,
  ) {
    const seen = new Set<string>();
    for (const item of items) {
      const key = item.plan.request.vmId.toLowerCase();
      if (seen.has(key)) throw new Error(`${item.plan.request.vmName} is in the queue twice.`);
      seen.add(key);
    }
    this.order = options.order ?? 'longest-first';
    this.retryDelayMs = options.retryDelayMs ?? 2000;
    this.entries = items.map((item, index): Entry => {
      const { vmId, vmName, source, destination } = item.plan.request;
      const running = item.running?.record();
      return {
        item,
        source,
        destination,
        movesStorage: item.movesStorage,
        estimatedMs: item.estimatedMs,
        notBeforeMs: 0,
        ...(item.running && { handle: item.running }),
        row: {
          index,
          vmId,
          vmName,
          source,
          destination,
          state: running ? 'moving' : 'queued',
          bytes: item.bytes,
          estimatedMs: item.estimatedMs,
          attempts: running ? 1 : 0,
          ...(running && { moveId: running.id, progress: running.progress }),
        },
      };
    });
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get state(): QueueState {
    return this.current;
  }

  rows(): readonly QueueRow[] {
    return this.entries.map((entry) => entry.row);
  }

  /** The summary once the queue has ended. */
  summary(): QueueSummary | undefined {
    return this.summaryValue;
  }

  /** A row changed (state, progress, outcome). */
  onDidChangeRow(listener: (row: QueueRow) => void): { dispose(): void } {
    this.rowListeners.add(listener);
    return { dispose: () => this.rowListeners.delete(listener) };
  }

  onDidChangeState(listener: (state: QueueState) => void): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  /** Starts the queue: the moves that fit start now, the others as slots free. */
  start(): Promise<QueueSummary> {
    if (this.current !== 'idle') throw new Error('The queue has already been started.');
    this.startedAtMs = Date.now();
    this.setState('running');
    for (const entry of this.entries) {
      const handle = entry.item.running;
      if (handle) void this.follow(entry, handle).catch((error: unknown) => this.lost(entry, error));
    }
    this.dispatch();
    return this.done;
  }

  /**
   * Stops here (the extension host goes away): nothing more starts, changes or is told, so no listener
   * (the drain's journal) records a move as failed for it; the running moves go on on their hosts.
   */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.rowListeners.clear();
    this.stateListeners.clear();
  }

  /** No new move starts; the running ones go on. */
  pause(): void {
    if (this.current !== 'running') return;
    this.setState('paused');
    for (const entry of this.entries)
      if (entry.row.state === 'queued') this.update(entry, { waiting: 'Paused: starts when the queue is resumed.' });
  }

  resume(): void {
    if (this.current !== 'paused') return;
    this.setState('running');
    this.dispatch();
  }

  /** Cancels the running moves (their VMs stay on their sources) and starts nothing more. Resolves with the summary. */
  async cancel(): Promise<QueueSummary> {
    if (this.current === 'ended' || this.current === 'cancelling') return this.done;
    const wasIdle = this.current === 'idle';
    if (wasIdle) this.startedAtMs = Date.now();
    this.setState('cancelling');
    clearTimeout(this.retryTimer);
    for (const entry of this.entries) {
      if (entry.row.state === 'queued')
        this.update(entry, { state: 'not-started', waiting: undefined, why: l10n.t('The queue was cancelled before this move started.') });
    }
    await Promise.all(this.entries.filter((entry) => entry.handle && entry.row.state === 'moving').map((entry) => this.cancelMove(entry)));
    this.finishIfDone();
    return this.done;
  }

  private async cancelMove(entry: Entry): Promise<void> {
    try {
      await entry.handle?.cancel();
    } catch (error) {
      this.options.logger?.error(`Queue: could not cancel the move of ${entry.row.vmName}: ${(error as Error).message}`);
    }
  }

  private dispatch(): void {
    if (this.current !== 'running' || this.disposed) return;
    clearTimeout(this.retryTimer);
    const now = Date.now();
    const running = this.entries.filter((entry) => ACTIVE.includes(entry.row.state));
    const queued = this.entries.filter((entry) => entry.row.state === 'queued');
    const ready = queued.filter((entry) => entry.notBeforeMs <= now);
    for (const entry of startable(ready, running, this.options.limits, this.order, this.options.concurrency)) {
      void this.launch(entry).catch((error: unknown) => this.lost(entry, error));
    }
    const later = queued.filter((entry) => entry.notBeforeMs > now);
    if (later.length > 0) {
      this.retryTimer = setTimeout(() => this.dispatch(), Math.max(0, Math.min(...later.map((entry) => entry.notBeforeMs)) - now));
    }
    for (const entry of this.entries.filter((e) => e.row.state === 'queued' && !e.row.waiting?.startsWith('Refused'))) {
      this.update(entry, { waiting: this.waitingReason(entry) });
    }
    this.finishIfDone();
  }

  private waitingReason(entry: Entry): string {
    const running = this.entries.filter((e) => ACTIVE.includes(e.row.state));
    const used = usage(running);
    const cap = this.options.concurrency;
    if (cap !== undefined && running.length >= cap)
      return l10n.t('Waits for a slot: {0} of {1} moves of the plan running.', running.length, cap);
    for (const host of [entry.source, entry.destination]) {
      const limit = this.options.limits(host);
      const slot = used.get(hostKey(host)) ?? { vm: 0, storage: 0 };
      if (slot.vm >= limit.vm) return l10n.t('Waits for a slot on {0}: {1} of {2} migrations running.', host, slot.vm, limit.vm);
      if (entry.movesStorage && slot.storage >= limit.storage)
        return l10n.t('Waits for a slot on {0}: {1} of {2} storage migrations running.', host, slot.storage, limit.storage);
    }
    return l10n.t('Waits for its turn.');
  }

  private async launch(entry: Entry): Promise<void> {
    this.update(entry, { state: 'starting', waiting: undefined, attempts: entry.row.attempts + 1 });
    let handle: MoveHandle;
    try {
      handle = await this.options.executor.start(entry.item.plan);
    } catch (error) {
      this.update(entry, { state: 'failed', why: (error as Error).message });
      this.afterEnd(entry);
      return;
    }
    await this.follow(entry, handle);
  }

  /** Follows a started move to its end. */
  private async follow(entry: Entry, handle: MoveHandle): Promise<void> {
    entry.handle = handle;
    this.update(entry, { state: 'moving', moveId: handle.record().id, progress: handle.record().progress });
    const listening = handle.onProgress((record) => {
      if (entry.handle === handle && !record.outcome) this.update(entry, { progress: record.progress });
    });
    if (this.current === 'cancelling') void this.cancelMove(entry);
    const record = await handle.done;
    listening.dispose();
    this.ended(entry, record);
  }

  /** A bug broke off a move's launch or end: said, and its row ends failed saying so, so the queue still ends. */
  private lost(entry: Entry, error: unknown): void {
    const message = messageOf(error);
    this.options.logger?.error(`Queue: lost track of the move of ${entry.row.vmName}: ${message}`);
    if (ENDED.includes(entry.row.state)) return;
    this.update(entry, {
      state: 'failed',
      why: l10n.t('The queue lost track of this move ({0}): see where {1} is in the Hosts and VMs view.', message, entry.row.vmName),
    });
    this.afterEnd(entry);
  }

  private ended(entry: Entry, record: MoveRecord): void {
    const outcome = record.outcome;
    const message = outcome?.failure?.message ?? '';
    if (outcome?.phase === 'failed' && record.progress.percent === 0 && LIMIT_REACHED.test(message) && this.current !== 'cancelling') {
      // A migration this queue did not start holds a slot: wait for it, as Hyper-V admins would.
      entry.notBeforeMs = Date.now() + this.retryDelayMs;
      entry.handle = undefined;
      this.update(entry, {
        state: 'queued',
        waiting: l10n.t('Refused by a busy host, tried again shortly: {0}', message.split(/\r?\n/).pop() ?? message),
        outcome,
        progress: record.progress,
      });
      this.afterEnd(entry);
      return;
    }
    if (outcome?.phase === 'failed' && record.progress.percent === 0 && LIMIT_REACHED.test(message)) {
      this.update(entry, {
        state: 'not-started',
        progress: record.progress,
        outcome,
        why: l10n.t('The queue was cancelled while this move waited for a slot.'),
      });
      this.afterEnd(entry);
      return;
    }
    const phase = outcome?.phase ?? 'failed';
    const why =
      phase === 'succeeded' ? undefined : (outcome?.summary ?? outcome?.failure?.message ?? l10n.t('The move ended without an outcome.'));
    this.update(entry, { state: phase, progress: record.progress, outcome, why });
    this.afterEnd(entry);
  }

  private afterEnd(entry: Entry): void {
    this.options.logger?.info(`Queue: ${entry.row.vmName} ${entry.row.state}${entry.row.why ? `: ${entry.row.why}` : ''}`);
    if (this.current === 'running') this.dispatch();
    else this.finishIfDone();
  }

  private finishIfDone(): void {
    if (this.current === 'ended' || this.current === 'idle' || this.disposed) return;
    const active = this.entries.some((entry) => ACTIVE.includes(entry.row.state));
    const queued = this.entries.some((entry) => entry.row.state === 'queued');
    if (active || (queued && this.current !== 'cancelling')) return;
    if (!this.entries.every((entry) => ENDED.includes(entry.row.state))) return;
    clearTimeout(this.retryTimer);
    this.summaryValue = this.summarize();
    this.setState('ended');
    this.resolveDone(this.summaryValue);
  }

  private summarize(): QueueSummary {
    const endedAtMs = Date.now();
    const rows = this.rows();
    const moved = rows.filter((row) => row.state === 'succeeded');
    const failed = rows.filter((row) => row.state === 'failed');
    const notMoved = [
      ...rows
        .filter((row) => row.state === 'cancelled' || row.state === 'not-started')
        .map((row) => ({ vmId: row.vmId, vmName: row.vmName, source: row.source, why: row.why ?? l10n.t('Not moved.') })),
      ...(this.options.unmovable ?? []),
    ];
    const total = rows.length + (this.options.unmovable?.length ?? 0);
    const took = formatSeconds(endedAtMs - this.startedAtMs);
    const parts = [
      total === 1
        ? l10n.t('{0} of 1 VM moved in {1}', moved.length, took)
        : l10n.t('{0} of {1} VMs moved in {2}', moved.length, total, took),
    ];
    if (failed.length > 0) parts.push(l10n.t('{0} failed ({1})', failed.length, failed.map((row) => row.vmName).join(', ')));
    if (notMoved.length > 0) parts.push(l10n.t('{0} not moved ({1})', notMoved.length, notMoved.map((row) => row.vmName).join(', ')));
    return {
      moved,
      failed,
      notMoved,
      startedAt: new Date(this.startedAtMs).toISOString(),
      endedAt: new Date(endedAtMs).toISOString(),
      durationMs: endedAtMs - this.startedAtMs,
      text: `${parts.join('; ')}.`,
    };
  }

  private update(entry: Entry, change: Partial<QueueRow>): void {
    if (this.disposed) return;
    const next = { ...entry.row, ...change };
    for (const key of Object.keys(change) as (keyof QueueRow)[]) if (change[key] === undefined) delete (next as Partial<QueueRow>)[key];
    if (JSON.stringify(next) === JSON.stringify(entry.row)) return;
    entry.row = next;
    tellAll(this.rowListeners, [next], (error) => this.options.logger?.error(`Queue: a row listener failed: ${messageOf(error)}`));
  }

  private setState(state: QueueState): void {
    this.current = state;
    tellAll(this.stateListeners, [state], (error) => this.options.logger?.error(`Queue: a state listener failed: ${messageOf(error)}`));
  }
}
