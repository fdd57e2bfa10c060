// The three scripts of a move, each a round trip in the source's persistent session (hostSession.ps1), where
// the move's Move-VM -AsJob job lives: the start (Compare-VM, the plan applied on its report, Move-VM -AsJob), a
// look at the VM's migration jobs (and where the VM is), and a cancel.

import { boolean, list, nullable, number, optionalNumber, optionalString, record, string, stringItem } from '../../hyperv/decode';
import { defineScript } from '../../powershell/script';
import type { VhdParam } from '../preflight';
import jobCancelText from '../scripts/jobCancel.ps1';
import jobStatusText from '../scripts/jobStatus.ps1';
import moveStartText from '../scripts/moveStart.ps1';
import compareArgumentsText from '../scripts/shared/compareArguments.ps1';
import measureMoveBytesText from '../scripts/shared/measureMoveBytes.ps1';
import moveJobText from '../scripts/shared/moveJob.ps1';

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

export interface StatusParams {
  readonly vmId: string;
  readonly source: string;
  readonly destination: string;
  /** Look the VM up even while a job of it runs. */
  readonly locate: boolean;
  /** Wait on the source, up to this long (at most 5 s), for the running job to end before answering. */
  readonly waitMs?: number;
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

export interface CancelAnswer {
  readonly found: boolean;
  readonly returnValue: number | null;
}

const startAnswer: (data: unknown, path: string) => StartAnswer = record({
  started: boolean,
  jobId: optionalString,
  priorJobIds: list(stringItem),
  storagePath: string,
  memoryBytes: number,
  diskBytes: number,
  checkpointBytes: number,
  failure: optionalString,
  cleanupProblem: optionalString,
  incompatibilities: list(record({ messageId: number, message: string, sourceType: string })),
});

const statusAnswer: (data: unknown, path: string) => StatusAnswer = record({
  jobs: list(
    record({
      id: string,
      state: number,
      percent: number,
      elapsedMs: optionalNumber,
      startTime: optionalString,
      errorDescription: optionalString,
    }),
  ),
  located: nullable(record({ host: string, state: string, status: string })),
  lookupProblems: list(stringItem),
});

const cancelAnswer: (data: unknown, path: string) => CancelAnswer = record({ found: boolean, returnValue: optionalNumber });

const decodeStart = (data: unknown): StartAnswer => startAnswer(data, 'start');
const decodeStatus = (data: unknown): StatusAnswer => statusAnswer(data, 'status');
const decodeCancel = (data: unknown): CancelAnswer => cancelAnswer(data, 'cancel');

export const moveStartScript = defineScript<StartParams, StartAnswer>('moveStart', moveStartText, decodeStart, [
  measureMoveBytesText,
  compareArgumentsText,
  moveJobText,
]);
export const jobStatusScript = defineScript<StatusParams, StatusAnswer>('jobStatus', jobStatusText, decodeStatus, [moveJobText]);
export const jobCancelScript = defineScript<{ readonly source: string; readonly jobId: string }, CancelAnswer>(
  'jobCancel',
  jobCancelText,
  decodeCancel,
);
