import * as vscode from 'vscode';
import { createLogger } from './logger';

export interface ExtensionApi {
  readonly ready: true;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const logger = createLogger();
  context.subscriptions.push(logger, vscode.commands.registerCommand('hyperv.log.show', () => logger.show()));
  logger.info('Hyper-V Live Migration activated');
  return { ready: true };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
