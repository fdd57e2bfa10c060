// Preparing the HA workflow: where the VM is and what holds it decide whether the workflow applies (a clustered
// VM bound for another cluster or a standalone host, its files where a role can fail over), and the workflows
// the journal holds unfinished after a reload are picked up.

import * as l10n from '@vscode/l10n';
import { hostKey, sameHost } from '../../hyperv/hostName';
import { vmFolder } from '../../hyperv/migrationScript';
import { HaJournal } from '../haJournal';
import { processRuns } from '../journal';
import type { MigrationRequest, MovePlan } from '../types';
import { haStateScript, same, type HaState } from './state';
import { storagePathOf } from './steps';
import type { HaPrepared, HaWorkflow, HaWorkflowOptions, Shape } from './types';
import { silent, Workflow } from './workflow';

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
