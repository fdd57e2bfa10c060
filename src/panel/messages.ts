// How a panel (migration, history, fleet) and each fleet job act on the webview's messages: a record of
// handlers keyed on every message type, so a type without one does not compile (in place of a switch per
// panel with a `never` default). vscode-free, so the fleet jobs can use it.
import type { Logger } from '../powershell/types';

/** What to do with each type of message, given the message narrowed to that type (awaited when it returns a promise). */
export type MessageHandlers<M extends { readonly type: string }> = {
  readonly [K in M['type']]: (message: Extract<M, { readonly type: K }>) => unknown;
};

/**
 * Runs the handler of the message's type. A message none takes (the panels validate them, so a bug) is logged
 * as `<name>: unknown message …`, not acted on.
 */
export async function dispatch<M extends { readonly type: string }>(
  message: M,
  handlers: MessageHandlers<M>,
  logger: Logger,
  name: string,
): Promise<void> {
  const byType: Readonly<Record<string, ((message: never) => unknown) | undefined>> = handlers;
  const handler = Object.hasOwn(byType, message.type) ? byType[message.type] : undefined;
  // The record's type gives the handler of each type the message of that type.
  if (handler) await handler(message as never);
  else logger.warn(`${name}: unknown message ${JSON.stringify(message)}`);
}
