import * as vscode from 'vscode';
import type { Connection } from '../connection';
import type { Fleet } from '../hyperv/fleet';
import { sameHost } from '../hyperv/hostName';
import { readSettings, updateSetting, validateHostName } from '../settings';
import { ErrorNode, HostNode } from '../tree/nodes';
import { hostsFor } from './pick';

export async function addHost(fleet: Fleet, initial?: string): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add a Hyper-V host'),
    prompt: vscode.l10n.t('Name of the Hyper-V host (short name or FQDN). It must answer Hyper-V PowerShell remotely (WinRM).'),
    placeHolder: vscode.l10n.t('HV01 or hv01.contoso.com'),
    value: initial,
    validateInput: (value) => {
      const problem = validateHostName(value);
      if (problem) return problem;
      return readSettings().hosts.some((h) => sameHost(h, value.trim()))
        ? vscode.l10n.t('{0} is already in the list.', value.trim())
        : undefined;
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
    void vscode.window.showInformationMessage(
      vscode.l10n.t('The lab\'s hosts are part of the lab file; use "Hyper-V: Reset Lab" to rebuild it.'),
    );
    return;
  }
  const names = await hostsFor(fleet, node, nodes, vscode.l10n.t('Remove Hyper-V hosts'));
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
  const [name] = host ? [host] : await hostsFor(fleet, undefined, undefined, vscode.l10n.t('Edit a Hyper-V host'), false);
  const settings = readSettings();
  const replacement = await vscode.window.showInputBox({
    title: vscode.l10n.t('Edit host {0}', name ?? ''),
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
  const [host] = await hostsFor(fleet, node, undefined, vscode.l10n.t('Set credentials for a host'), false);
  if (!host) return;
  const userName = await vscode.window.showInputBox({
    title: vscode.l10n.t('Credentials for {0} (1/2)', host),
    prompt: vscode.l10n.t('User name, e.g. CONTOSO\\hvadmin'),
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a user name.')),
  });
  if (userName === undefined) throw new vscode.CancellationError();
  const password = await vscode.window.showInputBox({
    title: vscode.l10n.t('Credentials for {0} (2/2)', host),
    prompt: vscode.l10n.t('Password of {0}', userName),
    password: true,
  });
  if (password === undefined) throw new vscode.CancellationError();
  await connection.setCredential(host, { userName: userName.trim(), password });
  void vscode.window.showInformationMessage(vscode.l10n.t("Credentials for {0} are stored in VS Code's secret storage.", host));
  await fleet.refresh([host]);
}

export async function clearCredentials(connection: Connection, fleet: Fleet, node: unknown): Promise<void> {
  const [host] = await hostsFor(fleet, node, undefined, vscode.l10n.t('Clear credentials of a host'), false);
  if (!host) return;
  const had = await connection.clearCredential(host);
  void vscode.window.showInformationMessage(
    had ? vscode.l10n.t('Credentials for {0} removed.', host) : vscode.l10n.t('No credentials were stored for {0}.', host),
  );
  await fleet.refresh([host]);
}

export async function refreshHost(fleet: Fleet, node: unknown, nodes: unknown): Promise<void> {
  const hosts = node instanceof ErrorNode ? [node.host.entry.name] : await hostsFor(fleet, node, nodes, vscode.l10n.t('Refresh hosts'));
  await fleet.refresh(hosts);
}
