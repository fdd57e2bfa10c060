// What every job of the fleet panel (configure, drain, HA, maintenance) is built on: the context the panel gives it, the one
// run it holds (none until it is first opened), and what it does with a message its type does not allow.
import type { FromFleetWebview } from '../fleetProtocol';
import { dispatch, type MessageHandlers } from '../messages';
import type { FleetJobContext } from './jobContext';

/** The webview's messages of the types listed: a job's share of them. */
export type MessagesOf<T extends FromFleetWebview['type']> = Extract<FromFleetWebview, { readonly type: T }>;

/** Whether a message is one of a job's (its type is in the job's list): how the panel routes it to the job. */
export function isMessageOf<T extends FromFleetWebview['type']>(types: readonly T[], message: FromFleetWebview): message is MessagesOf<T> {
  return (types as readonly string[]).includes(message.type);
}

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
  protected dispatch<M extends { readonly type: string }>(message: M, handlers: MessageHandlers<M>): Promise<void> {
    return dispatch(message, handlers, this.ctx.deps.logger, 'fleet panel');
  }
}
