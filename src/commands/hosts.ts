import * as vscode from 'vscode';
import type { Connection } from '../connection';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import { readSettings, updateSetting, validateHostName } from '../settings';
import { ErrorNode, HostNode } from '../tree/nodes';
import { hostsFor } from './pick';

export async function addHost(fleet: Fleet, initial?: string): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: 'Add a Hyper-V host',
    prompt: 'Name of the Hyper-V host (short name or FQDN). It must answer Hyper-V PowerShell remotely (WinRM).',
    placeHolder: 'HV01 or hv01.contoso.com',
    value: initial,
    validateInput: (value) => {
      const problem = validateHostName(value);
      if (problem) return problem;
      return readSettings().hosts.some((h) => sameHost(h, value.trim())) ? `${value.trim()} is already in the list.` : undefined;
    },
  });
  if (name === undefined) throw new vscode.CancellationError();
  const settings = readSettings();
  await updateSetting('hosts', [...settings.hosts, name.trim()]);
  if (settings.mode === 'lab') await updateSetting('connection', 'hosts');
  await fleet.refresh();
}

export async function removeHost(fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const settings = readSettings();
  if (settings.mode === 'lab') {
    void vscode.window.showInformationMessage('The lab\'s hosts are part of the lab file; use "Hyper-V: Reset Lab" to rebuild it.');
    return;
  }
  const names = await hostsFor(fleet, node, nodes, 'Remove Hyper-V hosts');
  await updateSetting(
    'hosts',
    settings.hosts.filter((h) => !names.some((n) => sameHost(n, h))),
  );
  await fleet.refresh();
}

/** "Edit Host" on a host that failed: correct its name (real hosts) or look at the lab file (lab). */
export async function editHost(connection: Connection, fleet: Fleet, node: unknown): Promise<void> {
  const host = node instanceof ErrorNode ? node.host.entry.name : node instanceof HostNode ? node.entry.name : undefined;
  if (connection.mode === 'lab') {
    await vscode.commands.executeCommand('hyperv.lab.openFile');
    return;
  }
  const [name] = host ? [host] : await hostsFor(fleet, undefined, undefined, 'Edit a Hyper-V host', false);
  const settings = readSettings();
  const replacement = await vscode.window.showInputBox({
    title: `Edit host ${name}`,
    value: name,
    validateInput: validateHostName,
  });
  if (replacement === undefined) throw new vscode.CancellationError();
  await updateSetting(
    'hosts',
    settings.hosts.map((h) => (name && sameHost(h, name) ? replacement.trim() : h)),
  );
  await fleet.refresh();
}

export async function setCredentials(connection: Connection, fleet: Fleet, node: unknown): Promise<void> {
  const [host] = await hostsFor(fleet, node, undefined, 'Set credentials for a host', false);
  if (!host) return;
  const userName = await vscode.window.showInputBox({
    title: `Credentials for ${host} (1/2)`,
    prompt: 'User name, e.g. CONTOSO\\hvadmin',
    validateInput: (v) => (v.trim() ? undefined : 'Enter a user name.'),
  });
  if (userName === undefined) throw new vscode.CancellationError();
  const password = await vscode.window.showInputBox({ title: `Credentials for ${host} (2/2)`, prompt: `Password of ${userName}`, password: true });
  if (password === undefined) throw new vscode.CancellationError();
  await connection.setCredential(host, { userName: userName.trim(), password });
  void vscode.window.showInformationMessage(`Credentials for ${host} are stored in VS Code's secret storage.`);
  await fleet.refresh([host]);
}

export async function clearCredentials(connection: Connection, fleet: Fleet, node: unknown): Promise<void> {
  const [host] = await hostsFor(fleet, node, undefined, 'Clear credentials of a host', false);
  if (!host) return;
  const had = await connection.clearCredential(host);
  void vscode.window.showInformationMessage(had ? `Credentials for ${host} removed.` : `No credentials were stored for ${host}.`);
  await fleet.refresh([host]);
}

export async function refreshHost(fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const hosts = node instanceof ErrorNode ? [node.host.entry.name] : await hostsFor(fleet, node, nodes, 'Refresh hosts');
  await fleet.refresh(hosts);
}
