/**
 * Tells every listener; one that throws is reported and stops neither the others nor the move or queue that
 * told them (a panel's bug must not leave a move unfollowed or a queue that never ends).
 */
export function tellAll<A extends unknown[]>(listeners: Iterable<(...args: A) => void>, args: A, report: (error: unknown) => void): void {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      report(error);
    }
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
