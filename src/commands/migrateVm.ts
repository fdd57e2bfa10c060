import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import type { Vm } from '../hyperv/model';
import type { FleetPanel } from '../panel/fleetPanel';
import type { MigrationPanel } from '../panel/migrationPanel';
import type { Logger } from '../powershell/types';
import { openWithDestinationPick } from './destinationPick';
import { vmsFor } from './pick';

/**
 * Migrate…: one VM opens the migration panel (checks, fixes, the move); several VMs go to the fleet panel,
 * which places each and runs them through the limit-keeping queue; a clustered VM runs the HA workflow
 * (role off, move, role on at the destination, HA restored if the move fails).
 */
export async function migrateVm(
  panel: MigrationPanel,
  fleetPanel: FleetPanel,
  fleet: Fleet,
  logger: Logger,
  node: unknown,
  nodes: unknown,
): Promise<void> {
  const vms = await vmsFor(fleet, node, nodes, vscode.l10n.t('Migrate'));
  if (vms.length > 1) {
    await fleetPanel.migrateMany(vms);
    return;
  }
  const [vm] = vms;
  if (vm?.isClustered) {
    const destination = await pickHaDestination(fleet, vm);
    await fleetPanel.moveClusteredVm(vm, destination);
    return;
  }
  openWithDestinationPick(panel, fleet, logger, 'migrate', vms);
}

async function pickHaDestination(fleet: Fleet, vm: Vm): Promise<string> {
  const source = fleet.host(vm.host);
  const cluster = source?.state === 'ok' ? source.inventory.host.cluster : null;
  const items = fleet
    .hosts()
    .filter(
      (h) =>
        !sameHost(h.name, vm.host) && h.state === 'ok' && (!cluster || h.inventory.host.cluster?.toLowerCase() !== cluster.toLowerCase()),
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
