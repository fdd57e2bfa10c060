import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import { migrationScript } from '../hyperv/migrationScript';
import type { MigrationPanel } from '../panel/migrationPanel';
import type { PanelIntent } from '../panel/protocol';
import { hostsFor, vmsFor } from './pick';

/** Check, Migrate: the panel opens on the selected VMs (the preflight and the move run there). */
export async function openForVms(panel: MigrationPanel, fleet: Fleet, intent: PanelIntent, node: unknown, nodes: unknown): Promise<void> {
  const vms = await vmsFor(fleet, node, nodes, intent === 'check' ? 'Check migration of' : 'Migrate', intent === 'migrate');
  panel.show(intent, vms);
}

/** Drain, Configure Live Migration: the panel opens on the selected hosts. */
export async function openForHosts(panel: MigrationPanel, fleet: Fleet, intent: PanelIntent, node: unknown, nodes: unknown): Promise<void> {
  const hosts = await hostsFor(fleet, node, nodes, intent === 'drain' ? 'Drain host' : 'Configure live migration', intent === 'configure');
  panel.show(intent, [], hosts);
}

export async function copyMigrationScript(fleet: Fleet, node: unknown): Promise<string> {
  const [vm] = await vmsFor(fleet, node, undefined, 'Copy migration as PowerShell', false);
  if (!vm) throw new vscode.CancellationError();
  const destinations = fleet.hosts().flatMap((h) => (h.state === 'ok' && h.name.toLowerCase() !== vm.host.toLowerCase() ? [h.inventory.host] : []));
  const picked = await vscode.window.showQuickPick(
    destinations.map((host) => ({ label: host.name, description: `${host.cpuVendor} · ${host.switches.map((s) => s.name).join(', ')}`, host })),
    { title: `Move ${vm.name} to`, placeHolder: 'Destination host' },
  );
  if (!picked) throw new vscode.CancellationError();
  const script = migrationScript(vm, picked.host);
  await vscode.env.clipboard.writeText(script);
  void vscode.window.showInformationMessage(`The migration of ${vm.name} to ${picked.host.name} is on the clipboard as PowerShell.`);
  return script;
}
