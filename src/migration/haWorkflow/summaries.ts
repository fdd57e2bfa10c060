// The HA workflow's sentences: how it ended and where the VM is, what the verification found. Each case a whole
// message (l10n), so languages whose word order differs translate them whole.

import * as l10n from '@vscode/l10n';
import { sameHost } from '../../hyperv/hostName';
import type { MigrationRequest } from '../types';
import { same, type HaState } from './state';

/** The VM moved but its role could not be added on the destination cluster: what to do, with the script. */
export function addRoleFailed(
  request: MigrationRequest,
  destinationCluster: string,
  error: string,
  script: string,
  verified: boolean,
): string {
  const { vmName, destination } = request;
  return verified
    ? l10n.t(
        '{0} moved to {1}, but adding it as a role of {2} failed ({3}): it is NOT highly available. Add the role: {4}',
        vmName,
        destination,
        destinationCluster,
        error,
        script,
      )
    : l10n.t(
        '{0} moved to {1}, but adding it as a role of {2} failed ({3}): it is NOT highly available. Add the role: {4} (and check where it runs: the verification did not pass).',
        vmName,
        destination,
        destinationCluster,
        error,
        script,
      );
}

/** How a workflow that moved the VM ended: HA on again at the destination cluster, or a plain VM on a standalone host. */
export function movedSummary(request: MigrationRequest, destinationCluster: string | null, moved: string | undefined): string {
  const { vmName, source, destination } = request;
  return destinationCluster
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
        .trim();
}

/** A workflow picked up after a reload whose VM is on its source, a role of the source cluster: where it is. */
export function stillARoleSummary(before: string, vmName: string, sourceCluster: string, where: HaState['vm'] | undefined): string {
  return !where
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
}

/** The VM is on neither host: where its role is, and that it must be found before anything else. */
export function lostSummary(request: MigrationRequest, now: HaState): string {
  const { vmName, source, destination } = request;
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
  return lost;
}

/** HA could not be restored on the source cluster: where the VM is, and the script that adds the role by hand. */
export function notRestoredSummary(
  why: string,
  request: MigrationRequest,
  sourceCluster: string,
  restoreError: string,
  where: HaState['vm'] | undefined,
  script: string,
): string {
  const { source, destination } = request;
  return !where
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
}

/** After a failed or cancelled move, HA back on the source cluster (or never removed): where the VM is. */
export function restoredSummary(
  why: string,
  request: MigrationRequest,
  sourceCluster: string,
  where: HaState['vm'] | undefined,
  roleRemoved: boolean,
): string {
  const { vmName, source, destination } = request;
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
      ? l10n.t('{0} {1} is still a role of {2}, and it could not be found on {3} or {4}.', why, vmName, sourceCluster, source, destination)
      : where.state === 'Running'
        ? l10n.t('{0} {1} is still a role of {2}, and it is running on {3}.', why, vmName, sourceCluster, where.host)
        : l10n.t('{0} {1} is still a role of {2}, and it is {3} on {4}.', why, vmName, sourceCluster, where.state, where.host);
  }
  return summary;
}

/** What is not as the workflow should have left it: the VM on `host`, running if it ran, clustered exactly when `cluster` is given, its role owned by `host`. */
export function verificationProblems(
  state: HaState,
  request: MigrationRequest,
  host: string,
  cluster: string | null,
  originalState: string,
): string[] {
  const { vmName } = request;
  const problems: string[] = [];
  const { source, destination } = request;
  if (!state.vm) {
    problems.push(
      state.problems.length
        ? l10n.t('{0} was found on neither {1} nor {2} ({3})', vmName, source, destination, state.problems.join('; '))
        : l10n.t('{0} was found on neither {1} nor {2}', vmName, source, destination),
    );
  } else {
    if (!sameHost(state.vm.host, host)) problems.push(l10n.t('{0} is on {1}, not {2}', vmName, state.vm.host, host));
    if (originalState === 'Running' && state.vm.state !== 'Running')
      problems.push(l10n.t('{0} is {1}, not running', vmName, state.vm.state));
    if (state.vm.isClustered !== !!cluster)
      problems.push(cluster ? l10n.t('{0} is not clustered', vmName) : l10n.t('{0} is still clustered', vmName));
  }
  if (cluster) {
    if (!state.role || !same(state.role.cluster, cluster)) problems.push(l10n.t('no role of {0} holds {1}', cluster, vmName));
    else if (!sameHost(state.role.ownerNode, host)) problems.push(l10n.t('its role is owned by {0}, not {1}', state.role.ownerNode, host));
  } else if (state.role) {
    problems.push(l10n.t('a role of {0} still holds {1}', state.role.cluster, vmName));
  }
  return problems;
}

/** The verify step's detail: the problems, or where the VM runs and what holds it. */
export function verifiedDetail(state: HaState, vmName: string, host: string, cluster: string | null, problems: readonly string[]): string {
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
  return detail;
}

/** A workflow picked up from its journal after a reload: which step was interrupted. */
export function resumedNote(vmName: string, interrupted: string | undefined): string {
  return interrupted
    ? l10n.t('VS Code was reloaded while the HA workflow of {0} ran (step: {1}): it was picked up from its journal.', vmName, interrupted)
    : l10n.t('VS Code was reloaded while the HA workflow of {0} ran: it was picked up from its journal.', vmName);
}

/** The check step's detail when blockers other than the cluster role stop the workflow. */
export function blockersDetail(count: number, titles: string): string {
  return count === 1 ? l10n.t('1 blocker: {0}.', titles) : l10n.t('{0} blockers: {1}.', count, titles);
}

/** How a workflow ends that the check stopped: nothing changed. */
export function blockedSummary(vmName: string, destination: string, titles: string): string {
  return l10n.t(
    'Nothing was changed: the move of {0} to {1} is blocked ({2}). Fix that, then run the workflow again.',
    vmName,
    destination,
    titles,
  );
}

/** The check step's detail when nothing but the cluster role blocks the move. */
export function checkedDetail(warnings: number): string {
  return warnings === 0
    ? l10n.t('Nothing blocks the move once the role is removed.')
    : warnings === 1
      ? l10n.t('Nothing blocks the move once the role is removed (1 warning).')
      : l10n.t('Nothing blocks the move once the role is removed ({0} warnings).', warnings);
}
