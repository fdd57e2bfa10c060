// The HA workflow's steps as PowerShell: each step's script (shown before anything runs, and the same
// parameters the workflow runs them with), and the whole workflow as one guarded script for the preview.

import * as l10n from '@vscode/l10n';
import { oneLine, onSourceHost, psLiteral, vmFolder } from '../../hyperv/migrationScript';
import { planPowerShell } from '../compareVm';
import { storageArguments } from '../preflight';
import type { MigrationRequest, MovePlan, PreflightResult } from '../types';
import { haAddRoleScript, haRemoveRoleScript, type RoleParams } from './state';
import type { HaStep, HaStepId, HaWorkflowState } from './types';

/** The clusters and the role the steps name. */
type Roles = Pick<HaWorkflowState, 'sourceCluster' | 'role' | 'destinationCluster'>;

/** Where the VM's files go: the request's storage path, or its folder under `vmPath`. */
export function storagePathOf(request: MigrationRequest, vmPath: string | null, vmName: string): string | null {
  if (request.storagePath) return request.storagePath;
  return vmPath ? vmFolder(vmPath, vmName) : null;
}

/** The move the workflow makes: to the storage path the check found (or the request's, or the default folder), with the plan's choices. */
export function movePlanOf(
  request: MigrationRequest,
  plan: MovePlan | undefined,
  preflight: PreflightResult | undefined,
  vmPath: string | null,
): MovePlan {
  const storagePath = preflight?.storagePath ?? storagePathOf(request, vmPath, request.vmName);
  const moved: MigrationRequest = { ...request, ...(storagePath && { storagePath }) };
  return { request: moved, adapterSwitches: plan?.adapterSwitches ?? {}, ejectDvd: plan?.ejectDvd ?? [] };
}

/** HA off: the role removed from the source cluster. */
export function removeRoleParams(roles: Roles): RoleParams {
  return { Role: roles.role, Cluster: roles.sourceCluster };
}

/** HA on, run on `host`, the node the VM is on: Add-ClusterVirtualMachineRole does not run remotely. */
export function addRoleParams(request: MigrationRequest, roles: Roles, host: string): RoleParams {
  return { VmId: request.vmId, Role: roles.role, Host: host };
}

function checkScript(): string {
  return [
    `# Checked by the extension's preflight engine (every check of the move, Compare-VM included);`,
    `# the cluster role is the one finding allowed through: the next step removes it.`,
  ].join('\n');
}

export function moveScript(movePlan: MovePlan): string {
  const { request } = movePlan;
  const vm = oneLine(request.vmName);
  return onSourceHost(request.source, request.destination, [
    `$vm = Get-VM -Id ${psLiteral(request.vmId)}`,
    `$report = Compare-VM -VM $vm -DestinationHost ${psLiteral(request.destination)} ${storageArguments(
      request,
      request.storagePath
        ? psLiteral(request.storagePath)
        : `((Get-VMHost -ComputerName ${psLiteral(request.destination)} @toDestination).VirtualMachinePath + '\\' + $vm.Name)`,
    )} @hop`,
    ...planPowerShell(movePlan, request.destination),
    `if ($report.Incompatibilities) {`,
    `    $report.Incompatibilities | Format-Table MessageId, Message -AutoSize -Wrap`,
    `    throw ${psLiteral(`${vm} cannot move to ${request.destination}: see the incompatibilities above.`)}`,
    `}`,
    `Move-VM -CompatibilityReport $report`,
  ]).join('\n');
}

export function verifyScript(request: MigrationRequest, role: string, host: string, cluster: string | null): string {
  const lines = [
    `Get-VM -Id ${psLiteral(request.vmId)} -ComputerName ${psLiteral(host)} | Format-Table Name, State, IsClustered, ComputerName`,
  ];
  if (cluster) lines.push(`Get-ClusterGroup -Name ${psLiteral(role)} -Cluster ${psLiteral(cluster)} | Format-Table Name, OwnerNode, State`);
  return lines.join('\n');
}

export function initialSteps(request: MigrationRequest, roles: Roles, movePlan: MovePlan): HaStep[] {
  const { sourceCluster, destinationCluster, role } = roles;
  const { vmName, source, destination } = request;
  return [
    { id: 'check', title: l10n.t('Check the move of {0} to {1}', vmName, destination), status: 'pending', script: checkScript() },
    {
      id: 'remove-role',
      title: l10n.t("Remove the role '{0}' from {1} (HA off)", role, sourceCluster),
      status: 'pending',
      script: haRemoveRoleScript.preview(removeRoleParams(roles)),
    },
    { id: 'move', title: l10n.t('Move {0} from {1} to {2}', vmName, source, destination), status: 'pending', script: moveScript(movePlan) },
    destinationCluster
      ? {
          id: 'add-role',
          title: l10n.t('Add {0} as a role of {1} (HA on)', vmName, destinationCluster),
          status: 'pending',
          script: haAddRoleScript.preview(addRoleParams(request, roles, destination)),
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
      script: haAddRoleScript.preview(addRoleParams(request, roles, source)),
    },
    {
      id: 'verify',
      title: l10n.t('Verify where {0} runs and what holds it', vmName),
      status: 'pending',
      script: verifyScript(request, role, destination, destinationCluster),
    },
  ];
}

/** The whole workflow as one PowerShell script (guarded: a failed move restores HA on the source cluster). */
export function previewScript(request: MigrationRequest, state: HaWorkflowState): string {
  const { sourceCluster, destinationCluster } = state;
  const { vmName, source, destination } = request;
  const step = (id: HaStepId): string => state.steps.find((s) => s.id === id)?.script ?? '';
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
    indent(indent(verifyScript(request, state.role, source, sourceCluster))),
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
