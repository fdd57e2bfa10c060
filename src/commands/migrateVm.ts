import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import type { Vm } from '../hyperv/model';
import type { FleetPanel } from '../panel/fleetPanel';
import type { MaintenanceMarks } from '../tree/maintenanceMarks';
import { openWithDestinationPick, type DestinationContext } from './destinationPick';
import { vmsFor } from './pick';

/**
 * Migrate…: one VM opens the migration panel (checks, fixes, the move); several VMs go to the fleet panel,
 * which places each and runs them through the limit-keeping queue; a clustered VM runs the HA workflow
 * (role off, move, role on at the destination, HA restored if the move fails).
 */
export async function migrateVm(ctx: DestinationContext, fleetPanel: FleetPanel, node: unknown, nodes: unknown): Promise<void> {
  const vms = await vmsFor(ctx.fleet, node, nodes, vscode.l10n.t('Migrate'));
  if (vms.length > 1) {
    await fleetPanel.migrateMany(vms);
    return;
  }
  const [vm] = vms;
  if (vm?.isClustered) {
    const destination = await pickHaDestination(ctx.fleet, ctx.marks, vm);
    await fleetPanel.moveClusteredVm(vm, destination);
    return;
  }
  openWithDestinationPick(ctx, 'migrate', vms);
}

/** A host outside the VM's cluster; hosts in maintenance are not offered. */
async function pickHaDestination(fleet: Fleet, marks: MaintenanceMarks, vm: Vm): Promise<string> {
  const source = fleet.host(vm.host);
  const cluster = source?.state === 'ok' ? source.inventory.host.cluster : null;
  const items = fleet
    .hosts()
    .filter(
      (h) =>
        !sameHost(h.name, vm.host) &&
        !marks.closed(h.name) &&
        h.state === 'ok' &&
        (!cluster || h.inventory.host.cluster?.toLowerCase() !== cluster.toLowerCase()),
    )
    .map((h) => ({
      label: h.name,
      description:
        h.state === 'ok' && h.inventory.host.cluster
          ? vscode.l10n.t('cluster {0}', h.inventory.host.cluster)
          : vscode.l10n.t('standalone host'),
    }));
  const picked = await vscode.window.showQuickPick(items, {
    title: cluster ? vscode.l10n.t('Move {0} out of cluster {1}', vm.name, cluster) : vscode.l10n.t('Move {0} out of its cluster', vm.name),
    placeHolder: vscode.l10n.t('Destination: the HA workflow takes the cluster role off, moves the VM, and puts it back where it lands'),
  });
  if (!picked) throw new vscode.CancellationError();
  return picked.label;
}
