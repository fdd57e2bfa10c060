// Maintenance windows from the tree and the palette: Enter Maintenance…, Exit Maintenance…, Maintain Hosts
// One by One… and Host Is Back. The fleet panel does the work (the drain, the checks, the returns, the rolling
// order); these choose the hosts, then read the marks again so the tree shows the change at once.
import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import type { FleetPanel } from '../panel/fleetPanel';
import type { MaintenanceMarks } from '../tree/maintenanceMarks';
import { hostsFor } from './pick';

/** Enter Maintenance…: a host not in maintenance is drained and marked; no VM is placed on it until it leaves. */
export async function enterMaintenance(panel: FleetPanel, fleet: Fleet, marks: MaintenanceMarks, node: unknown): Promise<void> {
  await marks.reload();
  const title = vscode.l10n.t('Enter maintenance: move every VM off the host, and place none on it');
  await panel.enterMaintenance(await oneHost(fleet, node, title, (name) => !marks.entry(name)));
  await marks.reload();
}

/** Exit Maintenance…: a host in maintenance is checked again, and the VMs that left it are offered to return. */
export async function exitMaintenance(panel: FleetPanel, fleet: Fleet, marks: MaintenanceMarks, node: unknown): Promise<void> {
  await marks.reload();
  if (!node && !someIn(marks, () => true, vscode.l10n.t('No host is in maintenance.'))) return;
  const title = vscode.l10n.t('Exit maintenance: check the host again, then bring its VMs back');
  await panel.exitMaintenance(await oneHost(fleet, node, title, (name) => !!marks.entry(name)));
  await marks.reload();
}

/** Maintain Hosts One by One…: for each host in turn, enter maintenance, wait for Host Is Back, exit. */
export async function maintainHosts(
  panel: FleetPanel,
  fleet: Fleet,
  marks: MaintenanceMarks,
  node: unknown,
  nodes: unknown,
): Promise<void> {
  await marks.reload();
  const title = vscode.l10n.t('Maintain hosts one by one: each is drained, patched by you, and gets its VMs back');
  const hosts = await hostsFor(fleet, node, nodes, title, true, (name) => !marks.entry(name));
  if (hosts.length === 0) throw new vscode.CancellationError();
  await panel.maintainHosts(hosts);
  await marks.reload();
}

/** Host Is Back: the admin says a host waiting in maintenance is patched and up, so its window goes on. */
export async function hostIsBack(panel: FleetPanel, fleet: Fleet, marks: MaintenanceMarks, node: unknown): Promise<void> {
  await marks.reload();
  // Only the hosts a one-by-one run waits for: Host Is Back means nothing to a host that was put in maintenance alone.
  const waiting = (name: string) => panel.waitingHosts().some((host) => sameHost(host, name));
  if (!node && !someIn(marks, waiting, vscode.l10n.t('No host is waiting in maintenance.'))) return;
  await panel.hostIsBack(await oneHost(fleet, node, vscode.l10n.t('Which host is back from maintenance?'), waiting));
  await marks.reload();
}

/** The host clicked, else one of the hosts `offered` from a quick pick. */
async function oneHost(fleet: Fleet, node: unknown, title: string, offered: (host: string) => boolean): Promise<string> {
  const [host] = await hostsFor(fleet, node, undefined, title, false, offered);
  if (!host) throw new vscode.CancellationError();
  return host;
}

/** Whether a host of the marks answers `test`; says so when none does (a quick pick of nothing would just vanish). */
function someIn(marks: MaintenanceMarks, test: (host: string) => boolean, none: string): boolean {
  if (marks.all().some((entry) => test(entry.host))) return true;
  void vscode.window.showInformationMessage(none);
  return false;
}
