// Runs moves. A move is journaled before it starts; one script on the source host runs Compare-VM, applies
// the plan on the report and starts Move-VM -AsJob; from then on the move belongs to the host, and its
// progress and end are read from the source's Msvm_MigrationJob (not from the session that started it),
// so a move survives a reload: a new executor reads the journal and re-attaches, or records how it ended.
// The same way, when the start script's answer is lost (timeout, a session that died, sessions closed), the
// source is asked before anything is recorded: a job there that it did not list before the start is followed.
// After a failure or cancel the VM is looked up, and the outcome says where it is.

import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { hostKey, sameHost } from '../../hyperv/hostName';
import type { Credential, Logger, PowerShellRunner } from '../../powershell/types';
import { MoveJournal, type JournalEntry } from '../journal';
import { messageOf, tellAll } from '../listeners';
import { progressOf } from '../progress';
import type { MigrationCoreOptions, MoveExecutor, MoveHandle, MovePlan, MoveRecord, MigrationRequest } from '../types';
import { endedRecord, interpret, same, START_GRACE_MS, type Known } from './jobReading';
import { CALL_TIMEOUT_MS, Move, type MoveContext } from './move';
import { jobStatusScript } from './scripts';

export { jobCancelScript, jobStatusScript, moveStartScript, type JobView, type StartAnswer, type StatusAnswer } from './scripts';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface MoveExecutorOptions extends MigrationCoreOptions {
  /** How often a running move's job is read (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** How long a move's job may take to be listed on its source before the move counts as not started (default 120 s). */
  readonly startGraceMs?: number;
  readonly logger?: Logger;
  /** The credential for a host, when it needs one (the extension's SecretStorage); none by default. */
  readonly credentialFor?: (host: string) => Credential | undefined;
}

/**
 * Every script of a move talks to the move's source: each call carries the source's stored credential, when
 * there is one (the start script also hands one on to the destination: see `begin`), and the source as its
 * affinity, so the pool session holding the source's remoting session takes it (hostSession.ps1).
 */
function withSourceCredential(
  runner: PowerShellRunner,
  credentialFor: ((host: string) => Credential | undefined) | undefined,
): PowerShellRunner {
  return {
    concurrency: runner.concurrency,
    run: (script, params, options) => {
      const source = (params as { readonly source?: unknown }).source;
      if (typeof source !== 'string') return runner.run(script, params, options);
      const credential = options?.credential ?? credentialFor?.(source);
      return runner.run(script, params, { affinity: hostKey(source), ...options, ...(credential && { credential }) });
    },
    dispose: () => runner.dispose(),
  };
}

/** Ended moves are kept in the journal this long (days), then forgotten by recover(). */
const JOURNAL_RETENTION_MS = 30 * 24 * 3600 * 1000;

function validatePlan(plan: MovePlan): void {
  const r = plan.request;
  for (const [name, value] of Object.entries({ vmId: r.vmId, vmName: r.vmName, source: r.source, destination: r.destination })) {
    if (typeof value !== 'string' || !value.trim()) throw new Error(l10n.t('The move plan has no {0}.', name));
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r.vmId)) {
    throw new Error(l10n.t("The move plan's vmId is not a VM id: {0}.", JSON.stringify(r.vmId)));
  }
  if (sameHost(r.source, r.destination)) throw new Error(l10n.t('{0} is already on {1}.', r.vmName, r.destination));
}

function refusal(record: MoveRecord, inJournal: boolean): string {
  const { vmName, destination } = record.plan.request;
  return inJournal
    ? l10n.t(
        '{0} is already moving to {1} (started {2}, recorded in the move journal). Wait for that move to end, or cancel it, before starting another.',
        vmName,
        destination,
        record.startedAt,
      )
    : l10n.t(
        '{0} is already moving to {1} (started {2}). Wait for that move to end, or cancel it, before starting another.',
        vmName,
        destination,
        record.startedAt,
      );
}

class Executor implements MoveExecutor {
  private readonly journal: MoveJournal;
  private readonly logger: Logger;
  private readonly ctx: MoveContext;
  /** Moves followed here, by move id. */
  private readonly moves = new Map<string, Move>();
  /** VMs whose start() is between its checks and its journal entry. */
  private readonly starting = new Set<string>();
  private readonly changeListeners = new Set<() => void>();
  private disposed = false;

  constructor(options: MoveExecutorOptions) {
    this.logger = options.logger ?? silent;
    this.journal = new MoveJournal(options.journalDir, this.logger);
    this.ctx = {
      runner: options.runner,
      journal: this.journal,
      logger: this.logger,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      startGraceMs: options.startGraceMs ?? START_GRACE_MS,
      changed: () => this.fire(),
      ...(options.credentialFor && { credentialFor: options.credentialFor }),
    };
  }

  async start(plan: MovePlan): Promise<MoveHandle> {
    if (this.disposed) throw new Error(l10n.t('The move executor is disposed.'));
    validatePlan(plan);
    const key = plan.request.vmId.toLowerCase();
    const here = [...this.moves.values()].find((m) => same(m.record().plan.request.vmId, key));
    if (here) throw new Error(refusal(here.record(), false));
    if (this.starting.has(key)) throw new Error(l10n.t('A move of {0} is being started already.', plan.request.vmName));
    this.starting.add(key);
    try {
      await this.refuseIfRecordedRunning(plan.request);
      if (this.disposed) throw new Error(l10n.t('The move executor is disposed.'));
      const record: MoveRecord = {
        id: randomUUID(),
        plan,
        startedAt: new Date().toISOString(),
        progress: progressOf({ phase: 'starting', percent: 0, bytesTotal: 0, elapsedMs: 0, jobElapsedMs: null }),
      };
      const entry: JournalEntry = { record, jobId: null, priorJobIds: [] };
      await this.journal.write(entry);
      const move = new Move(this.ctx, entry);
      this.track(move);
      void move.begin().catch((error: unknown) => move.resume(error));
      return move;
    } finally {
      this.starting.delete(key);
    }
  }

  /** A move of this VM recorded in the journal by another window (or before a reload) may still run. */
  private async refuseIfRecordedRunning(request: MigrationRequest): Promise<void> {
    const open = (await this.journal.open()).filter((e) => same(e.record.plan.request.vmId, request.vmId) && !this.moves.has(e.record.id));
    for (const entry of open) {
      const { vmId, source, destination } = entry.record.plan.request;
      const status = await this.ctx.runner.run(
        jobStatusScript,
        { vmId, source, destination, locate: false },
        { timeoutMs: CALL_TIMEOUT_MS },
      );
      if (!status.ok) {
        throw new Error(
          l10n.t(
            'The journal holds a move of {0} started {1} whose end was not seen, and {2} cannot be asked about it: {3}',
            request.vmName,
            entry.record.startedAt,
            source,
            status.error.message,
          ),
        );
      }
      const known: Known = {
        jobId: entry.jobId,
        priorJobIds: entry.priorJobIds,
        waitUntilMs: Date.parse(entry.record.startedAt) + this.ctx.startGraceMs,
        startProblem: null,
        request: entry.record.plan.request,
        cancelRequested: false,
        lastPercent: entry.record.progress.percent,
      };
      const reading = interpret(status.data, known, Date.now());
      if (reading.kind !== 'ended') throw new Error(refusal(entry.record, true));
      const ended = endedRecord(entry.record, { ...reading, jobElapsedMs: reading.job?.elapsedMs ?? null }, Date.now());
      await this.journal.write({ ...entry, record: ended });
      this.logger.info(`Move journal: recorded how an earlier move of ${request.vmName} ended: ${ended.outcome?.summary ?? ''}`);
    }
  }

  running(): readonly MoveHandle[] {
    return [...this.moves.values()];
  }

  async recover(): Promise<readonly MoveRecord[]> {
    if (this.disposed) return [];
    let open: JournalEntry[];
    try {
      open = await this.journal.open();
    } catch (error) {
      this.logger.error(`Move journal: cannot read ${this.journal.dir}: ${(error as Error).message}`);
      return [];
    }
    const records = await Promise.all(
      open.map(async (entry): Promise<MoveRecord> => {
        const followed = this.moves.get(entry.record.id);
        if (followed) return followed.record();
        const move = new Move(this.ctx, entry);
        this.track(move);
        await move.attach();
        return move.record();
      }),
    );
    try {
      const pruned = await this.journal.prune(JOURNAL_RETENTION_MS);
      if (pruned > 0) this.logger.info(`Move journal: forgot ${pruned} moves that ended more than 30 days ago.`);
    } catch (error) {
      this.logger.warn(`Move journal: could not prune: ${(error as Error).message}`);
    }
    return records;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    for (const move of this.moves.values()) move.stop();
    this.moves.clear();
    this.changeListeners.clear();
  }

  private track(move: Move): void {
    const id = move.record().id;
    this.moves.set(id, move);
    void move.done.then(() => {
      this.moves.delete(id);
      this.fire();
    });
    this.fire();
  }

  private fire(): void {
    if (this.disposed) return;
    tellAll(this.changeListeners, [], (error) => this.logger.error(`Move executor: a listener failed: ${messageOf(error)}`));
  }
}

/** The move executor over a PowerShell runner, journaling into `journalDir`. */
export function createMoveExecutor(options: MoveExecutorOptions): MoveExecutor {
  return new Executor({ ...options, runner: withSourceCredential(options.runner, options.credentialFor) });
}
