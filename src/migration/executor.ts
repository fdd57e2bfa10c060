// Runs moves. A move is journaled before it starts; one script on the source host runs Compare-VM, applies
// the plan on the report and starts Move-VM -AsJob; from then on the move belongs to the host, and its
// progress and end are read from the source's Msvm_MigrationJob (not from the session that started it),
// so a move survives a reload: a new executor reads the journal and re-attaches, or records how it ended.
// The same way, when the start script's answer is lost (timeout, a session that died, sessions closed), the
// source is asked before anything is recorded: a job there that it did not list before the start is followed.
// After a failure or cancel the VM is looked up, and the outcome says where it is.

import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { array, boolean, number, object, optionalNumber, optionalString, string, stringItem } from '../hyperv/decode';
import { sameHost } from '../hyperv/hostName';
import { defineScript } from '../powershell/script';
import type { Credential, Logger, PowerShellError, PowerShellErrorKind, PowerShellRunner } from '../powershell/types';
import { explainFailure } from './failures';
import { MoveJournal, type JournalEntry } from './journal';
import { destinationCredentialFor, vhdsParam, type VhdParam } from './preflight';
import { progressOf, runningPhase, summarize } from './progress';
import type { MigrationCoreOptions, MoveExecutor, MoveHandle, MoveOutcome, MovePlan, MoveRecord, MigrationRequest } from './types';
import jobCancelText from './scripts/jobCancel.ps1';
import jobStatusText from './scripts/jobStatus.ps1';
import moveStartText from './scripts/moveStart.ps1';
import compareArgumentsText from './scripts/shared/compareArguments.ps1';
import onSourceText from './scripts/shared/onSource.ps1';
import measureMoveBytesText from './scripts/shared/measureMoveBytes.ps1';
import moveJobText from './scripts/shared/moveJob.ps1';
import { messageOf, tellAll } from './listeners';

// ---- scripts -------------------------------------------------------------------------------------------

interface StartParams {
  readonly vmId: string;
  readonly source: string;
  readonly destination: string;
  readonly storagePath: string | null;
  /** Each disk to its own file (the rest of the VM to storagePath); null: everything to storagePath. */
  readonly vhds: readonly VhdParam[] | null;
  readonly adapters: readonly { readonly id: string; readonly switchName: string | null }[];
  readonly ejectDvd: readonly string[];
}

export interface Incompatibility {
  readonly messageId: number;
  readonly message: string;
  readonly sourceType: string;
}

export interface StartAnswer {
  readonly started: boolean;
  readonly jobId: string | null;
  readonly priorJobIds: readonly string[];
  readonly storagePath: string;
  readonly memoryBytes: number;
  readonly diskBytes: number;
  readonly checkpointBytes: number;
  readonly failure: string | null;
  /** A move that did not start had its staged planned VM removed; why that failed, when it did. */
  readonly cleanupProblem: string | null;
  readonly incompatibilities: readonly Incompatibility[];
}

interface StatusParams {
  readonly vmId: string;
  readonly source: string;
  readonly destination: string;
  /** Look the VM up even while a job of it runs. */
  readonly locate: boolean;
}

export interface JobView {
  readonly id: string;
  /** CIM_ConcreteJob JobState: 4 running, 7 completed, 8 terminated, 9 killed, 10 exception. */
  readonly state: number;
  readonly percent: number;
  readonly elapsedMs: number | null;
  readonly startTime: string | null;
  readonly errorDescription: string | null;
}

export interface StatusAnswer {
  readonly jobs: readonly JobView[];
  readonly located: { readonly host: string; readonly state: string; readonly status: string } | null;
  readonly lookupProblems: readonly string[];
}

interface CancelAnswer {
  readonly found: boolean;
  readonly returnValue: number | null;
}

function decodeStart(data: unknown): StartAnswer {
  const o = object(data, 'start');
  return {
    started: boolean(o, 'started', 'start'),
    jobId: optionalString(o, 'jobId', 'start'),
    priorJobIds: array(o, 'priorJobIds', 'start', stringItem),
    storagePath: string(o, 'storagePath', 'start'),
    memoryBytes: number(o, 'memoryBytes', 'start'),
    diskBytes: number(o, 'diskBytes', 'start'),
    checkpointBytes: number(o, 'checkpointBytes', 'start'),
    failure: optionalString(o, 'failure', 'start'),
    cleanupProblem: optionalString(o, 'cleanupProblem', 'start'),
    incompatibilities: array(o, 'incompatibilities', 'start', (v, p) => {
      const i = object(v, p);
      return { messageId: number(i, 'messageId', p), message: string(i, 'message', p), sourceType: string(i, 'sourceType', p) };
    }),
  };
}

function decodeStatus(data: unknown): StatusAnswer {
  const o = object(data, 'status');
  const located = o.located === null || o.located === undefined ? null : object(o.located, 'status.located');
  return {
    jobs: array(o, 'jobs', 'status', (v, p) => {
      const j = object(v, p);
      return {
        id: string(j, 'id', p),
        state: number(j, 'state', p),
        percent: number(j, 'percent', p),
        elapsedMs: optionalNumber(j, 'elapsedMs', p),
        startTime: optionalString(j, 'startTime', p),
        errorDescription: optionalString(j, 'errorDescription', p),
      };
    }),
    located: located && {
      host: string(located, 'host', 'status.located'),
      state: string(located, 'state', 'status.located'),
      status: string(located, 'status', 'status.located'),
    },
    lookupProblems: array(o, 'lookupProblems', 'status', stringItem),
  };
}

function decodeCancel(data: unknown): CancelAnswer {
  const o = object(data, 'cancel');
  return { found: boolean(o, 'found', 'cancel'), returnValue: optionalNumber(o, 'returnValue', 'cancel') };
}

export const moveStartScript = defineScript<StartParams, StartAnswer>('moveStart', moveStartText, decodeStart, [
  measureMoveBytesText,
  compareArgumentsText,
  onSourceText,
  moveJobText,
]);
export const jobStatusScript = defineScript<StatusParams, StatusAnswer>('jobStatus', jobStatusText, decodeStatus, [moveJobText]);
export const jobCancelScript = defineScript<{ readonly source: string; readonly jobId: string }, CancelAnswer>(
  'jobCancel',
  jobCancelText,
  decodeCancel,
);

// ---- reading a job -------------------------------------------------------------------------------------

const RUNNING_STATES = new Set([2, 3, 4, 5, 6]);
const COMPLETED = 7;
const CANCELLED_STATES = new Set([8, 9]);
const CANCELLED_MESSAGE = 'The operation was canceled by the user. (0x800704C7)';

/**
 * How long a move whose job was never seen may take to show one (Compare-VM and Move-VM's own checks run first,
 * and a start script whose answer was lost may still run on the source: a remote command outlives its client).
 */
const START_GRACE_MS = 120_000;

type Ended = 'succeeded' | 'failed' | 'cancelled';

/** What one look at the source says about a move. */
export type Reading =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'running'; readonly job: JobView }
  | {
      readonly kind: 'ended';
      readonly phase: Ended;
      readonly percent: number;
      readonly message: string | null;
      readonly job: JobView | null;
      readonly located: StatusAnswer['located'];
      readonly lookupProblem: string | undefined;
    };

/** A start script that failed (`ended`: no part of it still runs) or whose answer was lost. */
interface StartProblem {
  readonly message: string;
  readonly ended: boolean;
}

interface Known {
  readonly jobId: string | null;
  readonly priorJobIds: readonly string[];
  /** Until when a job not listed yet is waited for. */
  readonly waitUntilMs: number;
  /** Why the start script gave no answer that the move started, when it gave none (StartProblem). */
  readonly startProblem: StartProblem | null;
  readonly request: MigrationRequest;
  readonly cancelRequested: boolean;
  /** The last percent seen, for a job that is gone. */
  readonly lastPercent: number;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function pickJob(jobs: readonly JobView[], known: Known): JobView | null {
  if (known.jobId !== null) return jobs.find((j) => same(j.id, known.jobId as string)) ?? null;
  const fresh = jobs.filter((j) => !known.priorJobIds.some((p) => same(p, j.id)));
  const running = fresh.find((j) => RUNNING_STATES.has(j.state));
  if (running) return running;
  return [...fresh].sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''))[0] ?? null;
}

export function interpret(status: StatusAnswer, known: Known, nowMs: number): Reading {
  const job = pickJob(status.jobs, known);
  const { vmName, source, destination } = known.request;
  const located = status.located;
  const lookupProblem = status.lookupProblems.length > 0 ? status.lookupProblems.join('; ') : undefined;
  const onDestination = located !== null && sameHost(located.host, destination);
  const ended = (phase: Ended, percent: number, message: string | null): Reading => ({
    kind: 'ended',
    phase,
    percent,
    message,
    job,
    located,
    lookupProblem,
  });
  if (job && RUNNING_STATES.has(job.state)) return { kind: 'running', job };
  if (job && job.state === COMPLETED) {
    // Hyper-V's word is enough, unless the VM turned up somewhere else.
    return located === null || onDestination
      ? ended('succeeded', 100, null)
      : ended(
          'failed',
          100,
          `Hyper-V reported the move of '${vmName}' to '${destination}' as completed, but '${vmName}' is on '${located.host}'.`,
        );
  }
  if (job && CANCELLED_STATES.has(job.state)) return ended('cancelled', job.percent, job.errorDescription ?? CANCELLED_MESSAGE);
  if (job) {
    return ended(
      'failed',
      job.percent,
      job.errorDescription ?? `The migration job on '${source}' ended in state ${job.state} without a description.`,
    );
  }
  // No job: not listed yet, or gone (finished jobs are listed for five minutes): where the VM is tells.
  if (known.jobId === null && nowMs < known.waitUntilMs && !onDestination) return { kind: 'waiting' };
  if (onDestination) return ended('succeeded', 100, null);
  if (known.cancelRequested && located !== null) return ended('cancelled', known.lastPercent, CANCELLED_MESSAGE);
  const notThere = located === null ? `'${vmName}' was found on neither host` : `'${vmName}' is not on '${destination}'`;
  if (known.jobId !== null) {
    return ended(
      'failed',
      known.lastPercent,
      `The migration job of '${vmName}' is no longer listed on '${source}', and ${notThere}: the move did not complete.`,
    );
  }
  const noJob = `No migration job of '${vmName}' appeared on '${source}', and ${notThere}: the move did not start.`;
  // A start script that failed says why itself; one whose answer was lost says what was lost, and that no job came.
  const problem = known.startProblem;
  return ended('failed', known.lastPercent, problem === null ? noJob : problem.ended ? problem.message : `${problem.message}\n${noJob}`);
}

/** The record of a move that ended as `reading` says, with its outcome translated and summarized. */
function endedRecord(
  record: MoveRecord,
  ending: {
    phase: Ended;
    percent: number;
    message: string | null;
    located: StatusAnswer['located'];
    lookupProblem?: string;
    jobElapsedMs: number | null;
  },
  nowMs: number,
): MoveRecord {
  const { vmName, source, destination } = record.plan.request;
  const elapsedMs = Math.max(0, nowMs - Date.parse(record.startedAt));
  const progress = progressOf({
    phase: ending.phase,
    percent: ending.phase === 'succeeded' ? 100 : ending.percent,
    bytesTotal: record.progress.bytesTotal,
    elapsedMs,
    jobElapsedMs: ending.jobElapsedMs,
  });
  const found = ending.located ? { host: ending.located.host, state: ending.located.state } : null;
  const outcome: MoveOutcome = {
    phase: ending.phase,
    durationMs: elapsedMs,
    bytesMoved: progress.bytesMoved,
    ...(ending.phase === 'failed' && ending.message !== null && { failure: explainFailure(ending.message) }),
    ...(found && { vmFoundOn: found }),
    summary: summarize(
      vmName,
      source,
      destination,
      { phase: ending.phase, durationMs: elapsedMs, bytesMoved: progress.bytesMoved, percent: progress.percent },
      found,
      ending.lookupProblem,
    ),
  };
  return { ...record, endedAt: new Date(nowMs).toISOString(), progress, outcome };
}

function incompatibleMessage(request: MigrationRequest, items: readonly Incompatibility[]): string {
  return [
    `The virtual machine '${request.vmName}' is not compatible with physical computer '${request.destination}'.`,
    ...items.map((i) => `${i.message} (${i.sourceType.replace(/^.*\./, '')}, MessageId ${i.messageId})`),
  ].join('\n');
}

// ---- one move ------------------------------------------------------------------------------------------

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

interface Context {
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
const CALL_TIMEOUT_MS = 60_000;

/**
 * Failures of the start script that leave no part of it running: it answered with an error, or never ran.
 * After any other failure (timeout, a session that died, closed sessions, a connection lost, an answer that
 * could not be read) it may have started Move-VM, or still be running on the source.
 */
const START_SCRIPT_ENDED: ReadonlySet<PowerShellErrorKind> = new Set(['scriptError', 'accessDenied', 'moduleMissing', 'powershellMissing']);

class Move implements MoveHandle {
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

  constructor(
    private readonly ctx: Context,
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
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.ctx.pollIntervalMs);
      });
      this.wake = undefined;
      if (this.ended || this.stopped) return;
      try {
        await this.poll();
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

  private async poll(): Promise<void> {
    const { vmId, source, destination, vmName } = this.request;
    const status = await this.ctx.runner.run(jobStatusScript, { vmId, source, destination, locate: false }, { timeoutMs: CALL_TIMEOUT_MS });
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

// ---- the executor --------------------------------------------------------------------------------------

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
 * there is one. (The start script also hands one on to the destination: see `begin`.)
 */
function withSourceCredential(
  runner: PowerShellRunner,
  credentialFor: ((host: string) => Credential | undefined) | undefined,
): PowerShellRunner {
  if (!credentialFor) return runner;
  return {
    run: (script, params, options) => {
      const source = (params as { readonly source?: unknown }).source;
      const credential = options?.credential ?? (typeof source === 'string' ? credentialFor(source) : undefined);
      return runner.run(script, params, { ...options, ...(credential && { credential }) });
    },
    dispose: () => runner.dispose(),
  };
}

/** Ended moves are kept in the journal this long (days), then forgotten by recover(). */
const JOURNAL_RETENTION_MS = 30 * 24 * 3600 * 1000;

function validatePlan(plan: MovePlan): void {
  const r = plan.request;
  for (const [name, value] of Object.entries({ vmId: r.vmId, vmName: r.vmName, source: r.source, destination: r.destination })) {
    if (typeof value !== 'string' || !value.trim()) throw new Error(`The move plan has no ${name}.`);
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r.vmId)) {
    throw new Error(`The move plan's vmId is not a VM id: ${JSON.stringify(r.vmId)}.`);
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
  private readonly ctx: Context;
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
    if (this.disposed) throw new Error('The move executor is disposed.');
    validatePlan(plan);
    const key = plan.request.vmId.toLowerCase();
    const here = [...this.moves.values()].find((m) => same(m.record().plan.request.vmId, key));
    if (here) throw new Error(refusal(here.record(), false));
    if (this.starting.has(key)) throw new Error(l10n.t('A move of {0} is being started already.', plan.request.vmName));
    this.starting.add(key);
    try {
      await this.refuseIfRecordedRunning(plan.request);
      if (this.disposed) throw new Error('The move executor is disposed.');
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
