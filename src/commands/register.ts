import * as vscode from 'vscode';
import type { Logger } from '../powershell/types';
import { UserError } from '../userError';

/**
 * Every command goes through here: logged, cancellation ignored, errors shown with actions and the log
 * one click away. Handlers take `(node?, nodes?)` so palette, context menu and multi-select share one path.
 */
export function registerCommand(logger: Logger, id: string, handler: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    logger.debug(`command ${id}`);
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`${id}: ${message}`);
      const actions = error instanceof UserError ? error.actions : [];
      const showLog = vscode.l10n.t('Show Log');
      const choice = await vscode.window.showErrorMessage(message, ...actions.map((a) => a.title), showLog);
      if (choice === showLog) await vscode.commands.executeCommand('hyperv.log.show');
      const action = actions.find((a) => a.title === choice);
      if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
      return undefined;
    }
  });
}
