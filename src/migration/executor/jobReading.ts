// What one look at the source's migration jobs says about a move (running, not listed yet, or ended and how),
// and the record of a move that ended: its outcome translated and summarized.

import * as l10n from '@vscode/l10n';
import { sameHost } from '../../hyperv/hostName';
import { explainFailure, type OwnFailure } from '../failures';
import { progressOf, summarize } from '../progress';
import type { MigrationRequest, MoveOutcome, MoveRecord } from '../types';
import type { Incompatibility, JobView, StatusAnswer } from './scripts';

const RUNNING_STATES = new Set([2, 3, 4, 5, 6]);
const COMPLETED = 7;
const CANCELLED_STATES = new Set([8, 9]);
/** Hyper-V's words for a cancelled job, kept as Hyper-V writes them (as its other messages are). */
const CANCELLED_MESSAGE = 'The operation was canceled by the user. (0x800704C7)';

/**
 * How long a move whose job was never seen may take to show one (Compare-VM and Move-VM's own checks run first,
 * and a start script whose answer was lost may still run on the source: a remote command outlives its client).
 */
export const START_GRACE_MS = 120_000;

export type Ended = 'succeeded' | 'failed' | 'cancelled';

/** What one look at the source says about a move. */
export type Reading =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'running'; readonly job: JobView }
  | {
      readonly kind: 'ended';
      readonly phase: Ended;
      readonly percent: number;
      readonly message: string | null;
      /** A failure the executor words itself, named for explainFailure. */
      readonly ownFailure?: OwnFailure;
      readonly job: JobView | null;
      readonly located: StatusAnswer['located'];
      readonly lookupProblem: string | undefined;
    };

/** A start script that failed (`ended`: no part of it still runs) or whose answer was lost. */
export interface StartProblem {
  readonly message: string;
  readonly ended: boolean;
}

export interface Known {
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

export const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

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
  const ended = (phase: Ended, percent: number, message: string | null, ownFailure?: OwnFailure): Reading => ({
    kind: 'ended',
    phase,
    percent,
    message,
    ...(ownFailure && { ownFailure }),
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
          l10n.t("Hyper-V reported the move of '{0}' to '{1}' as completed, but '{0}' is on '{2}'.", vmName, destination, located.host),
        );
  }
  if (job && CANCELLED_STATES.has(job.state)) return ended('cancelled', job.percent, job.errorDescription ?? CANCELLED_MESSAGE);
  if (job) {
    return ended(
      'failed',
      job.percent,
      job.errorDescription ?? l10n.t("The migration job on '{0}' ended in state {1} without a description.", source, job.state),
    );
  }
  // No job: not listed yet, or gone (finished jobs are listed for five minutes): where the VM is tells.
  if (known.jobId === null && nowMs < known.waitUntilMs && !onDestination) return { kind: 'waiting' };
  if (onDestination) return ended('succeeded', 100, null);
  if (known.cancelRequested && located !== null) return ended('cancelled', known.lastPercent, CANCELLED_MESSAGE);
  const notThere =
    located === null ? l10n.t("'{0}' was found on neither host", vmName) : l10n.t("'{0}' is not on '{1}'", vmName, destination);
  if (known.jobId !== null) {
    return ended(
      'failed',
      known.lastPercent,
      l10n.t("The migration job of '{0}' is no longer listed on '{1}', and {2}: the move did not complete.", vmName, source, notThere),
    );
  }
  const noJob = l10n.t("No migration job of '{0}' appeared on '{1}', and {2}: the move did not start.", vmName, source, notThere);
  // A start script that failed says why itself; one whose answer was lost says what was lost, and that no job came.
  const problem = known.startProblem;
  if (problem?.ended) return ended('failed', known.lastPercent, problem.message);
  return ended('failed', known.lastPercent, problem === null ? noJob : `${problem.message}\n${noJob}`, 'noJob');
}

/** The record of a move that ended as `reading` says, with its outcome translated and summarized. */
export function endedRecord(
  record: MoveRecord,
  ending: {
    phase: Ended;
    percent: number;
    message: string | null;
    ownFailure?: OwnFailure;
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
    ...(ending.phase === 'failed' && ending.message !== null && { failure: explainFailure(ending.message, ending.ownFailure) }),
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

/**
 * Move-VM's own error when Compare-VM finds the move incompatible (the lab's too), then each item: Hyper-V's words,
 * kept as Hyper-V writes them, as its other messages are (explainFailure knows them; an admin can search for them).
 */
export function incompatibleMessage(request: MigrationRequest, items: readonly Incompatibility[]): string {
  return [
    `The virtual machine '${request.vmName}' is not compatible with physical computer '${request.destination}'.`,
    ...items.map((i) => `${i.message} (${i.sourceType.replace(/^.*\./, '')}, MessageId ${i.messageId})`),
  ].join('\n');
}
