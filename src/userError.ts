// Neutral ground: the core, the commands and the editors all raise it; register.ts shows it.

/** A failure the user can act on: the message, and buttons that run commands. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly actions: readonly { title: string; command: string; args?: unknown[] }[] = [],
  ) {
    super(message);
  }
}
