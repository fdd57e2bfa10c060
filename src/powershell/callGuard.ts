// The time limit and the cancellation of one pool call, raced against each step of it (waiting for a session,
// running the script).

export type Interrupt = 'timeout' | 'cancelled';
export type Raced<V> = { readonly done: true; readonly value: V } | { readonly done: false; readonly interrupt: Interrupt };

/** The time limit and the cancellation of one call, raced against each step of it. */
export class CallGuard {
  private readonly interrupted: Promise<Interrupt>;
  private timer: NodeJS.Timeout | undefined;
  private unlisten = (): void => undefined;

  constructor(timeoutMs: number, signal: AbortSignal | undefined) {
    this.interrupted = new Promise<Interrupt>((resolve) => {
      this.timer = setTimeout(() => resolve('timeout'), timeoutMs);
      if (!signal) return;
      const onAbort = (): void => resolve('cancelled');
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.unlisten = () => signal.removeEventListener('abort', onAbort);
    });
  }

  race<V>(work: Promise<V>): Promise<Raced<V>> {
    return Promise.race([
      work.then((value): Raced<V> => ({ done: true, value })),
      this.interrupted.then((interrupt): Raced<V> => ({ done: false, interrupt })),
    ]);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unlisten();
  }
}
