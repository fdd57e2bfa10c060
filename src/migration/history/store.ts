// The history: every move, drain, return, HA workflow and maintenance window that ended, kept after the
// journals have forgotten them (the move journal prunes ended moves), so an admin can show afterwards what
// moved when, how fast, and who ran it. One JSON file per entry in the extension's global storage
// (`history/`, beside `moves/`, `drains/`, `ha-workflows/`), written atomically like the journals: every
// window appends without a lock and no entry is lost; a move's entry is named for the move, so two windows
// that both saw it end write the same file. A file that cannot be read is skipped with the reason logged.

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { array, choice, fields, number, object, optionalString, record, string } from '../../hyperv/decode';
import type { Logger } from '../../powershell/types';
import { EntryJournal, entryId } from '../journal';
import type { MoveSample } from '../moveSamples';

export type HistoryKind = 'move' | 'drain' | 'return' | 'ha' | 'maintenance';
export type HistoryOutcome = 'succeeded' | 'failed' | 'cancelled';

/** One point of a move's progress, for a chart drawn later (webview/chart.ts draws it, as the migration panel's). */
export type HistorySample = MoveSample;

/** Who ran it: the signed-in user, and the user name of the stored credential the hosts were reached with (never a secret). */
export interface RanBy {
  readonly user: string;
  readonly credentialUser?: string;
}

export interface HistoryEntry {
  readonly id: string;
  readonly kind: HistoryKind;
  readonly startedAt: string;
  readonly endedAt: string;
  /** Host names; '' where the kind has none (a drain's destinations are many: listed in `destination`, comma-separated). */
  readonly source: string;
  readonly destination: string;
  /** The VM's name, or the VMs' names of a drain, comma-separated. */
  readonly vm: string;
  readonly bytes: number;
  readonly durationMs: number;
  /** Bytes per second over the whole duration (0 when nothing was measured). */
  readonly throughput: number;
  readonly outcome: HistoryOutcome;
  readonly message: string;
  readonly ranBy: RanBy;
  /** A move's progress over time, at most MAX_SAMPLES points. */
  readonly samples?: readonly HistorySample[];
}

/** What a caller records: the store adds the id (unless given), the duration, the average throughput and who ran it. */
export type HistoryRecord = Omit<HistoryEntry, 'id' | 'durationMs' | 'throughput' | 'ranBy'> & {
  /** The move's id for a move (so a move seen ending twice is one entry); a new id by default. */
  readonly id?: string;
  /** The user name of the credential used, when one was (found through the host otherwise). */
  readonly credentialUser?: string;
};

export const MAX_SAMPLES = 200;
/** Entries are kept this long (by their end), and at most MAX_ENTRIES of them. */
export const HISTORY_RETENTION_MS = 90 * 24 * 3600 * 1000;
export const MAX_ENTRIES = 2000;

const KINDS: readonly HistoryKind[] = ['move', 'drain', 'return', 'ha', 'maintenance'];
const OUTCOMES: readonly HistoryOutcome[] = ['succeeded', 'failed', 'cancelled'];

/** An entry read back from its file's text; throws (DecodeError, SyntaxError) when it is not one. */
export function decodeHistoryEntry(text: string): HistoryEntry {
  const path = 'historyEntry';
  const o = object(JSON.parse(text) as unknown, path);
  const id = entryId(o, path, 'an entry id');
  const by = object(o.ranBy, `${path}.ranBy`);
  const credentialUser = optionalString(by, 'credentialUser', `${path}.ranBy`);
  const samples =
    o.samples === undefined || o.samples === null
      ? undefined
      : array(o, 'samples', path, record({ atMs: number, percent: number, throughput: number }));
  return {
    id,
    ...fields(o, path, {
      kind: choice(KINDS),
      startedAt: string,
      endedAt: string,
      source: string,
      destination: string,
      vm: string,
      bytes: number,
      durationMs: number,
      throughput: number,
      outcome: choice(OUTCOMES),
      message: string,
    }),
    ranBy: { user: string(by, 'user', `${path}.ranBy`), ...(credentialUser !== null && { credentialUser }) },
    ...(samples && { samples }),
  };
}

/** At most `max` samples, evenly spread over the move, the first and the last kept. */
export function thinSamples<T>(samples: readonly T[], max = MAX_SAMPLES): T[] {
  if (samples.length <= max) return [...samples];
  if (max < 2) return samples.slice(samples.length - Math.max(0, max));
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(samples[Math.round((i * (samples.length - 1)) / (max - 1))]);
  return out;
}

/** The signed-in user's name ('' when the system cannot say). */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface HistoryOptions {
  readonly logger?: Logger;
  /** The user name of a host's stored credential, if it has one. */
  readonly credentialUser?: (host: string) => string | undefined;
  /** Default: the signed-in user of this machine. */
  readonly user?: string;
}

/** The history over its folder: `record` what ended, `list` it newest first, `prune` what is too old. */
export class History {
  private readonly journal: EntryJournal<HistoryEntry>;
  private readonly listeners = new Set<(entry: HistoryEntry) => void>();
  private readonly logger: Logger;

  constructor(
    readonly dir: string,
    private readonly options: HistoryOptions = {},
  ) {
    this.logger = options.logger ?? silent;
    this.journal = new EntryJournal(dir, decodeHistoryEntry, 'History', this.logger);
  }

  /** Writes the entry (atomically, its own file); resolves with it once it is on disk. Never throws: a failure is logged. */
  async record(input: HistoryRecord): Promise<HistoryEntry | undefined> {
    const { credentialUser: given, samples, id, ...rest } = input;
    const durationMs = Math.max(0, Date.parse(input.endedAt) - Date.parse(input.startedAt)) || 0;
    const credentialUser =
      given ?? (input.source ? this.options.credentialUser?.(input.source) : undefined) ?? this.options.credentialUser?.(input.destination);
    const entry: HistoryEntry = {
      id: id ?? randomUUID(),
      ...rest,
      durationMs,
      throughput: durationMs > 0 ? Math.round((input.bytes * 1000) / durationMs) : 0,
      ranBy: { user: this.options.user ?? currentUser(), ...(credentialUser && { credentialUser }) },
      ...(samples && { samples: thinSamples(samples) }),
    };
    try {
      await this.journal.write(entry);
    } catch (error) {
      this.logger.error(`History: could not record the ${input.kind} of ${input.vm || input.source}: ${(error as Error).message}`);
      return undefined;
    }
    for (const listener of [...this.listeners]) listener(entry);
    return entry;
  }

  /** Every readable entry, newest end first. */
  async list(): Promise<HistoryEntry[]> {
    return (await this.journal.list()).sort((a, b) => b.endedAt.localeCompare(a.endedAt));
  }

  /** Forgets entries that ended more than 90 days ago, and the oldest beyond MAX_ENTRIES; resolves with how many. */
  async prune(now = Date.now(), maxEntries = MAX_ENTRIES): Promise<number> {
    const entries = await this.list();
    const old = entries.filter((entry, index) => index >= maxEntries || now - Date.parse(entry.endedAt) > HISTORY_RETENTION_MS);
    for (const entry of old) await rm(join(this.dir, `${entry.id}.json`), { force: true });
    return old.length;
  }

  /** Fires when this window recorded an entry (other windows' entries are seen at the next `list`). */
  onDidRecord(listener: (entry: HistoryEntry) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
