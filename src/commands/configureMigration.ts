import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { FleetPanel } from '../panel/fleetPanel';
import { HostNode, type TreeNode } from '../tree/nodes';

/**
 * Configure Live Migration…: live migration is between hosts, so several selected hosts are configured
 * together; one host (or none, from the palette) asks which hosts to configure with every host
 * preselected, so Enter configures the whole fleet.
 */
export async function configureMigration(panel: FleetPanel, fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const selected = (Array.isArray(nodes) ? (nodes as TreeNode[]) : node ? [node as TreeNode] : [])
    .filter((n): n is HostNode => n instanceof HostNode)
    .map((n) => n.entry.name);
  if (selected.length >= 2) {
    await panel.configure(selected);
    return;
  }
  const names = fleet.hosts().map((h) => h.name);
  if (names.length < 2) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Live migration runs between hosts: add at least two hosts to configure it.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    names.map((label) => ({ label, picked: true, description: selected.includes(label) ? vscode.l10n.t('selected') : undefined })),
    {
      title: vscode.l10n.t('Configure live migration between these hosts'),
      placeHolder: vscode.l10n.t('Every pair of the chosen hosts is checked (both directions) and made ready'),
      canPickMany: true,
    },
  );
  if (!picked) throw new vscode.CancellationError();
  if (picked.length < 2) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose at least two hosts: live migration runs between them.'));
    return;
  }
  await panel.configure(picked.map((p) => p.label));
}
