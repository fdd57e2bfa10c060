import * as vscode from 'vscode';
import type { Logger } from './powershell/types';

export interface ExtensionLogger extends Logger, vscode.Disposable {
  show(): void;
  /** The last lines logged, newest last (what a bug report or a test reads). */
  recent(): readonly string[];
}

const keep = 1000;

/** Logs a failure and shows it (cancellation is none). */
export function reportFailure(logger: Logger, what: string, error: unknown): void {
  if (error instanceof vscode.CancellationError) return;
  const text = error instanceof Error ? error.message : String(error);
  logger.error(`${what} failed: ${text}`);
  void vscode.window.showErrorMessage(vscode.l10n.t('Hyper-V: {0} failed: {1}', what, text));
}

/**
 * Lets `work` go on in the background: if it fails, the failure is logged and shown, never an unhandled
 * rejection that nobody sees (a refresh, a check or a move followed after its command has returned).
 */
export function inBackground(logger: Logger, what: string, work: PromiseLike<unknown>): void {
  Promise.resolve(work).catch((error: unknown) => reportFailure(logger, what, error));
}

/** The one log of the extension: the "Hyper-V" output channel, at the level the user chose. */
export function createLogger(): ExtensionLogger {
  const channel = vscode.window.createOutputChannel('Hyper-V', { log: true });
  const lines: string[] = [];
  const remember = (level: string, message: string) => {
    lines.push(`[${level}] ${message}`);
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  return {
    trace: (message) => (remember('trace', message), channel.trace(message)),
    debug: (message) => (remember('debug', message), channel.debug(message)),
    info: (message) => (remember('info', message), channel.info(message)),
    warn: (message) => (remember('warn', message), channel.warn(message)),
    error: (message) => (remember('error', message), channel.error(message)),
    show: () => channel.show(true),
    recent: () => [...lines],
    dispose: () => channel.dispose(),
  };
}
