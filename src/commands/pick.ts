import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { Vm } from '../hyperv/model';
import { HostNode, VmNode } from '../tree/nodes';

/** The clicked or selected tree nodes of one kind (a multi-selection wins over the clicked node). */
function selectedOf<T>(node: unknown, nodes: unknown, kind: abstract new (...args: never[]) => T): T[] {
  const clicked: unknown[] = Array.isArray(nodes) ? nodes : node ? [node] : [];
  return clicked.filter((n): n is T => n instanceof kind);
}

/** One or many of `items` from a quick pick; nothing to choose from, or nothing chosen, cancels. */
async function pickFrom<T extends vscode.QuickPickItem>(
  items: readonly T[],
  title: string,
  many: boolean,
  placeHolder: string,
): Promise<T[]> {
  if (items.length === 0) throw new vscode.CancellationError();
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder });
    if (!picked || picked.length === 0) throw new vscode.CancellationError();
    return picked;
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder });
  if (!picked) throw new vscode.CancellationError();
  return [picked];
}

/** The VMs a command acts on: the multi-selection, else the clicked node, else a quick pick. */
export async function vmsFor(fleet: Fleet, node: unknown, nodes: unknown, title: string, many = true): Promise<Vm[]> {
  const selected = selectedOf(node, nodes, VmNode);
  if (selected.length > 0) return selected.map((n) => n.vm);
  const items = fleet.vms().map((vm) => ({ label: vm.name, description: `${vm.host} · ${vm.state}`, vm }));
  const picked = await pickFrom(items, title, many, many ? vscode.l10n.t('Choose VMs') : vscode.l10n.t('Choose a VM'));
  return picked.map((p) => p.vm);
}

/**
 * The hosts a command acts on: the selection, else the clicked node, else a quick pick of the hosts `offered`
 * (every host when not given; the menus' when-clauses decide which nodes the command shows on).
 */
export async function hostsFor(
  fleet: Fleet,
  node: unknown,
  nodes: unknown,
  title: string,
  many = true,
  offered: (host: string) => boolean = () => true,
): Promise<string[]> {
  const selected = selectedOf(node, nodes, HostNode);
  if (selected.length > 0) return selected.map((n) => n.entry.name);
  const items = fleet
    .hosts()
    .filter((h) => offered(h.name))
    .map((h) => ({ label: h.name }));
  const picked = await pickFrom(items, title, many, many ? vscode.l10n.t('Choose hosts') : vscode.l10n.t('Choose a host'));
  return picked.map((p) => p.label);
}
