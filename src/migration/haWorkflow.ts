// The HA workflow: moving a clustered VM (a VirtualMachine role of a failover cluster) to another cluster or
// a standalone host, as one guarded workflow whose steps are shown and scripted: check (the preflight
// engine; the cluster role is the one finding the workflow resolves), remove the role (HA off), move (the
// executor), add the role on the destination cluster when the destination is a cluster node (HA on),
// verify. If the move fails or is cancelled, HA is restored on the source cluster and the VM is confirmed
// running on its source. A role is added on the node the VM runs on (Add-ClusterVirtualMachineRole does not
// run remotely), and a VM bound for a cluster node keeps its role unless its files go to cluster storage.
// Every step is journaled before it runs and when it ends; after a reload the next extension host picks the
// workflow up (resumeHaWorkflows): it follows a move that still runs, then where the VM is and what holds it
// decide the rest: moved, its role is added on the destination cluster; not moved, HA is restored on the
// source cluster. Nothing new is started after a reload (a move that had not started is not started).
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { array, boolean, object, optionalString, string, stringItem } from '../hyperv/decode';
import { hostKey, sameHost } from '../hyperv/hostName';
import { oneLine, onSourceHost, psLiteral, vmFolder } from '../hyperv/migrationScript';
import { defineScript } from '../powershell/script';
import type { CallOptions, Credential, Logger, PowerShellError, PowerShellRunner } from '../powershell/types';
import { planPowerShell } from './compareVm';
import { renderFix } from './fixes';
import { HaJournal, type HaJournalEntry } from './haJournal';
import { processRuns } from './journal';
import { createPreflightEngine, storageArguments } from './preflight';
import haAddRoleText from './scripts/haAddRole.ps1';
import haRemoveRoleText from './scripts/haRemoveRole.ps1';
import haStateText from './scripts/haState.ps1';
import type {
  FixArgument,
  MigrationRequest,
  MoveExecutor,
  MoveHandle,
  MovePlan,
  MoveRecord,
  PreflightEngine,
  PreflightResult,
} from './types';

// ---- what is read -------------------------------------------------------------------------------------

export interface HaRole {
  readonly cluster: string;
  /** The cluster group's name (the role's name). */
  readonly name: string;
  readonly ownerNode: string;
  readonly state: string;
}

export interface HaState {
  /** Where the VM was found (source first), or null. */
  readonly vm: {
    readonly host: string;
    readonly name: string;
    readonly state: string;
    readonly status: string;
    readonly isClustered: boolean;
  } | null;
  readonly sourceCluster: string | null;
  readonly destinationCluster: string | null;
  /** The VM's role in either cluster, or null. */
  readonly role: HaRole | null;
  readonly destinationVmPath: string | null;
  /**
   * When the destination is a cluster node: its cluster shared volumes (`C:\ClusterStorage\Volume1\`), or
   * null when they could not be read (or the destination is no cluster node).
   */
  readonly sharedVolumes: readonly string[] | null;
  /** Hosts or clusters that did not answer a look. */
  readonly problems: readonly string[];
}

function decodeState(data: unknown): HaState {
  const path = 'haState';
  const o = object(data, path);
  const vm = o.vm === null || o.vm === undefined ? null : object(o.vm, `${path}.vm`);
  const role = o.role === null || o.role === undefined ? null : object(o.role, `${path}.role`);
  return {
    vm: vm && {
      host: string(vm, 'host', `${path}.vm`),
      name: string(vm, 'name', `${path}.vm`),
      state: string(vm, 'state', `${path}.vm`),
      status: typeof vm.status === 'string' ? vm.status : '',
      isClustered: boolean(vm, 'isClustered', `${path}.vm`),
    },
    sourceCluster: optionalString(o, 'sourceCluster', path),
    destinationCluster: optionalString(o, 'destinationCluster', path),
    role: role && {
      cluster: string(role, 'cluster', `${path}.role`),
      name: string(role, 'name', `${path}.role`),
      ownerNode: string(role, 'ownerNode', `${path}.role`),
      state: typeof role.state === 'string' ? role.state : '',
    },
    destinationVmPath: optionalString(o, 'destinationVmPath', path),
    sharedVolumes: o.sharedVolumes === null || o.sharedVolumes === undefined ? null : array(o, 'sharedVolumes', path, stringItem),
    problems: array(o, 'problems', path, stringItem),
  };
}

type RoleParams = Readonly<Record<string, FixArgument>>;

export const haStateScript = defineScript<{ readonly VmId: string; readonly Source: string; readonly Destination: string }, HaState>(
  'haState',
  haStateText,
  decodeState,
);
export const haRemoveRoleScript = defineScript<RoleParams, null>('haRemoveRole', haRemoveRoleText, () => null);
export const haAddRoleScript = defineScript<RoleParams, null>('haAddRole', haAddRoleText, () => null);

// ---- the workflow's shape -----------------------------------------------------------------------------

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

const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** The role the workflow resolves: the only finding the check lets through. */
const CLUSTER_FINDING = 'cluster.role';

function storagePathOf(request: MigrationRequest, vmPath: string | null, vmName: string): string | null {
  if (request.storagePath) return request.storagePath;
  return vmPath ? vmFolder(vmPath, vmName) : null;
}

/**
 * The folder a VM's files go to by default: the destination's default VM folder, or on a cluster node its
 * first cluster shared volume (a node's default folder is often a local disk, where a role cannot fail over).
 */
function defaultFolderOf(state: HaState): string | null {
  if (!state.destinationCluster) return state.destinationVmPath;
  return state.sharedVolumes?.[0] ?? state.destinationVmPath;
}

const SMB_SHARE = /^\\\\[^\\]+\\[^\\]+/;
const SHARED_VOLUME = /^[a-z]:\\ClusterStorage\\[^\\]+/i;

/**
 * Why files at `path` would keep a role of `cluster` from failing over, or null when they would not: a
 * clustered VM's files must be on storage every node reaches, a cluster shared volume of that cluster
 * (C:\ClusterStorage\<volume>\…, one of `sharedVolumes` when those are known) or an SMB share
 * (\\server\share\…); a folder on one node's own disk (D:\Hyper-V) is neither.
 */
export function clusterStorageProblem(
  path: string,
  cluster: string,
  sharedVolumes: readonly string[] | null,
  vmName: string,
): string | null {
  const normal = path.replace(/\//g, '\\');
  if (SMB_SHARE.test(normal)) return null;
  const volume = SHARED_VOLUME.exec(normal)?.[0];
  if (volume && (sharedVolumes === null || sharedVolumes.some((v) => same(v.replace(/\\+$/, ''), volume)))) return null;
  const example = vmFolder(sharedVolumes?.[0] ?? 'C:\\ClusterStorage\\Volume1', vmName);
  return l10n.t(
    "{0} is not on a cluster shared volume of {1} nor on an SMB share: a role of {1} with files there could not fail over to another node. Put {2}'s files on a cluster shared volume, e.g. {3}.",
    path,
    cluster,
    vmName,
    example,
  );
}

/**
 * Reads where the VM is and what holds it (one round trip) and returns the workflow, ready to preview and
 * run; or why it does not apply: the VM is not clustered, or the destination is a node of its own cluster
 * (move the role with the cluster instead).
 */
export async function prepareHaWorkflow(
  options: HaWorkflowOptions,
  request: MigrationRequest,
  extras: { readonly plan?: MovePlan; readonly signal?: AbortSignal } = {},
): Promise<HaPrepared> {
  const credential = options.credentialFor?.(request.source);
  const read = await options.runner.run(
    haStateScript,
    { VmId: request.vmId, Source: request.source, Destination: request.destination },
    { signal: extras.signal, affinity: hostKey(request.source), ...(credential && { credential }) },
  );
  if (!read.ok)
    return {
      ok: false,
      reason: 'unreadable',
      message: l10n.t('Could not read {0} and its cluster: {1}', request.vmName, read.error.message),
      error: read.error,
    };
  const state = read.data;
  if (!state.vm || !sameHost(state.vm.host, request.source)) {
    const message = state.problems.length
      ? l10n.t('{0} was not found on {1} ({2}).', request.vmName, request.source, state.problems.join('; '))
      : l10n.t('{0} was not found on {1}.', request.vmName, request.source);
    return { ok: false, reason: 'not-found', message };
  }
  if (!state.vm.isClustered || !state.sourceCluster || !state.role || !same(state.role.cluster, state.sourceCluster)) {
    return {
      ok: false,
      reason: 'not-clustered',
      message: l10n.t('{0} is not a role of a failover cluster: move it as any other VM.', request.vmName),
    };
  }
  if (state.destinationCluster && same(state.destinationCluster, state.sourceCluster)) {
    return {
      ok: false,
      reason: 'same-cluster',
      message: l10n.t(
        "{0} is a node of {1}, {2}'s own cluster: move the role with the cluster (Move-ClusterVirtualMachineRole, or Failover Cluster Manager).",
        request.destination,
        state.sourceCluster,
        request.vmName,
      ),
    };
  }
  const cluster = state.destinationCluster;
  if (cluster) {
    // Checked before anything changes: the VM keeps its role if its files would land where no role fails over.
    const storagePath = storagePathOf(request, defaultFolderOf(state), request.vmName);
    const paths = [storagePath ?? '', ...(request.vhds ?? []).map((v) => v.destination)].filter((p) => p);
    const problems = paths.map((p) => clusterStorageProblem(p, cluster, state.sharedVolumes, request.vmName)).filter((p) => p !== null);
    if (!storagePath) {
      problems.push(
        state.problems.length
          ? l10n.t(
              'Where its files would go on {0} could not be read ({1}): give a storage path on a cluster shared volume.',
              request.destination,
              state.problems.join('; '),
            )
          : l10n.t(
              'Where its files would go on {0} could not be read: give a storage path on a cluster shared volume.',
              request.destination,
            ),
      );
    }
    if (problems.length > 0) {
      const message = l10n.t(
        '{0} cannot become a role of {1} on {2} as planned. {3}',
        request.vmName,
        cluster,
        request.destination,
        problems.join(' '),
      );
      return { ok: false, reason: 'storage-not-shared', message };
    }
  }
  const shape: Shape = {
    sourceCluster: state.sourceCluster,
    role: state.role.name,
    destinationCluster: state.destinationCluster,
    vmState: state.vm.state,
    vmPath: defaultFolderOf(state),
  };
  return { ok: true, workflow: new Workflow(options, request, shape, extras.plan) };
}

/**
 * The workflows the journal holds unfinished because VS Code was reloaded or closed while they ran, ready
 * to be picked up: `run()` follows a move that still runs (the executor's moves are re-attached first) and
 * then finishes what the workflow had begun, as where the VM is and what holds it say. A workflow whose
 * extension host still runs (another window) is left to it.
 */
export async function resumeHaWorkflows(options: HaWorkflowOptions): Promise<HaWorkflow[]> {
  const logger = options.logger ?? silent;
  const open = await new HaJournal(options.journalDir, logger).open();
  const ours = open.filter((entry) => {
    if (entry.pid === process.pid || !processRuns(entry.pid)) return true;
    logger.info(`HA journal: the workflow of ${entry.plan.request.vmName} is run by another window (process ${entry.pid}); left to it.`);
    return false;
  });
  // The moves re-attached, or recorded as ended while no extension host followed them.
  const moves = ours.length > 0 ? await options.executor.recover() : [];
  return ours.map((entry) => {
    const shape: Shape = {
      sourceCluster: entry.sourceCluster,
      role: entry.role,
      destinationCluster: entry.destinationCluster,
      vmState: entry.vmState,
      vmPath: null,
    };
    return new Workflow(options, entry.plan.request, shape, entry.plan, {
      entry,
      move: moves.find((m) => m.id === entry.moveId && m.outcome),
    });
  });
}

// ---- the workflow -------------------------------------------------------------------------------------

/** What the workflow knows of the VM before it starts. */
interface Shape {
  readonly sourceCluster: string;
  /** The VM's role (cluster group) on the source cluster. */
  readonly role: string;
  readonly destinationCluster: string | null;
  /** The VM's state (a running VM must be running at the end). */
  readonly vmState: string;
  /** Where its files go on the destination by default. */
  readonly vmPath: string | null;
}

/** Thrown at the next step once the workflow is disposed: nothing more runs. */
class Disposed extends Error {}

class Workflow implements HaWorkflow {
  private state: HaWorkflowState;
  private readonly listeners = new Set<(state: HaWorkflowState) => void>();
  private readonly preflight: PreflightEngine;
  private readonly logger: Logger;
  private readonly journal: HaJournal;
  private readonly id: string;
  private readonly startedAt: string;
  private readonly originalState: string;
  private readonly vmPath: string | null;
  private readonly abort = new AbortController();
  private cancelRequested = false;
  private moveHandle: { cancel(): Promise<void> } | undefined;
  private moveId: string | null;
  private moveEnded = false;
  private endedAt: string | undefined;
  private disposed = false;
  private running: Promise<HaWorkflowState> | undefined;

  constructor(
    private readonly options: HaWorkflowOptions,
    private readonly request: MigrationRequest,
    shape: Shape,
    private readonly plan: MovePlan | undefined,
    /** A workflow picked up after a reload: its journal entry, and its move if that ended meanwhile. */
    private readonly picked?: { readonly entry: HaJournalEntry; readonly move: MoveRecord | undefined },
  ) {
    const journaled = picked?.entry;
    this.preflight = options.preflight ?? createPreflightEngine(options.runner, { credentialFor: options.credentialFor });
    this.logger = options.logger ?? silent;
    this.journal = new HaJournal(options.journalDir, this.logger);
    this.id = journaled?.id ?? randomUUID();
    this.startedAt = journaled?.startedAt ?? new Date().toISOString();
    this.moveId = journaled?.moveId ?? null;
    this.originalState = shape.vmState;
    this.vmPath = shape.vmPath;
    const { sourceCluster, role, destinationCluster } = shape;
    this.state = { request, sourceCluster, role, destinationCluster, phase: 'ready', steps: [] };
    const steps = this.initialSteps().map((step) => {
      const seen = journaled?.steps.find((s) => s.id === step.id);
      return seen ? { ...step, status: seen.status, ...(seen.detail !== undefined && { detail: seen.detail }) } : step;
    });
    this.state = { ...this.state, steps };
    if (journaled) {
      const interrupted = steps.find((s) => s.status === 'running');
      this.state = {
        ...this.state,
        resumed: interrupted
          ? l10n.t(
              'VS Code was reloaded while the HA workflow of {0} ran (step: {1}): it was picked up from its journal.',
              request.vmName,
              interrupted.title,
            )
          : l10n.t('VS Code was reloaded while the HA workflow of {0} ran: it was picked up from its journal.', request.vmName),
      };
    }
  }

  snapshot(): HaWorkflowState {
    return this.state;
  }

  onDidChange(listener: (state: HaWorkflowState) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  run(signal?: AbortSignal): Promise<HaWorkflowState> {
    if (!this.running) {
      if (signal?.aborted) this.cancelRequested = true;
      signal?.addEventListener('abort', () => void this.cancel(), { once: true });
      this.running = (this.picked ? this.resume() : this.execute()).catch(async (error: unknown) => {
        if (error instanceof Disposed || this.disposed) return this.state;
        this.logger.error(`HA workflow of ${this.request.vmName}: ${(error as Error).message}`);
        const summary = l10n.t(
          'The HA workflow stopped unexpectedly: {0}. Check where {1} is and whether it is a cluster role.',
          (error as Error).message,
          this.request.vmName,
        );
        return this.end('failed', summary).catch(() => this.state);
      });
    }
    return this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  async cancel(): Promise<void> {
    if (
      this.disposed ||
      this.moveEnded ||
      this.state.phase === 'succeeded' ||
      this.state.phase === 'failed' ||
      this.state.phase === 'cancelled'
    )
      return;
    this.cancelRequested = true;
    if (!this.running) return;
    this.abort.abort();
    await this.moveHandle?.cancel();
    await this.running;
  }

  // ---- the scripts ------------------------------------------------------------------------------------

  private get movePlan(): MovePlan {
    const storagePath = this.state.preflight?.storagePath ?? storagePathOf(this.request, this.vmPath, this.request.vmName);
    const request: MigrationRequest = { ...this.request, ...(storagePath && { storagePath }) };
    return { request, adapterSwitches: this.plan?.adapterSwitches ?? {}, ejectDvd: this.plan?.ejectDvd ?? [] };
  }

  private removeParams(): RoleParams {
    return { Role: this.state.role, Cluster: this.state.sourceCluster };
  }

  /** HA on, run on `host`, the node the VM is on: Add-ClusterVirtualMachineRole does not run remotely. */
  private addParams(host: string): RoleParams {
    return { VmId: this.request.vmId, Role: this.state.role, Host: host };
  }

  private checkScript(): string {
    return [
      `# Checked by the extension's preflight engine (every check of the move, Compare-VM included);`,
      `# the cluster role is the one finding allowed through: the next step removes it.`,
    ].join('\n');
  }

  private moveScript(): string {
    const { request } = this.movePlan;
    const vm = oneLine(request.vmName);
    return onSourceHost(request.source, request.destination, [
      `$vm = Get-VM -Id ${psLiteral(request.vmId)}`,
      `$report = Compare-VM -VM $vm -DestinationHost ${psLiteral(request.destination)} ${storageArguments(
        request,
        request.storagePath
          ? psLiteral(request.storagePath)
          : `((Get-VMHost -ComputerName ${psLiteral(request.destination)} @toDestination).VirtualMachinePath + '\\' + $vm.Name)`,
      )} @hop`,
      ...planPowerShell(this.movePlan, request.destination),
      `if ($report.Incompatibilities) {`,
      `    $report.Incompatibilities | Format-Table MessageId, Message -AutoSize -Wrap`,
      `    throw ${psLiteral(`${vm} cannot move to ${request.destination}: see the incompatibilities above.`)}`,
      `}`,
      `Move-VM -CompatibilityReport $report`,
    ]).join('\n');
  }

  private verifyScript(host: string, cluster: string | null): string {
    const lines = [
      `Get-VM -Id ${psLiteral(this.request.vmId)} -ComputerName ${psLiteral(host)} | Format-Table Name, State, IsClustered, ComputerName`,
    ];
    if (cluster)
      lines.push(
        `Get-ClusterGroup -Name ${psLiteral(this.state.role)} -Cluster ${psLiteral(cluster)} | Format-Table Name, OwnerNode, State`,
      );
    return lines.join('\n');
  }

  private initialSteps(): HaStep[] {
    const { sourceCluster, destinationCluster, role } = this.state;
    const { vmName, source, destination } = this.request;
    return [
      { id: 'check', title: l10n.t('Check the move of {0} to {1}', vmName, destination), status: 'pending', script: this.checkScript() },
      {
        id: 'remove-role',
        title: l10n.t("Remove the role '{0}' from {1} (HA off)", role, sourceCluster),
        status: 'pending',
        script: renderFix(haRemoveRoleText, this.removeParams()),
      },
      { id: 'move', title: l10n.t('Move {0} from {1} to {2}', vmName, source, destination), status: 'pending', script: this.moveScript() },
      destinationCluster
        ? {
            id: 'add-role',
            title: l10n.t('Add {0} as a role of {1} (HA on)', vmName, destinationCluster),
            status: 'pending',
            script: renderFix(haAddRoleText, this.addParams(destination)),
          }
        : {
            id: 'add-role',
            title: l10n.t('No role to add: {0} is not a cluster node', destination),
            status: 'pending',
            script: `# ${destination} is not a cluster node: ${oneLine(vmName)} stays a plain (not highly available) VM there.`,
          },
      {
        id: 'restore-role',
        title: l10n.t('If the move fails or is cancelled: restore the role on {0}', sourceCluster),
        status: 'pending',
        script: renderFix(haAddRoleText, this.addParams(source)),
      },
      {
        id: 'verify',
        title: l10n.t('Verify where {0} runs and what holds it', vmName),
        status: 'pending',
        script: this.verifyScript(destination, destinationCluster),
      },
    ];
  }

  preview(): string {
    const { sourceCluster, destinationCluster } = this.state;
    const { vmName, source, destination } = this.request;
    const step = (id: HaStepId): string => this.state.steps.find((s) => s.id === id)?.script ?? '';
    const indent = (text: string): string =>
      text
        .split('\n')
        .map((line) => (line ? `    ${line}` : line))
        .join('\n');
    const where = destinationCluster ? `a node of cluster ${destinationCluster}` : 'not a cluster node';
    return [
      oneLine(`# HA workflow: move ${vmName}, a role of failover cluster ${sourceCluster}, from ${source} to ${destination} (${where}).`),
      '# Generated by Hyper-V Live Migration for VS Code. Needs the Hyper-V and FailoverClusters PowerShell modules.',
      oneLine(`# If the move fails or is cancelled, HA is restored on ${sourceCluster} and ${vmName} stays on ${source}.`),
      "$ErrorActionPreference = 'Stop'",
      '',
      '# 1. Check',
      step('check'),
      '',
      '# 2. Remove the cluster role (HA off)',
      step('remove-role'),
      '$moved = $false',
      'try {',
      '    # 3. Move (Compare-VM again: anything incompatible stops here, and HA is restored below)',
      indent(step('move')),
      '    $moved = $true',
      '} finally {',
      '    if (-not $moved) {',
      oneLine(`        # The move failed or was cancelled (Ctrl+C too): restore HA on ${sourceCluster}; ${vmName} is still on ${source}.`),
      indent(indent(step('restore-role'))),
      indent(indent(this.verifyScript(source, sourceCluster))),
      '    }',
      '}',
      '',
      destinationCluster ? `# 4. Add the role on ${destinationCluster} (HA on)` : '# 4. Add the role',
      step('add-role'),
      '',
      '# 5. Verify',
      step('verify'),
      '',
    ].join('\n');
  }

  // ---- running ----------------------------------------------------------------------------------------

  private emit(): void {
    for (const listener of [...this.listeners]) listener(this.state);
  }

  private setStep(id: HaStepId, status: HaStepStatus, detail?: string): void {
    this.state = {
      ...this.state,
      steps: this.state.steps.map((s) => (s.id === id ? { ...s, status, ...(detail !== undefined ? { detail } : {}) } : s)),
    };
    this.emit();
  }

  private skipPending(): void {
    this.state = { ...this.state, steps: this.state.steps.map((s) => (s.status === 'pending' ? { ...s, status: 'skipped' } : s)) };
  }

  /** Throws once the workflow is disposed: no step starts, nothing more is journaled. */
  private live(): void {
    if (this.disposed) throw new Disposed(`The HA workflow of ${this.request.vmName} was disposed.`);
  }

  /** A step's new status, journaled before the workflow goes on. */
  private async mark(id: HaStepId, status: HaStepStatus, detail?: string): Promise<void> {
    this.live();
    this.setStep(id, status, detail);
    await this.save();
    this.live();
  }

  private entry(): HaJournalEntry {
    const { sourceCluster, role, destinationCluster, phase, summary } = this.state;
    return {
      id: this.id,
      pid: process.pid,
      startedAt: this.startedAt,
      plan: this.movePlan,
      sourceCluster,
      role,
      destinationCluster,
      vmState: this.originalState,
      moveId: this.moveId,
      steps: this.state.steps.map(({ id, status, detail }) => ({ id, status, ...(detail !== undefined && { detail }) })),
      phase,
      ...(summary !== undefined && { summary }),
      ...(this.endedAt !== undefined && { endedAt: this.endedAt }),
    };
  }

  /** Writes where the workflow is to its journal (a failed write is logged: the workflow goes on, as a move does). */
  private async save(): Promise<void> {
    try {
      await this.journal.write(this.entry());
    } catch (error) {
      this.logger.error(`HA journal: could not write the workflow of ${this.request.vmName}: ${(error as Error).message}`);
    }
  }

  private async end(phase: Exclude<HaPhase, 'ready' | 'running'>, summary: string): Promise<HaWorkflowState> {
    this.live();
    this.skipPending();
    this.endedAt = new Date().toISOString();
    this.state = { ...this.state, phase, summary: this.state.resumed ? `${this.state.resumed} ${summary}` : summary };
    await this.save();
    this.logger.info(`HA workflow of ${this.request.vmName}: ${this.state.summary ?? ''}`);
    this.emit();
    return this.state;
  }

  /** A call about `host`: its stored credential, and the pool session that has its remoting session open (affinity). */
  private call(host: string): CallOptions {
    const credential = this.options.credentialFor?.(host);
    return { affinity: hostKey(host), ...(credential && { credential }) };
  }

  private async execute(): Promise<HaWorkflowState> {
    const { vmName, source, destination } = this.request;
    const { sourceCluster } = this.state;
    this.state = { ...this.state, phase: 'running' };
    this.emit();
    if (this.cancelRequested)
      return this.end(
        'cancelled',
        l10n.t('Cancelled before anything changed: {0} is still a role of {1} on {2}.', vmName, sourceCluster, source),
      );

    // 1. Check: every blocker but the cluster role stops the workflow before anything changes.
    await this.mark('check', 'running');
    if (this.cancelRequested) {
      await this.mark('check', 'skipped', l10n.t('Cancelled.'));
      return this.end(
        'cancelled',
        l10n.t('Cancelled before anything changed: {0} is still a role of {1} on {2}.', vmName, sourceCluster, source),
      );
    }
    let checked: PreflightResult;
    try {
      checked = await this.preflight.check(this.movePlan.request, { plan: this.plan, signal: this.abort.signal });
    } catch (error) {
      if (this.cancelRequested) {
        await this.mark('check', 'skipped', l10n.t('Cancelled.'));
        return this.end(
          'cancelled',
          l10n.t('Cancelled before anything changed: {0} is still a role of {1} on {2}.', vmName, sourceCluster, source),
        );
      }
      throw error;
    }
    this.state = { ...this.state, preflight: checked };
    this.state = { ...this.state, steps: this.state.steps.map((s) => (s.id === 'move' ? { ...s, script: this.moveScript() } : s)) };
    const blockers = checked.findings.filter((f) => f.severity === 'blocker' && f.id !== CLUSTER_FINDING);
    if (blockers.length > 0) {
      const titles = blockers.map((f) => f.title).join('; ');
      await this.mark(
        'check',
        'failed',
        blockers.length === 1 ? l10n.t('1 blocker: {0}.', titles) : l10n.t('{0} blockers: {1}.', blockers.length, titles),
      );
      return this.end(
        'failed',
        l10n.t(
          'Nothing was changed: the move of {0} to {1} is blocked ({2}). Fix that, then run the workflow again.',
          vmName,
          destination,
          titles,
        ),
      );
    }
    const warnings = checked.findings.filter((f) => f.severity === 'warning').length;
    const checkedText =
      warnings === 0
        ? l10n.t('Nothing blocks the move once the role is removed.')
        : warnings === 1
          ? l10n.t('Nothing blocks the move once the role is removed (1 warning).')
          : l10n.t('Nothing blocks the move once the role is removed ({0} warnings).', warnings);
    await this.mark('check', 'succeeded', checkedText);
    if (this.cancelRequested)
      return this.end(
        'cancelled',
        l10n.t('Cancelled before anything changed: {0} is still a role of {1} on {2}.', vmName, sourceCluster, source),
      );

    // 2. HA off. Not cancellable midway: a half-made cluster change would leave HA unknown.
    await this.mark('remove-role', 'running');
    const removed = await this.options.runner.run(haRemoveRoleScript, this.removeParams(), this.call(source));
    if (!removed.ok) {
      await this.mark('remove-role', 'failed', removed.error.message);
      return this.restoreAndVerify(
        'failed',
        l10n.t("Removing the role '{0}' from {1} failed: {2}", this.state.role, sourceCluster, removed.error.message),
        false,
      );
    }
    await this.mark(
      'remove-role',
      'succeeded',
      l10n.t('{0} is no longer a role of {1}; it keeps running on {2}.', vmName, sourceCluster, source),
    );
    if (this.cancelRequested) {
      await this.mark('move', 'skipped', l10n.t('Cancelled before the move started.'));
      return this.restoreAndVerify('cancelled', l10n.t('Cancelled before the move started.'), true);
    }

    // 3. The move, through the executor (journaled, progress from the source's migration job).
    await this.mark('move', 'running', l10n.t('Starting…'));
    let record: MoveRecord;
    try {
      record = await this.follow(await this.options.executor.start(this.movePlan));
    } catch (error) {
      if (error instanceof Disposed) throw error;
      await this.mark('move', 'failed', (error as Error).message);
      return this.restoreAndVerify('failed', l10n.t('The move did not start: {0}', (error as Error).message), true);
    } finally {
      this.moveEnded = true;
    }
    const outcome = record.outcome;
    if (outcome?.phase !== 'succeeded') {
      const phase = outcome?.phase === 'cancelled' ? 'cancelled' : 'failed';
      const why = outcome?.summary ?? (phase === 'cancelled' ? l10n.t('The move was cancelled.') : l10n.t('The move failed.'));
      await this.mark('move', phase === 'cancelled' ? 'skipped' : 'failed', why);
      return this.restoreAndVerify(phase, why, true);
    }
    await this.mark('move', 'succeeded', outcome.summary ?? l10n.t('{0} moved to {1}.', vmName, destination));
    return this.completeOnDestination(outcome.summary);
  }

  /** Follows the move to its end (its id journaled), its progress shown on the move step; cancellable meanwhile. */
  private async follow(handle: MoveHandle): Promise<MoveRecord> {
    this.moveHandle = handle;
    this.moveId = handle.record().id;
    const show = (r: MoveRecord): void => {
      if (this.disposed) return;
      this.state = { ...this.state, move: r };
      this.setStep('move', 'running', `${r.progress.phase} · ${r.progress.percent} %`);
    };
    const subscription = handle.onProgress(show);
    try {
      show(handle.record());
      await this.save();
      if (this.cancelRequested) await handle.cancel();
      const record = await handle.done;
      this.live();
      this.state = { ...this.state, move: record };
      return record;
    } finally {
      subscription.dispose();
    }
  }

  /** After the VM arrived: HA on at the destination cluster (when it is one), then verified there. */
  private async completeOnDestination(moved: string | undefined): Promise<HaWorkflowState> {
    const { vmName, source, destination } = this.request;
    const { destinationCluster } = this.state;
    await this.mark('restore-role', 'skipped', l10n.t('Not needed: the move succeeded.'));

    // 4. HA on, on the destination cluster (unless it is a role there already: a workflow picked up after a reload).
    if (destinationCluster && this.state.steps.find((s) => s.id === 'add-role')?.status !== 'succeeded') {
      await this.mark('add-role', 'running');
      const added = await this.options.runner.run(haAddRoleScript, this.addParams(destination), this.call(destination));
      if (!added.ok) {
        await this.mark('add-role', 'failed', added.error.message);
        const verified = await this.verify(destination, destinationCluster, false);
        const script = this.state.steps.find((s) => s.id === 'add-role')?.script ?? '';
        return this.end(
          'failed',
          verified
            ? l10n.t(
                '{0} moved to {1}, but adding it as a role of {2} failed ({3}): it is NOT highly available. Add the role: {4}',
                vmName,
                destination,
                destinationCluster,
                added.error.message,
                script,
              )
            : l10n.t(
                '{0} moved to {1}, but adding it as a role of {2} failed ({3}): it is NOT highly available. Add the role: {4} (and check where it runs: the verification did not pass).',
                vmName,
                destination,
                destinationCluster,
                added.error.message,
                script,
              ),
        );
      }
      await this.mark('add-role', 'succeeded', l10n.t('{0} is a role of {1} (HA on).', vmName, destinationCluster));
    } else if (!destinationCluster) {
      await this.mark('add-role', 'skipped', l10n.t('{0} is not a cluster node: {1} stays a plain VM there.', destination, vmName));
    }

    // 5. Verify.
    const ok = await this.verify(destination, destinationCluster, true);
    if (!ok)
      return this.end(
        'failed',
        l10n.t('{0} moved, but the verification did not pass: {1}', vmName, this.state.steps.find((s) => s.id === 'verify')?.detail ?? ''),
      );
    return this.end(
      'succeeded',
      destinationCluster
        ? l10n
            .t(
              '{0} moved from {1} to {2} and is a role of {3} again (HA on). {4}',
              vmName,
              source,
              destination,
              destinationCluster,
              moved ?? '',
            )
            .trim()
        : l10n
            .t(
              '{0} moved from {1} to {2}; it runs there as a plain VM, not highly available ({2} is not a cluster node). {3}',
              vmName,
              source,
              destination,
              moved ?? '',
            )
            .trim(),
    );
  }

  /**
   * A workflow picked up from the journal after a reload. A move that was started is followed to its end
   * (the executor re-attached it); then where the VM is and what holds it decide the rest, as the workflow
   * would have: on the destination, its role is added there (a cluster node) and it is verified; still on
   * the source without its role, HA is restored on the source cluster. Nothing new starts: a move that had
   * not started is not started now.
   */
  private async resume(): Promise<HaWorkflowState> {
    const { vmName, source, destination } = this.request;
    const { sourceCluster, destinationCluster } = this.state;
    const status = (id: HaStepId): HaStepStatus | undefined => this.state.steps.find((s) => s.id === id)?.status;
    this.state = { ...this.state, phase: 'running' };
    this.logger.info(`HA workflow of ${vmName}: ${this.state.resumed ?? ''}`);
    const interrupted = this.state.steps.find((s) => s.status === 'running');
    if (interrupted) await this.mark(interrupted.id, 'running', l10n.t('Interrupted by a reload of VS Code; picked up again.'));
    else await this.save();

    // A started move goes on on its host: follow it (found by its id, or by the VM if the id was not journaled
    // yet); one that ended meanwhile says how.
    let record: MoveRecord | undefined = this.picked?.move;
    if (status('move') === 'running') {
      const handle = this.options.executor
        .running()
        .find((h) => (this.moveId ? h.record().id === this.moveId : same(h.record().plan.request.vmId, this.request.vmId)));
      if (handle) record = await this.follow(handle);
      else if (record) this.state = { ...this.state, move: record };
    }
    this.moveEnded = true;

    const read = await this.options.runner.run(
      haStateScript,
      { VmId: this.request.vmId, Source: source, Destination: destination },
      this.call(source),
    );
    this.live();
    if (!read.ok) {
      return this.end(
        'failed',
        l10n.t(
          'Where {0} is and what holds it could not be read ({1}). Check it by hand; if it has no role, add one on the node it runs on: {2}',
          vmName,
          read.error.message,
          this.state.steps.find((s) => s.id === 'restore-role')?.script ?? '',
        ),
      );
    }
    const now = read.data;
    if (now.vm && sameHost(now.vm.host, destination)) {
      if (status('move') !== 'succeeded')
        await this.mark('move', 'succeeded', record?.outcome?.summary ?? l10n.t('{0} is on {1}.', vmName, destination));
      if (destinationCluster && now.role && same(now.role.cluster, destinationCluster))
        await this.mark('add-role', 'succeeded', l10n.t('{0} is a role of {1} (HA on).', vmName, destinationCluster));
      return this.completeOnDestination(record?.outcome?.summary);
    }
    if (now.vm && sameHost(now.vm.host, source)) {
      const outcome = record?.outcome;
      const phase = outcome?.phase === 'cancelled' ? 'cancelled' : 'failed';
      const started = record !== undefined || this.moveId !== null;
      if (status('move') === 'pending' || (status('move') === 'running' && !started))
        await this.mark('move', 'skipped', l10n.t('Not started: VS Code was reloaded before the move started.'));
      else if (status('move') === 'running')
        await this.mark(
          'move',
          phase === 'cancelled' ? 'skipped' : 'failed',
          outcome?.summary ?? l10n.t('{0} did not move: it is on {1}.', vmName, source),
        );
      const why = outcome?.summary ?? l10n.t('{0} was not moved.', vmName);
      if (now.role && same(now.role.cluster, sourceCluster)) {
        // The role was never removed (or is back already): nothing to restore.
        const removed = status('remove-role') === 'succeeded';
        await this.mark('add-role', 'skipped', l10n.t('Not run: the move did not happen.'));
        await this.mark(
          'restore-role',
          removed ? 'succeeded' : 'skipped',
          removed ? l10n.t('{0} is a role of {1} again (HA on).', vmName, sourceCluster) : l10n.t('Not needed: the role was not removed.'),
        );
        const verified = await this.verify(source, sourceCluster, true);
        const where = this.state.verified?.vm;
        const before = removed ? why : l10n.t('Nothing was changed.');
        const summary = !where
          ? l10n.t('{0} {1} is a role of {2}, and it could not be found. Run the workflow again to move it.', before, vmName, sourceCluster)
          : where.state === 'Running'
            ? l10n.t(
                '{0} {1} is a role of {2}, and it is running on {3}. Run the workflow again to move it.',
                before,
                vmName,
                sourceCluster,
                where.host,
              )
            : l10n.t(
                '{0} {1} is a role of {2}, and it is {3} on {4}. Run the workflow again to move it.',
                before,
                vmName,
                sourceCluster,
                where.state,
                where.host,
              );
        return this.end(verified ? phase : 'failed', summary);
      }
      return this.restoreAndVerify(phase, why, true);
    }
    const problems = now.problems.join('; ');
    let lost: string;
    if (now.role) {
      lost = problems
        ? l10n.t(
            '{0} was found on neither {1} nor {2} ({3}); its role is held by {4}. Check where it is before anything else.',
            vmName,
            source,
            destination,
            problems,
            now.role.cluster,
          )
        : l10n.t(
            '{0} was found on neither {1} nor {2}; its role is held by {3}. Check where it is before anything else.',
            vmName,
            source,
            destination,
            now.role.cluster,
          );
    } else {
      lost = problems
        ? l10n.t(
            '{0} was found on neither {1} nor {2} ({3}); its role is in neither cluster. Check where it is before anything else.',
            vmName,
            source,
            destination,
            problems,
          )
        : l10n.t(
            '{0} was found on neither {1} nor {2}; its role is in neither cluster. Check where it is before anything else.',
            vmName,
            source,
            destination,
          );
    }
    return this.end('failed', lost);
  }

  /** After a failed or cancelled move (or a failed role removal): HA back on the source cluster, then verified. */
  private async restoreAndVerify(phase: 'failed' | 'cancelled', why: string, roleRemoved: boolean): Promise<HaWorkflowState> {
    const { vmName, source } = this.request;
    const { sourceCluster } = this.state;
    await this.mark('add-role', 'skipped', l10n.t('Not run: the move did not happen.'));
    let restored = true;
    let restoreError = '';
    if (roleRemoved) {
      await this.mark('restore-role', 'running');
      const added = await this.options.runner.run(haAddRoleScript, this.addParams(source), this.call(source));
      restored = added.ok;
      restoreError = added.ok ? '' : added.error.message;
      await this.mark(
        'restore-role',
        added.ok ? 'succeeded' : 'failed',
        added.ok ? l10n.t('{0} is a role of {1} again (HA on).', vmName, sourceCluster) : restoreError,
      );
    } else {
      await this.mark('restore-role', 'skipped', l10n.t('Not needed: the role was not removed.'));
    }
    const verified = await this.verify(source, sourceCluster, true);
    const where = this.state.verified?.vm;
    const { destination } = this.request;
    if (!restored) {
      const script = this.state.steps.find((s) => s.id === 'restore-role')?.script ?? '';
      const lost = !where
        ? l10n.t(
            '{0} HA could NOT be restored on {1} ({2}), and it could not be found on {3} or {4}. Add the role by hand: {5}',
            why,
            sourceCluster,
            restoreError,
            source,
            destination,
            script,
          )
        : where.state === 'Running'
          ? l10n.t(
              '{0} HA could NOT be restored on {1} ({2}), and it is running on {3}. Add the role by hand: {4}',
              why,
              sourceCluster,
              restoreError,
              where.host,
              script,
            )
          : l10n.t(
              '{0} HA could NOT be restored on {1} ({2}), and it is {3} on {4}. Add the role by hand: {5}',
              why,
              sourceCluster,
              restoreError,
              where.state,
              where.host,
              script,
            );
      return this.end('failed', lost);
    }
    let summary: string;
    if (roleRemoved) {
      summary = !where
        ? l10n.t(
            '{0} HA is restored: {1} is a role of {2} again, and it could not be found on {3} or {4}.',
            why,
            vmName,
            sourceCluster,
            source,
            destination,
          )
        : where.state === 'Running'
          ? l10n.t('{0} HA is restored: {1} is a role of {2} again, and it is running on {3}.', why, vmName, sourceCluster, where.host)
          : l10n.t(
              '{0} HA is restored: {1} is a role of {2} again, and it is {3} on {4}.',
              why,
              vmName,
              sourceCluster,
              where.state,
              where.host,
            );
    } else {
      summary = !where
        ? l10n.t(
            '{0} {1} is still a role of {2}, and it could not be found on {3} or {4}.',
            why,
            vmName,
            sourceCluster,
            source,
            destination,
          )
        : where.state === 'Running'
          ? l10n.t('{0} {1} is still a role of {2}, and it is running on {3}.', why, vmName, sourceCluster, where.host)
          : l10n.t('{0} {1} is still a role of {2}, and it is {3} on {4}.', why, vmName, sourceCluster, where.state, where.host);
    }
    if (!verified)
      summary = l10n.t('{0} The verification did not pass: {1}', summary, this.state.steps.find((s) => s.id === 'verify')?.detail ?? '');
    return this.end(verified ? phase : 'failed', summary);
  }

  /** Reads where the VM is and what holds it, and checks it against what the workflow should have left. */
  private async verify(host: string, cluster: string | null, record: boolean): Promise<boolean> {
    const { vmName } = this.request;
    if (record) {
      this.state = {
        ...this.state,
        steps: this.state.steps.map((s) => (s.id === 'verify' ? { ...s, script: this.verifyScript(host, cluster) } : s)),
      };
      await this.mark('verify', 'running');
    }
    const read = await this.options.runner.run(
      haStateScript,
      { VmId: this.request.vmId, Source: this.request.source, Destination: this.request.destination },
      this.call(host),
    );
    if (!read.ok) {
      if (record) await this.mark('verify', 'failed', l10n.t('Could not read where {0} is: {1}', vmName, read.error.message));
      return false;
    }
    const state = read.data;
    this.state = { ...this.state, verified: state };
    const problems: string[] = [];
    const { source, destination } = this.request;
    if (!state.vm) {
      problems.push(
        state.problems.length
          ? l10n.t('{0} was found on neither {1} nor {2} ({3})', vmName, source, destination, state.problems.join('; '))
          : l10n.t('{0} was found on neither {1} nor {2}', vmName, source, destination),
      );
    } else {
      if (!sameHost(state.vm.host, host)) problems.push(l10n.t('{0} is on {1}, not {2}', vmName, state.vm.host, host));
      if (this.originalState === 'Running' && state.vm.state !== 'Running')
        problems.push(l10n.t('{0} is {1}, not running', vmName, state.vm.state));
      if (state.vm.isClustered !== !!cluster)
        problems.push(cluster ? l10n.t('{0} is not clustered', vmName) : l10n.t('{0} is still clustered', vmName));
    }
    if (cluster) {
      if (!state.role || !same(state.role.cluster, cluster)) problems.push(l10n.t('no role of {0} holds {1}', cluster, vmName));
      else if (!sameHost(state.role.ownerNode, host))
        problems.push(l10n.t('its role is owned by {0}, not {1}', state.role.ownerNode, host));
    } else if (state.role) {
      problems.push(l10n.t('a role of {0} still holds {1}', state.role.cluster, vmName));
    }
    if (record) {
      const vmState = state.vm?.state ?? '';
      const owner = state.role?.ownerNode ?? '';
      let detail: string;
      if (problems.length > 0) detail = `${problems.join('; ')}.`;
      else if (cluster) {
        detail =
          vmState === 'Running'
            ? l10n.t('{0} is running on {1}, a role of {2} owned by {3}.', vmName, host, cluster, owner)
            : l10n.t('{0} is {1} on {2}, a role of {3} owned by {4}.', vmName, vmState, host, cluster, owner);
      } else {
        detail =
          vmState === 'Running'
            ? l10n.t('{0} is running on {1}, not clustered.', vmName, host)
            : l10n.t('{0} is {1} on {2}, not clustered.', vmName, vmState, host);
      }
      await this.mark('verify', problems.length === 0 ? 'succeeded' : 'failed', detail);
    }
    return problems.length === 0;
  }
}
