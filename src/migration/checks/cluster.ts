// Cluster: a highly available VM moves with its cluster, or through the HA workflow, not as a plain move.
import * as l10n from '@vscode/l10n';
import type { Finding } from '../types';
import { same, type CheckContext, type Findings } from './context';

export function clusterFinding(ctx: CheckContext): Finding {
  const cluster = ctx.src?.host.cluster;
  const inside = !!cluster && !!ctx.dst?.host.cluster && same(cluster, ctx.dst.host.cluster);
  return {
    id: 'cluster.role',
    area: 'cluster',
    severity: 'blocker',
    title: cluster
      ? l10n.t('{0} is highly available (a role of cluster {1})', ctx.vmName, cluster)
      : l10n.t('{0} is highly available', ctx.vmName),
    cause: inside
      ? l10n.t(
          '{0} is a role of {1}, and {2} is a node of it: move the role with the cluster (Move-ClusterVirtualMachineRole, or Failover Cluster Manager), not as a shared-nothing move.',
          ctx.vmName,
          cluster,
          ctx.destination,
        )
      : l10n.t(
          "While {0} is a cluster role it cannot leave its cluster's nodes. Moving it to {1} takes the HA workflow of the fleet operations: remove the role (HA off), migrate, add the role on the destination cluster, as one guarded workflow that restores HA if the move fails. A plain move cannot.",
          ctx.vmName,
          ctx.destination,
        ),
    evidence: [
      { source: `Get-VM (${ctx.vmName} on ${ctx.source})`, detail: `IsClustered: True${cluster ? `; Get-Cluster: ${cluster}` : ''}` },
    ],
    fixes: [],
  };
}

export function cluster(ctx: CheckContext, findings: Findings): void {
  if (ctx.src?.vm.isClustered) findings.add(clusterFinding(ctx));
}
