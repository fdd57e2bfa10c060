import type { Fleet } from '../hyperv/fleet';
import type { MigrationPanel } from '../panel/migrationPanel';
import type { Logger } from '../powershell/types';
import { openWithDestinationPick } from './destinationPick';
import { vmsFor } from './pick';

/** Migrate…: as Check Migration…, and the panel's Migrate button starts the move once nothing blocks. */
export async function migrateVm(panel: MigrationPanel, fleet: Fleet, logger: Logger, node: unknown, nodes: unknown): Promise<void> {
  const vms = await vmsFor(fleet, node, nodes, 'Migrate');
  openWithDestinationPick(panel, fleet, logger, 'migrate', vms);
}
