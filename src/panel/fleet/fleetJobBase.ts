// What every job of the fleet panel (configure, drain, HA, maintenance) is built on: the context the panel gives it, the one
// run it holds (none until it is first opened), and what it does with a message its type does not allow.
import type { FromFleetWebview } from '../fleetProtocol';
import type { FleetJobContext } from './jobContext';

/** The webview's messages of the types listed: a job's share of them. */
export type MessagesOf<T extends FromFleetWebview['type']> = Extract<FromFleetWebview, { readonly type: T }>;

/** Whether a message is one of a job's (its type is in the job's list): how the panel routes it to the job. */
export function isMessageOf<T extends FromFleetWebview['type']>(types: readonly T[], message: FromFleetWebview): message is MessagesOf<T> {
  return (types as readonly string[]).includes(message.type);
}

/** What a job does with each type of its messages, given the message narrowed to that type (awaited when it returns a promise). */
export type MessageHandlers<M extends { readonly type: string }> = {
  readonly [K in M['type']]: (message: Extract<M, { readonly type: K }>) => unknown;
};

export abstract class FleetJobBase<Run> {
  protected current: Run | undefined;

  constructor(protected readonly ctx: FleetJobContext) {}

  /** The job has a run to show: it was opened at least once. */
  get exists(): boolean {
    return this.current !== undefined;
  }

  /**
   * Runs the handler of the message's type. The handlers are a record keyed on every type the job takes, so one
   * missing does not compile; a message none takes (the panel validates them, so a bug) is logged, not acted on.
   */
  protected async dispatch<M extends { readonly type: string }>(message: M, handlers: MessageHandlers<M>): Promise<void> {
    const byType: Readonly<Record<string, ((message: never) => unknown) | undefined>> = handlers;
    const handler = Object.hasOwn(byType, message.type) ? byType[message.type] : undefined;
    // The record's type gives the handler of each type the message of that type.
    if (handler) await handler(message as never);
    else this.unknownMessage(message as never);
  }

  /** The `never` default of a job's `handle()` switch: such a message is logged, not acted on. */
  protected unknownMessage(message: never): void {
    this.ctx.deps.logger.warn(`fleet panel: unknown message ${JSON.stringify(message)}`);
  }
}
