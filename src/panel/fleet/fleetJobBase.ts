// What every job of the fleet panel (configure, drain, HA) is built on: the context the panel gives it, the one
// run it holds (none until it is first opened), and what it does with a message its type does not allow.
import type { FleetJobContext } from './jobContext';

export abstract class FleetJobBase<Run> {
  protected current: Run | undefined;

  constructor(protected readonly ctx: FleetJobContext) {}

  /** The job has a run to show: it was opened at least once. */
  get exists(): boolean {
    return this.current !== undefined;
  }

  /** The `never` default of a job's `handle()` switch: such a message is logged, not acted on. */
  protected unknownMessage(message: never): void {
    this.ctx.deps.logger.warn(`fleet panel: unknown message ${JSON.stringify(message)}`);
  }
}
