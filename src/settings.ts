import * as vscode from 'vscode';
import { refreshIntervalMs } from './tree/autoRefresh';

export { validateHostName } from './hyperv/hostName';

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
  const hosts = [
    ...new Set(
      config
        .get<string[]>('hosts', [])
        .map((h) => h.trim())
        .filter((h) => h.length > 0),
    ),
  ];
  const explicit = config.inspect<ConnectionMode>('connection');
  const chosen = explicit?.globalValue ?? explicit?.workspaceValue ?? explicit?.workspaceFolderValue;
  const path = config.get<string>('powershell.path', '').trim();
  return {
    powershellPath: path.length > 0 ? path : undefined,
    timeoutMs: Math.max(5, config.get<number>('powershell.timeoutSeconds', 120)) * 1000,
    poolSize: Math.min(16, Math.max(1, config.get<number>('powershell.poolSize', 8))),
    hosts,
    mode: chosen ?? (hosts.length > 0 ? 'hosts' : 'lab'),
    refreshIntervalMs: refreshIntervalMs(config.get<unknown>('refreshIntervalSeconds')),
  };
}

export async function updateSetting(key: 'hosts' | 'connection', value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('hyperv').update(key, value, vscode.ConfigurationTarget.Global);
}
