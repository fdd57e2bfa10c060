// One move: notes the source's jobs of the VM, runs the start script, then follows the job on the source until
// the move ends (also after a reload, or when the start script's answer was lost); cancels through the job.

import * as l10n from '@vscode/l10n';
import type { Credential, Logger, PowerShellError, PowerShellErrorKind, PowerShellRunner } from '../../powershell/types';
import type { JournalEntry, MoveJournal } from '../journal';
import { messageOf, tellAll } from '../listeners';
import { destinationCredentialFor, vhdsParam } from '../preflight';
import { progressOf, runningPhase } from '../progress';
import type { MigrationRequest, MoveHandle, MoveRecord } from '../types';
import { endedRecord, incompatibleMessage, interpret, type Known, type StartProblem } from './jobReading';
import { jobCancelScript, jobStatusScript, moveStartScript } from './scripts';

export interface MoveContext {
  readonly runner: PowerShellRunner;
  readonly journal: MoveJournal;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  /** START_GRACE_MS unless the options say otherwise. */
  readonly startGraceMs: number;
  readonly changed: () => void;
  /** The hosts' stored credentials (the runner already carries the source's with every call). */
  readonly credentialFor?: (host: string) => Credential | undefined;
}

const START_TIMEOUT_MS = 180_000;
export const CALL_TIMEOUT_MS = 60_000;

/**
 * Failures of the start script that leave no part of it running: it answered with an error, or never ran.
 * After any other failure (timeout, a session that died, closed sessions, a connection lost, an answer that
 * could not be read) it may have started Move-VM, or still be running on the source.
 */
const START_SCRIPT_ENDED: ReadonlySet<PowerShellErrorKind> = new Set(['scriptError', 'accessDenied', 'moduleMissing', 'powershellMissing']);

export class Move implements MoveHandle {
  readonly done: Promise<MoveRecord>;
  private resolveDone: (record: MoveRecord) => void = () => undefined;
  private current: MoveRecord;
  private jobId: string | null;
  private priorJobIds: readonly string[];
  private readonly listeners = new Set<(record: MoveRecord) => void>();
  private cancelRequested = false;
  private cancelSent = false;
  private stopped = false;
  private lastPercent: number;
  private pollFailures = 0;
  /** Since when a job not listed yet is waited for: the start, or when the start script's answer was lost. */
  private waitFromMs: number;
  /** Why the start script gave no answer that the move started. */
  private startProblem: StartProblem | null = null;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The running job should end before the next look: the look waits on the source for the end (jobStatus waitMs). */
  private endNear = false;

  constructor(
    private readonly ctx: MoveContext,
    entry: JournalEntry,
  ) {
    this.current = entry.record;
    this.jobId = entry.jobId;
    this.priorJobIds = entry.priorJobIds;
    this.lastPercent = entry.record.progress.percent;
    this.waitFromMs = Date.parse(entry.record.startedAt);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get ended(): boolean {
    return this.current.endedAt !== undefined;
  }

  private get request(): MigrationRequest {
    return this.current.plan.request;
  }

  readonly record = (): MoveRecord => this.current;

  readonly onProgress = (listener: (record: MoveRecord) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  async cancel(): Promise<void> {
    if (this.ended) return;
    if (this.stopped)
      throw new Error(l10n.t('The move of {0} is no longer followed here (the executor was disposed).', this.request.vmName));
    this.cancelRequested = true;
    if (this.jobId !== null && !this.cancelSent) await this.sendCancel();
    await this.done;
  }

  /** Stops following the move (the executor is disposed); the move itself goes on on its host. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  /** Notes the source's jobs of the VM, runs the start script, then follows the job. */
  async begin(): Promise<void> {
    const { request } = this.current.plan;
    const plan = this.current.plan;
    // Whatever becomes of the start script's answer, a job of the VM the source did not list before is this move's.
    const { vmId, source, destination } = request;
    const before = await this.ctx.runner.run(jobStatusScript, { vmId, source, destination, locate: false }, { timeoutMs: CALL_TIMEOUT_MS });
    if (this.stopped) return;
    if (!before.ok)
      return this.failBeforeStart(
        l10n.t('The migration jobs on {0} could not be read, so the move was not started: {1}', source, before.error.message),
      );
    this.priorJobIds = before.data.jobs.map((j) => j.id);
    await this.save();
    // The report flow runs on the source, which hands this on for its second hop to the destination.
    const destinationCredential =
      this.ctx.credentialFor && destinationCredentialFor(this.ctx.credentialFor, request.source, request.destination);
    const started = await this.ctx.runner.run(
      moveStartScript,
      {
        vmId: request.vmId,
        source: request.source,
        destination: request.destination,
        storagePath: request.storagePath ?? null,
        vhds: vhdsParam(request),
        adapters: Object.entries(plan.adapterSwitches).map(([id, switchName]) => ({ id, switchName })),
        ejectDvd: plan.ejectDvd,
      },
      { timeoutMs: START_TIMEOUT_MS, ...(destinationCredential && { destinationCredential }) },
    );
    if (this.stopped) return;
    if (!started.ok) return this.lookForJob(started.error);
    const answer = started.data;
    const bytesTotal = answer.memoryBytes + answer.diskBytes + answer.checkpointBytes;
    this.current = { ...this.current, progress: { ...this.current.progress, bytesTotal } };
    const leftover = answer.cleanupProblem
      ? ` ${l10n.t('The planned VM Compare-VM staged on {0} could not be removed ({1}); the next check or move replaces it.', request.destination, answer.cleanupProblem)}`
      : '';
    if (answer.incompatibilities.length > 0) return this.failBeforeStart(incompatibleMessage(request, answer.incompatibilities) + leftover);
    if (!answer.started) return this.failBeforeStart((answer.failure ?? l10n.t('Move-VM did not start the move.')) + leftover);
    this.jobId = answer.jobId;
    this.priorJobIds = answer.priorJobIds;
    await this.save();
    this.emit();
    if (this.cancelRequested && this.jobId !== null && !this.cancelSent)
      await this.sendCancel().catch((e: Error) => this.ctx.logger.error(e.message));
    await this.poll();
    await this.follow();
  }

  /**
   * The start script failed or its answer was lost (timeout, a session that died, sessions closed): Move-VM
   * may have started. Nothing is recorded until the source has been asked: a new job there is this move's and
   * is followed as after a reload; none, and the move did not start (once no part of the script can still run).
   */
  private async lookForJob(error: PowerShellError): Promise<void> {
    const ended = START_SCRIPT_ENDED.has(error.kind);
    this.startProblem = { message: error.message, ended };
    this.waitFromMs = Date.now();
    this.ctx.logger.warn(
      `Move of ${this.request.vmName}: the start script ${ended ? 'failed' : 'gave no answer'} (${error.kind}: ${error.message}); looking for its migration job on ${this.request.source}.`,
    );
    await this.poll();
    await this.follow();
  }

  /** Follows a move read back from the journal; resolves after the first look (the move may have ended). */
  async attach(): Promise<void> {
    await this.poll();
    void this.follow();
  }

  /** Reads the job every poll interval (sooner after a cancel) until the move ends. Never rejects. */
  private async follow(): Promise<void> {
    while (!this.ended && !this.stopped) {
      // Near its end, the next look starts at once and waits on the source instead (for at most two intervals).
      const waitMs = this.endNear && !this.cancelRequested ? 2 * this.ctx.pollIntervalMs : 0;
      if (waitMs === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.ctx.pollIntervalMs);
        });
        this.wake = undefined;
      }
      if (this.ended || this.stopped) return;
      try {
        await this.poll(waitMs);
      } catch (error) {
        // A bug, not the host (the runner answers failures as results): said, and the move is still followed.
        this.ctx.logger.error(`Move of ${this.request.vmName}: reading its progress failed: ${messageOf(error)}`);
      }
    }
  }

  /** Something unexpected broke off begin(): said, and the move is followed from what the source lists. */
  async resume(error: unknown): Promise<void> {
    this.ctx.logger.error(`Move of ${this.request.vmName}: ${messageOf(error)}; following it from what ${this.request.source} lists.`);
    await this.follow();
  }

  private known(): Known {
    return {
      jobId: this.jobId,
      priorJobIds: this.priorJobIds,
      waitUntilMs: this.startProblem?.ended ? this.waitFromMs : this.waitFromMs + this.ctx.startGraceMs,
      startProblem: this.startProblem,
      request: this.request,
      cancelRequested: this.cancelRequested,
      lastPercent: this.lastPercent,
    };
  }

  private async poll(waitMs = 0): Promise<void> {
    const { vmId, source, destination, vmName } = this.request;
    const status = await this.ctx.runner.run(
      jobStatusScript,
      { vmId, source, destination, locate: false, ...(waitMs > 0 && { waitMs }) },
      { timeoutMs: CALL_TIMEOUT_MS + waitMs },
    );
    if (this.stopped || this.ended) return;
    if (!status.ok) {
      if (this.pollFailures++ === 0) this.ctx.logger.warn(`Move of ${vmName}: cannot read its job on ${source}: ${status.error.message}`);
      return;
    }
    if (this.pollFailures > 0) this.ctx.logger.info(`Move of ${vmName}: ${source} answers again.`);
    this.pollFailures = 0;
    const reading = interpret(status.data, this.known(), Date.now());
    if (reading.kind === 'ended') {
      await this.finish({ ...reading, jobElapsedMs: reading.job?.elapsedMs ?? null });
      return;
    }
    if (reading.kind === 'running') {
      const job = reading.job;
      if (this.jobId === null) {
        this.jobId = job.id;
        await this.save();
      }
      this.lastPercent = job.percent;
      this.endNear = endsWithin(job.percent, job.elapsedMs, 2 * this.ctx.pollIntervalMs);
      this.progress(runningPhase(job.percent), job.percent, job.elapsedMs);
      if (this.cancelRequested && !this.cancelSent) await this.sendCancel().catch((e: Error) => this.ctx.logger.error(e.message));
      return;
    }
    this.progress('starting', 0, null);
  }

  private progress(phase: 'starting' | 'moving' | 'completing', percent: number, jobElapsedMs: number | null): void {
    this.current = {
      ...this.current,
      progress: progressOf({
        phase,
        percent,
        bytesTotal: this.current.progress.bytesTotal,
        elapsedMs: Date.now() - Date.parse(this.current.startedAt),
        jobElapsedMs,
      }),
    };
    this.emit();
  }

  private async sendCancel(): Promise<void> {
    const { source, vmName } = this.request;
    if (this.jobId === null) return;
    this.cancelSent = true;
    const result = await this.ctx.runner.run(jobCancelScript, { source, jobId: this.jobId }, { timeoutMs: CALL_TIMEOUT_MS });
    if (!result.ok) {
      this.cancelSent = false;
      throw new Error(l10n.t('Could not cancel the move of {0} on {1}: {2}', vmName, source, result.error.message));
    }
    this.ctx.logger.info(
      `Move of ${vmName}: cancel requested on ${source} (${result.data.found ? `ReturnValue ${result.data.returnValue}` : 'its job is no longer listed'}).`,
    );
    this.wake?.();
  }

  /** The move did not start: say why, and where the VM is. */
  private async failBeforeStart(message: string): Promise<void> {
    const { vmId, source, destination } = this.request;
    const status = await this.ctx.runner.run(jobStatusScript, { vmId, source, destination, locate: true }, { timeoutMs: CALL_TIMEOUT_MS });
    if (this.stopped) return;
    const located = status.ok ? status.data.located : null;
    const lookupProblem = status.ok ? status.data.lookupProblems.join('; ') || undefined : status.error.message;
    await this.finish({ phase: 'failed', percent: 0, message, located, lookupProblem, jobElapsedMs: null });
  }

  private async finish(ending: Parameters<typeof endedRecord>[1]): Promise<void> {
    this.current = endedRecord(this.current, ending, Date.now());
    await this.save();
    this.ctx.logger.info(`Move of ${this.request.vmName}: ${this.current.outcome?.summary ?? this.current.outcome?.phase}`);
    this.emit();
    this.resolveDone(this.current);
  }

  private async save(): Promise<void> {
    try {
      await this.ctx.journal.write({ record: this.current, jobId: this.jobId, priorJobIds: this.priorJobIds });
    } catch (error) {
      this.ctx.logger.error(`Move journal: could not write move ${this.current.id}: ${(error as Error).message}`);
    }
  }

  private emit(): void {
    tellAll(this.listeners, [this.current], (error) =>
      this.ctx.logger.error(`Move of ${this.request.vmName}: a progress listener failed: ${messageOf(error)}`),
    );
    this.ctx.changed();
  }
}

/**
 * Whether a job `percent` done after `elapsedMs` should end within `ms`, at the rate it went so far (a job that
 * reports no time yet: from 95 % on).
 */
export function endsWithin(percent: number, elapsedMs: number | null, ms: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  if (elapsedMs === null || elapsedMs <= 0) return percent >= 95;
  return (elapsedMs * (100 - percent)) / percent <= ms;
}
