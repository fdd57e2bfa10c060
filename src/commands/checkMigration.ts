import * as vscode from 'vscode';
import { openWithDestinationPick, type DestinationContext } from './destinationPick';
import { vmsFor } from './pick';

/** Check Migration…: the panel on the VMs, a destination quick pick with each host's readiness, then the checklist. */
export async function checkMigration(ctx: DestinationContext, node: unknown, nodes: unknown): Promise<void> {
  const vms = await vmsFor(ctx.fleet, node, nodes, vscode.l10n.t('Check migration of'));
  openWithDestinationPick(ctx, 'check', vms);
}
