// The HA workflow's shape: its steps and their states, what it reports, what it is asked, and what preparing
// it answers.

import type { Credential, Logger, PowerShellError, PowerShellRunner } from '../../powershell/types';
import type { MigrationRequest, MoveExecutor, MoveRecord, PreflightEngine, PreflightResult } from '../types';
import type { HaState } from './state';

export type HaStepId = 'check' | 'remove-role' | 'move' | 'add-role' | 'restore-role' | 'verify';
export type HaStepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface HaStep {
  readonly id: HaStepId;
  readonly title: string;
  readonly status: HaStepStatus;
  /** What happened, in a sentence (or the move's phase and percent while it runs). */
  readonly detail?: string;
  /** The PowerShell of the step. */
  readonly script: string;
}

export type HaPhase = 'ready' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface HaWorkflowState {
  readonly request: MigrationRequest;
  readonly sourceCluster: string;
  /** The VM's role on the source cluster, as it was before the workflow. */
  readonly role: string;
  /** The cluster the destination is a node of, or null for a standalone host. */
  readonly destinationCluster: string | null;
  readonly phase: HaPhase;
  readonly steps: readonly HaStep[];
  readonly preflight?: PreflightResult;
  /** The move, as the executor reports it (progress, outcome, failure explained). */
  readonly move?: MoveRecord;
  /** What was verified at the end: where the VM is and what holds it. */
  readonly verified?: HaState;
  /** How the workflow ended and where the VM is, in a sentence or two. */
  readonly summary?: string;
  /** Set when the workflow was picked up from the journal after a reload: what was interrupted, in a sentence. */
  readonly resumed?: string;
}

export interface HaWorkflow {
  snapshot(): HaWorkflowState;
  onDidChange(listener: (state: HaWorkflowState) => void): { dispose(): void };
  /** The whole workflow as one PowerShell script (guarded: a failed move restores HA on the source cluster). */
  preview(): string;
  /** Runs the workflow once (a second call returns the same run); aborting the signal cancels it. */
  run(signal?: AbortSignal): Promise<HaWorkflowState>;
  /** Cancels: before the move nothing more changes; during it the move is cancelled and HA restored. Too late once the move has ended. */
  cancel(): Promise<void>;
  /**
   * Stops here (the extension host goes away): nothing more runs or is journaled, and the journal keeps
   * how far the workflow got for the next extension host (resumeHaWorkflows).
   */
  dispose(): void;
}

export interface HaWorkflowOptions {
  readonly runner: PowerShellRunner;
  readonly executor: MoveExecutor;
  /** The preflight engine (default: one over the runner). */
  readonly preflight?: PreflightEngine;
  /** The credential for a host, when it needs one (the extension's SecretStorage); none by default. */
  readonly credentialFor?: (host: string) => Credential | undefined;
  readonly logger?: Logger;
  /** The folder of the workflow's journal (the extension's global storage), read again after a reload. */
  readonly journalDir: string;
}

export type HaPrepared =
  | { readonly ok: true; readonly workflow: HaWorkflow }
  | {
      readonly ok: false;
      readonly reason: 'unreadable' | 'not-found' | 'not-clustered' | 'same-cluster' | 'storage-not-shared';
      readonly message: string;
      readonly error?: PowerShellError;
    };

/** What the workflow knows of the VM before it starts. */
export interface Shape {
  readonly sourceCluster: string;
  /** The VM's role (cluster group) on the source cluster. */
  readonly role: string;
  readonly destinationCluster: string | null;
  /** The VM's state (a running VM must be running at the end). */
  readonly vmState: string;
  /** Where its files go on the destination by default. */
  readonly vmPath: string | null;
}
