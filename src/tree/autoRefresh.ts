// The tree's periodic refresh: one timer, armed again only after the refresh it started has ended, and
// skipped while another refresh (Refresh, a command's) still runs, so reads of the fleet never pile up.

/** What the timer needs of the fleet. */
export interface Refreshable {
  /** Whether a full refresh runs now. */
  readonly refreshing: boolean;
  refresh(): Promise<void>;
}

/** The fewest seconds between automatic refreshes: each one reads every host. */
export const MIN_REFRESH_SECONDS = 5;
/**
 * One day. Node turns a timer delay above 2^31-1 ms (about 24.8 days), below 1 ms or NaN into 1 ms
 * (https://nodejs.org/api/timers.html#setintervalcallback-delay-args): an unclamped setting could read
 * every host a thousand times a second.
 */
export const MAX_REFRESH_SECONDS = 86_400;
const DEFAULT_REFRESH_SECONDS = 60;

/** `hyperv.refreshIntervalSeconds` as a timer delay: 0 (or less) turns the timer off, others are clamped. */
export function refreshIntervalMs(seconds: unknown): number {
  const value = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : DEFAULT_REFRESH_SECONDS;
  if (value <= 0) return 0;
  return Math.round(Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS, value)) * 1000);
}

export class AutoRefresh {
  private timer: NodeJS.Timeout | undefined;
  private everyMs = 0;
  /** Counts schedule() calls: a tick that ends after one does not arm the timer again (schedule did). */
  private generation = 0;
  private disposed = false;

  constructor(
    private readonly fleet: Refreshable,
    /** Told when an automatic refresh fails; the timer goes on. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** (Re)starts the timer with a delay from `refreshIntervalMs`; 0 stops it. */
  schedule(everyMs: number): void {
    this.everyMs = everyMs;
    this.generation += 1;
    this.arm();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.everyMs <= 0) return;
    const generation = this.generation;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick(generation);
    }, this.everyMs);
  }

  private async tick(generation: number): Promise<void> {
    try {
      // A refresh already running shows the newest reading soon enough: this tick adds none.
      if (!this.fleet.refreshing) await this.fleet.refresh();
    } catch (error) {
      this.onError(error);
    }
    if (generation === this.generation) this.arm();
  }
}
