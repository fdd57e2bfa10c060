import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { MigrationPanel } from '../panel/migrationPanel';
import type { Logger } from '../powershell/types';
import { openWithDestinationPick } from './destinationPick';
import { vmsFor } from './pick';

/** Check Migration…: the panel on the VMs, a destination quick pick with each host's readiness, then the checklist. */
export async function checkMigration(panel: MigrationPanel, fleet: Fleet, logger: Logger, node: unknown, nodes: unknown): Promise<void> {
  const vms = await vmsFor(fleet, node, nodes, vscode.l10n.t('Check migration of'));
  openWithDestinationPick(panel, fleet, logger, 'check', vms);
}
