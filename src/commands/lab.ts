import * as vscode from 'vscode';
import type { Connection } from '../connection';
import type { Fleet } from '../hyperv/fleet';
import { resetLab } from '../hyperv/lab';
import { updateSetting } from '../settings';
import { UserError } from '../userError';

export async function useLab(connection: Connection, fleet: Fleet): Promise<void> {
  await updateSetting('connection', 'lab');
  connection.reload();
  await fleet.refresh();
}

export async function resetLabCommand(connection: Connection, fleet: Fleet): Promise<void> {
  const reset = vscode.l10n.t('Reset Lab');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'Reset the lab? Every simulated host and VM goes back to how the template made it; moves and changes made in the lab are lost.',
    ),
    { modal: true },
    reset,
  );
  if (choice !== reset) throw new vscode.CancellationError();
  const result = await resetLab(await connection.runner());
  if (!result.ok)
    throw new UserError(vscode.l10n.t('The lab could not be reset: {0}', result.error.message), [
      { title: vscode.l10n.t('Open Lab File'), command: 'hyperv.lab.openFile' },
    ]);
  connection.forgetLabHosts();
  await fleet.refresh();
}

export async function openLabFile(connection: Connection): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(connection.labFile));
  await vscode.window.showTextDocument(document);
}
