import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { Vm } from '../hyperv/model';
import { HostNode, VmNode, type TreeNode } from '../tree/nodes';

/** The VMs a command acts on: the multi-selection, else the clicked node, else a quick pick. */
export async function vmsFor(fleet: Fleet, node: unknown, nodes: unknown, title: string, many = true): Promise<Vm[]> {
  const selected = (Array.isArray(nodes) ? (nodes as TreeNode[]) : node ? [node as TreeNode] : []).filter(
    (n): n is VmNode => n instanceof VmNode,
  );
  if (selected.length > 0) return selected.map((n) => n.vm);
  const vms = fleet.vms();
  if (vms.length === 0) throw new vscode.CancellationError();
  const items = vms.map((vm) => ({ label: vm.name, description: `${vm.host} · ${vm.state}`, vm }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: vscode.l10n.t('Choose VMs') });
    if (!picked || picked.length === 0) throw new vscode.CancellationError();
    return picked.map((p) => p.vm);
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose a VM') });
  if (!picked) throw new vscode.CancellationError();
  return [picked.vm];
}

/** The hosts a command acts on: the selection, else the clicked node, else a quick pick. */
export async function hostsFor(fleet: Fleet, node: unknown, nodes: unknown, title: string, many = true): Promise<string[]> {
  const selected = (Array.isArray(nodes) ? (nodes as TreeNode[]) : node ? [node as TreeNode] : []).filter(
    (n): n is HostNode => n instanceof HostNode,
  );
  if (selected.length > 0) return selected.map((n) => n.entry.name);
  const names = fleet.hosts().map((h) => h.name);
  if (names.length === 0) throw new vscode.CancellationError();
  const items = names.map((label) => ({ label }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: vscode.l10n.t('Choose hosts') });
    if (!picked || picked.length === 0) throw new vscode.CancellationError();
    return picked.map((p) => p.label);
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose a host') });
  if (!picked) throw new vscode.CancellationError();
  return [picked.label];
}
