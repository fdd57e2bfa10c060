import * as vscode from 'vscode';
import { pickDestination, type DestinationContext } from './destinationPick';
import { vmsFor } from './pick';

/**
 * Copy Migration as PowerShell: pick the destination (with its readiness), check it, and put the whole
 * plan on the clipboard: the checks as comments, Compare-VM and Move-VM. The panel shows the checklist.
 */
export async function copyMigrationScript(ctx: DestinationContext, node: unknown): Promise<string> {
  const { panel, fleet } = ctx;
  const [vm] = await vmsFor(fleet, node, undefined, vscode.l10n.t('Copy migration as PowerShell'), false);
  if (!vm) throw new vscode.CancellationError();
  const [session] = panel.show('copy', [vm]);
  const host =
    session.chosen ?? (await pickDestination(ctx, session, vscode.l10n.t('Copy the migration of {0} as PowerShell: move to…', vm.name)));
  if (!host) throw new vscode.CancellationError();
  if (host !== session.chosen) await panel.choose(vm.id, host);
  return panel.copyScript(vm.id);
}
