// Maintenance mode of a host: one JSON file per host in the extension's global storage (beside the journals),
// so the mark survives a reload and every window sees the same. A host in maintenance takes no VM (placement
// rates it "in maintenance"); its entry remembers where each VM that left it went, for the return. Files are
// written atomically (journal.ts) and read again on every call: another window may have changed them. A file
// that cannot be read as an entry is skipped with the reason logged.

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { array, choice, fields, object, string, stringOrNullMap } from '../hyperv/decode';
import { hostKey, sameHost } from '../hyperv/hostName';
import type { Logger } from '../powershell/types';
import { runningDrains } from './drainJournal';
import { writeAtomically } from './journal';

/** A VM that left the host for its maintenance: where it went, and when. */
export interface MaintenanceOrigin {
  readonly vmId: string;
  readonly vmName: string;
  readonly movedTo: string;
  readonly movedAt: string;
  /** Each network adapter's switch on the host before the VM left (adapter Id → switch; null: not connected). */
  readonly switches?: Readonly<Record<string, string | null>>;
}

export interface MaintenanceEntry {
  readonly host: string;
  readonly since: string;
  /** Who put it in maintenance (the admin's account name). */
  readonly by: string;
  /**
   * Entering: being drained; in-maintenance: drained, waiting to be patched (and while its return is only planned);
   * exiting: the moves of its return have started.
   */
  readonly state: 'entering' | 'in-maintenance' | 'exiting';
  readonly origins: readonly MaintenanceOrigin[];
  /**
   * The drain journal's id of its return's moves (drainJournal.ts), set when they start. Absent in a mark written
   * before marks named their return: whether that return runs is not known.
   */
  readonly returnDrain?: string;
}

/** A mark as shown: an 'exiting' one that names its return's drain says whether that drain runs now. */
export interface MaintenanceMark extends MaintenanceEntry {
  /** False once the return was cancelled, failed, or its window went away (a reload) without it being resumed. */
  readonly returnRunning?: boolean;
}

const STATES: readonly MaintenanceEntry['state'][] = ['entering', 'in-maintenance', 'exiting'];
const SUFFIX = '.json';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** An entry read back from its file's text; throws (DecodeError, SyntaxError) when it is not one. */
export function decodeMaintenanceEntry(text: string): MaintenanceEntry {
  const path = 'maintenance';
  const o = object(JSON.parse(text) as unknown, path);
  return {
    ...fields(o, path, { host: string, since: string, by: string, state: choice(STATES) }),
    origins: array(o, 'origins', path, (value, p) => {
      const origin = object(value, p);
      return {
        ...fields(origin, p, { vmId: string, vmName: string, movedTo: string, movedAt: string }),
        ...(origin.switches !== undefined && { switches: stringOrNullMap(origin.switches, `${p}.switches`) }),
      };
    }),
    ...(o.returnDrain !== undefined && fields(o, path, { returnDrain: string })),
  };
}

/**
 * The switches a VM's adapters had on `host` before it left for that host's maintenance (its origin there), so a
 * move back connects them as they were; undefined for a VM that did not leave `host` for maintenance.
 */
export function switchesAtHome(
  entries: readonly MaintenanceEntry[],
  vmId: string,
  host: string,
): Readonly<Record<string, string | null>> | undefined {
  const entry = entries.find((e) => sameHost(e.host, host));
  return entry?.origins.find((o) => o.vmId.toLowerCase() === vmId.toLowerCase())?.switches;
}

/**
 * The hosts no VM may be placed on: every host with a mark, whatever its state, until the mark is gone (a return
 * cancelled or cut short by a reload leaves it closed, not open). `returnTo`: a return from maintenance plans the
 * host's VMs back to it, so that host is open to that plan alone.
 */
export function closedHosts(entries: readonly MaintenanceEntry[], returnTo?: string): string[] {
  return entries.map((entry) => entry.host).filter((host) => returnTo === undefined || !sameHost(host, returnTo));
}

export class MaintenanceStore {
  /** Changes in order within this window: a read-modify-write never overtakes another. */
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly logger: Logger = silent,
    /** Where the drains are journaled: `marks()` reads there whether each return runs. */
    readonly drainDir?: string,
  ) {}

  /** Every host in maintenance (or entering or leaving it), oldest first. */
  async list(): Promise<MaintenanceEntry[]> {
    return (await this.read()).map(({ entry }) => entry).sort((a, b) => a.since.localeCompare(b.since));
  }

  /** Every mark, oldest first, each 'exiting' one that names its return saying whether that return's drain runs now. */
  async marks(): Promise<MaintenanceMark[]> {
    const entries = await this.list();
    const { drainDir } = this;
    if (drainDir === undefined || !entries.some((e) => e.state === 'exiting' && e.returnDrain !== undefined)) return entries;
    const running = await runningDrains(drainDir, this.logger);
    return entries.map((entry) =>
      entry.state === 'exiting' && entry.returnDrain !== undefined ? { ...entry, returnRunning: running.has(entry.returnDrain) } : entry,
    );
  }

  async get(host: string): Promise<MaintenanceEntry | undefined> {
    return (await this.find(host))?.entry;
  }

  /** Marks the host as entering maintenance; a host already marked keeps its entry (and where its VMs went). */
  enter(host: string, by: string): Promise<MaintenanceEntry> {
    return this.change(async () => {
      const found = await this.find(host);
      if (found) return found.entry;
      const entry: MaintenanceEntry = { host, since: new Date().toISOString(), by, state: 'entering', origins: [] };
      await this.write(entry);
      return entry;
    });
  }

  setState(host: string, state: MaintenanceEntry['state']): Promise<void> {
    return this.update(host, (entry) => ({ ...entry, state }));
  }

  /** The moves of the host's return started, journaled as drain `drainId`: the mark says its VMs are going back. */
  returnStarted(host: string, drainId: string): Promise<void> {
    return this.update(host, (entry) => ({ ...entry, state: 'exiting', returnDrain: drainId }));
  }

  /** Remembers where a VM of the host went; a VM moved again replaces its older origin. */
  recordOrigin(host: string, origin: MaintenanceOrigin): Promise<void> {
    return this.update(host, (entry) => ({
      ...entry,
      origins: [...entry.origins.filter((o) => o.vmId.toLowerCase() !== origin.vmId.toLowerCase()), origin],
    }));
  }

  /** The host leaves maintenance: its entry is removed. */
  exit(host: string): Promise<void> {
    return this.change(async () => {
      const found = await this.find(host);
      if (found) await rm(join(this.dir, found.file), { force: true });
    });
  }

  private update(host: string, edit: (entry: MaintenanceEntry) => MaintenanceEntry): Promise<void> {
    return this.change(async () => {
      const found = await this.find(host);
      if (!found) throw new Error(`${host} is not in maintenance.`);
      await this.write(edit(found.entry), found.file);
    });
  }

  private change<T>(work: () => Promise<T>): Promise<T> {
    const next = this.last.then(work);
    this.last = next.catch(() => undefined);
    return next;
  }

  private write(entry: MaintenanceEntry, file = `${hostKey(entry.host)}${SUFFIX}`): Promise<void> {
    return writeAtomically(this.dir, file, `${JSON.stringify(entry, null, 2)}\n`);
  }

  private async find(host: string): Promise<{ entry: MaintenanceEntry; file: string } | undefined> {
    return (await this.read()).find(({ entry }) => sameHost(entry.host, host));
  }

  private async read(): Promise<{ entry: MaintenanceEntry; file: string }[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const found: { entry: MaintenanceEntry; file: string }[] = [];
    for (const file of names) {
      try {
        found.push({ entry: decodeMaintenanceEntry(await readFile(join(this.dir, file), 'utf8')), file });
      } catch (error) {
        this.logger.warn(`Maintenance: skipped ${join(this.dir, file)}: ${(error as Error).message}`);
      }
    }
    return found;
  }
}
