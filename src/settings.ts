import * as vscode from 'vscode';

export type ConnectionMode = 'lab' | 'hosts';

/** The extension's settings, read in one place. */
export interface Settings {
  readonly powershellPath: string | undefined;
  readonly timeoutMs: number;
  readonly poolSize: number;
  readonly hosts: readonly string[];
  /** Explicit `hyperv.connection`, else the lab while no host is configured. */
  readonly mode: ConnectionMode;
  readonly refreshIntervalMs: number;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('hyperv');
  const hosts = [...new Set(config.get<string[]>('hosts', []).map((h) => h.trim()).filter((h) => h.length > 0))];
  const explicit = config.inspect<ConnectionMode>('connection');
  const chosen = explicit?.globalValue ?? explicit?.workspaceValue ?? explicit?.workspaceFolderValue;
  const path = config.get<string>('powershell.path', '').trim();
  return {
    powershellPath: path.length > 0 ? path : undefined,
    timeoutMs: Math.max(5, config.get<number>('powershell.timeoutSeconds', 120)) * 1000,
    poolSize: Math.min(16, Math.max(1, config.get<number>('powershell.poolSize', 4))),
    hosts,
    mode: chosen ?? (hosts.length > 0 ? 'hosts' : 'lab'),
    refreshIntervalMs: Math.max(0, config.get<number>('refreshIntervalSeconds', 60)) * 1000,
  };
}

export async function updateSetting(key: 'hosts' | 'connection', value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('hyperv').update(key, value, vscode.ConfigurationTarget.Global);
}

/** A host name as admins type it: a short NetBIOS/DNS name or an FQDN. */
export function validateHostName(value: string): string | undefined {
  const name = value.trim();
  if (name.length === 0) return 'Enter a host name, e.g. HV01 or hv01.contoso.com.';
  if (name.length > 253) return 'A host name has at most 253 characters.';
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (!name.split('.').every((part) => label.test(part))) {
    return 'Use letters, digits and hyphens, with dots between the parts of an FQDN (no spaces, quotes or other characters).';
  }
  return undefined;
}
