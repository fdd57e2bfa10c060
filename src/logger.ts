import * as vscode from 'vscode';
import type { Logger } from './powershell/types';

/** The one log of the extension: the "Hyper-V" output channel, at the level the user chose. */
export function createLogger(): Logger & vscode.Disposable & { show(): void } {
  const channel = vscode.window.createOutputChannel('Hyper-V', { log: true });
  return {
    trace: (message) => channel.trace(message),
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
