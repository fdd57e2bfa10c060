import type { Fleet } from '../hyperv/fleet';
import type { FleetPanel } from '../panel/fleetPanel';
import { vmsFor } from './pick';

/**
 * Migrate… for several VMs (a multi-selection, or VMs picked): the fleet panel places each on its
 * best-rated host, shows the ratings with the admin's override, lists what cannot move, then runs the
 * moves through the queue. Signature `(node?, nodes?)` like every command.
 */
export async function migrateMany(panel: FleetPanel, fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const vms = await vmsFor(fleet, node, nodes, 'Migrate VMs');
  await panel.migrateMany(vms);
}
