// What the tree, the destination pick and plans know of maintenance: the store's entries as last read, read
// again whenever a file of the store's folder changes. Any window may change the store (it lives in global
// storage beside the journals), so each window watches the folder instead of trusting what it wrote itself; and the
// drains' folder, whose journal says whether a host's return still runs (it ends, or is resumed after a reload).
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { utcMinute } from '../hyperv/format';
import { sameHost } from '../hyperv/hostName';
import { closedHosts, type MaintenanceMark } from '../migration/maintenance';

/** What the marks read: the maintenance store (src/migration/maintenance.ts). */
export interface MaintenanceSource {
  readonly dir: string;
  /** Where the drains are journaled, when the marks say whether each return runs. */
  readonly drainDir?: string;
  marks(): Promise<MaintenanceMark[]>;
}

export class MaintenanceMarks {
  private entries: readonly MaintenanceMark[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Reads run one after another, so an older list never replaces a newer one. */
  private last: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Resolves once the first read is done. */
  readonly ready: Promise<void>;

  constructor(
    private readonly store: MaintenanceSource,
    /** Told when the folder cannot be watched or read; the marks keep what they had. */
    private readonly onError: (error: unknown) => void,
    /** How long a burst of file events is gathered before one read (an atomic write is several events). */
    private readonly settleMs = 100,
  ) {
    // A drain's journal is written at every step of its moves: only a mark that follows its return reads it again.
    const followsReturn = () => this.entries.some((entry) => entry.returnDrain !== undefined);
    const watched: [string, () => boolean][] = [[store.dir, () => true]];
    if (store.drainDir !== undefined) watched.push([store.drainDir, followsReturn]);
    for (const [dir, matters] of watched) {
      try {
        mkdirSync(dir, { recursive: true });
        const watcher = watch(dir, () => {
          if (matters()) this.schedule();
        });
        watcher.on('error', onError);
        this.watchers.push(watcher);
      } catch (error) {
        onError(error);
      }
    }
    this.ready = this.reload();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Every host in maintenance (or entering or leaving it), oldest first. */
  all(): readonly MaintenanceMark[] {
    return this.entries;
  }

  entry(host: string): MaintenanceMark | undefined {
    return this.entries.find((entry) => sameHost(entry.host, host));
  }

  /** Whether no VM may be placed on the host now: the store's own rule (closedHosts). */
  closed(host: string): boolean {
    return closedHosts(this.entries).some((name) => sameHost(name, host));
  }

  /** Why no VM may go to the host now (in or entering maintenance, since when, by whom), or undefined when it may. */
  why(host: string): string | undefined {
    if (!this.closed(host)) return undefined;
    const entry = this.entry(host);
    return entry?.state === 'entering'
      ? l10n.t('entering maintenance since {0}, by {1}', utcMinute(entry.since), entry.by)
      : l10n.t('in maintenance since {0}, by {1}', utcMinute(entry?.since ?? ''), entry?.by ?? '?');
  }

  /** Reads the store again; listeners hear of it only when something changed. */
  reload(): Promise<void> {
    this.last = this.last.then(async () => {
      if (this.disposed) return;
      let entries: MaintenanceMark[];
      try {
        entries = await this.store.marks();
      } catch (error) {
        this.onError(error);
        return;
      }
      if (this.disposed || JSON.stringify(entries) === JSON.stringify(this.entries)) return;
      this.entries = entries;
      for (const listener of [...this.listeners]) listener();
    });
    return this.last;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.settleMs);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.listeners.clear();
  }
}
