// The move journal: one JSON file per move in the extension's storage, written before the move starts,
// when its job is known, and when it ends. Each write goes to a temp file in the same folder and is
// renamed over the entry, so a reader (or a crash) never sees half an entry. A file that cannot be read
// as an entry is skipped with the reason logged; the journal never throws on one bad file.

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  array,
  choice,
  DecodeError,
  number,
  object,
  oneOf,
  optionalNumber,
  optionalString,
  record,
  string,
  stringItem,
  stringOrNullMap,
} from '../hyperv/decode';
import type { Logger } from '../powershell/types';
import type { MovePhase, MovePlan, MoveProgress, MoveRecord } from './types';

/** A move as the journal keeps it: the record, and what re-attaching to it needs. */
export interface JournalEntry {
  readonly record: MoveRecord;
  /** The source host's Msvm_MigrationJob InstanceID, once the start script saw it. */
  readonly jobId: string | null;
  /** Jobs of the same VM the source listed before this move started (finished jobs stay listed for minutes). */
  readonly priorJobIds: readonly string[];
}

const SUFFIX = '.json';
const PHASES: readonly MovePhase[] = ['starting', 'moving', 'completing', 'succeeded', 'failed', 'cancelled'];
const ENDED = ['succeeded', 'failed', 'cancelled'] as const;
/** An entry's id, also its file's name: a move's, a workflow's, a drain's, a history entry's. */
const ENTRY_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The `id` of an entry read back, which must be fit for a file name (`expected` says what it is in the error). */
export function entryId(o: Readonly<Record<string, unknown>>, path: string, expected: string): string {
  const id = string(o, 'id', path);
  if (!ENTRY_ID.test(id)) throw new DecodeError(`${path}.id`, expected, id);
  return id;
}

/** How a workflow's or drain's entry ended, when it did: its summary and end, each left out while unknown. */
export function decodeEnd(o: Readonly<Record<string, unknown>>, path: string): { readonly summary?: string; readonly endedAt?: string } {
  const summary = optionalString(o, 'summary', path);
  const endedAt = optionalString(o, 'endedAt', path);
  return { ...(summary !== null && { summary }), ...(endedAt !== null && { endedAt }) };
}

export function decodePlan(value: unknown, path: string): MovePlan {
  const o = object(value, path);
  const r = object(o.request, `${path}.request`);
  const rp = `${path}.request`;
  const storagePath = optionalString(r, 'storagePath', rp);
  const vhds =
    r.vhds === undefined || r.vhds === null
      ? undefined
      : array(r, 'vhds', rp, (v, p) => {
          const vhd = object(v, p);
          return { source: string(vhd, 'source', p), destination: string(vhd, 'destination', p) };
        });
  const adapterSwitches = stringOrNullMap(o.adapterSwitches, `${path}.adapterSwitches`);
  return {
    request: {
      vmId: string(r, 'vmId', rp),
      vmName: string(r, 'vmName', rp),
      source: string(r, 'source', rp),
      destination: string(r, 'destination', rp),
      ...(storagePath === null ? {} : { storagePath }),
      ...(vhds && { vhds }),
    },
    adapterSwitches,
    ejectDvd: array(o, 'ejectDvd', path, stringItem),
  };
}

const decodeProgress: (value: unknown, path: string) => MoveProgress = record({
  phase: choice(PHASES),
  percent: number,
  bytesTotal: number,
  bytesMoved: number,
  throughput: number,
  elapsedMs: number,
  etaMs: optionalNumber,
});

function decodeRecord(value: unknown, path: string): MoveRecord {
  const o = object(value, path);
  const id = entryId(o, path, 'a move id');
  const endedAt = optionalString(o, 'endedAt', path);
  let outcome: MoveRecord['outcome'];
  if (o.outcome !== undefined && o.outcome !== null) {
    const op = `${path}.outcome`;
    const oc = object(o.outcome, op);
    const failure = oc.failure === undefined || oc.failure === null ? undefined : object(oc.failure, `${op}.failure`);
    const found = oc.vmFoundOn === undefined || oc.vmFoundOn === null ? undefined : object(oc.vmFoundOn, `${op}.vmFoundOn`);
    const summary = optionalString(oc, 'summary', op);
    outcome = {
      phase: oneOf(oc, 'phase', op, ENDED),
      durationMs: number(oc, 'durationMs', op),
      bytesMoved: number(oc, 'bytesMoved', op),
      ...(failure && {
        failure: {
          message: string(failure, 'message', `${op}.failure`),
          cause: string(failure, 'cause', `${op}.failure`),
          fix: string(failure, 'fix', `${op}.failure`),
        },
      }),
      ...(found && { vmFoundOn: { host: string(found, 'host', `${op}.vmFoundOn`), state: string(found, 'state', `${op}.vmFoundOn`) } }),
      ...(summary !== null && { summary }),
    };
  }
  return {
    id,
    plan: decodePlan(o.plan, `${path}.plan`),
    startedAt: string(o, 'startedAt', path),
    ...(endedAt !== null && { endedAt }),
    progress: decodeProgress(o.progress, `${path}.progress`),
    ...(outcome && { outcome }),
  };
}

/** An entry read back from its file's text; throws (DecodeError, SyntaxError) when it is not one. */
export function decodeEntry(text: string): JournalEntry {
  const o = object(JSON.parse(text) as unknown, 'entry');
  return {
    record: decodeRecord(o.record, 'entry.record'),
    jobId: optionalString(o, 'jobId', 'entry'),
    priorJobIds: array(o, 'priorJobIds', 'entry', stringItem),
  };
}

/**
 * Renames `temp` over `file`. On Windows a reader holding the entry open makes the rename fail for a
 * moment (EPERM/EACCES/EBUSY): try again briefly before giving up.
 */
async function replace(temp: string, file: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(temp, file);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 20 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

/** Writes `text` as `dir`/`name` atomically: a temp file in the same folder, flushed, renamed over it. */
export async function writeAtomically(dir: string, name: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${name}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flush: true });
    await replace(temp, join(dir, name));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Whether the process `pid` runs: an entry another VS Code window's extension host is working on is left to it. */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Ended workflows and drains are forgotten after this long. */
const ENDED_RETENTION_MS = 30 * 24 * 3600 * 1000;

/**
 * A journal of one kind of work that outlives an extension host (the HA workflows, the drains): one JSON
 * file per entry, written atomically and in order, read back with `decode`; a file that cannot be read as
 * an entry is skipped with the reason logged.
 */
export class EntryJournal<T extends { readonly id: string; readonly startedAt: string; readonly endedAt?: string }> {
  /** Writes in order: a later state never lands before an earlier one. */
  private last: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    /** Throws (DecodeError, SyntaxError) when the text is not an entry. */
    private readonly decode: (text: string) => T,
    /** What the log calls it, e.g. "HA journal". */
    private readonly name: string,
    private readonly logger: Logger = silent,
  ) {}

  /** Writes the entry atomically; resolves once it is on disk. */
  write(entry: T): Promise<void> {
    if (!ENTRY_ID.test(entry.id)) throw new Error(`Not a ${this.name} id: ${JSON.stringify(entry.id)}`);
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    const next = this.last.then(() => writeAtomically(this.dir, `${entry.id}${SUFFIX}`, text));
    this.last = next.catch(() => undefined);
    return next;
  }

  /** Every readable entry, oldest first. */
  list(): Promise<T[]> {
    return readEntries(this.dir, this.name, this.logger, 'entry', this.decode, (entry) => entry);
  }

  /** Entries that have not ended (as far as the journal knows); ended ones older than 30 days are forgotten. */
  async open(now = Date.now()): Promise<T[]> {
    const entries = await this.list();
    for (const entry of entries) {
      const ended = entry.endedAt ? Date.parse(entry.endedAt) : NaN;
      if (Number.isFinite(ended) && now - ended > ENDED_RETENTION_MS) await rm(join(this.dir, `${entry.id}${SUFFIX}`), { force: true });
    }
    return entries.filter((e) => e.endedAt === undefined);
  }
}

/** The entry files of a journal folder (none when it does not exist yet). */
async function journalFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith(SUFFIX) && !name.startsWith('.'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Every entry of a journal folder, oldest start first: the one reader of the move journal, the HA and drain
 * journals and the history. A file that cannot be read or decoded, or that holds another entry than its name
 * says, is skipped with the reason logged under `name`.
 */
async function readEntries<T>(
  dir: string,
  name: string,
  logger: Logger,
  /** What an entry is called in the log: `entry`, `move`. */
  noun: string,
  decode: (text: string) => T,
  keyOf: (entry: T) => { readonly id: string; readonly startedAt: string },
): Promise<T[]> {
  const entries: T[] = [];
  for (const fileName of await journalFiles(dir)) {
    const file = join(dir, fileName);
    try {
      const entry = decode(await readFile(file, 'utf8'));
      const { id } = keyOf(entry);
      if (`${id}${SUFFIX}` !== fileName) throw new Error(`it holds ${noun} ${id}, not the ${noun} its name says`);
      entries.push(entry);
    } catch (error) {
      logger.warn(`${name}: skipped ${file}: ${(error as Error).message}`);
    }
  }
  return entries.sort((a, b) => keyOf(a).startedAt.localeCompare(keyOf(b).startedAt));
}

export class MoveJournal {
  /** Writes of one entry, in order: a later state never lands before an earlier one. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    readonly dir: string,
    private readonly logger: Logger = silent,
  ) {}

  private fileOf(id: string): string {
    if (!ENTRY_ID.test(id)) throw new Error(`Not a move id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}${SUFFIX}`);
  }

  /** Writes the entry atomically (temp file + rename); resolves once it is on disk. */
  write(entry: JournalEntry): Promise<void> {
    const id = entry.record.id;
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous.then(() => writeAtomically(this.dir, basename(this.fileOf(id)), text));
    const settled = next.catch(() => undefined);
    this.writes.set(id, settled);
    void settled.then(() => {
      if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return next;
  }

  /** Every readable entry, oldest start first; unreadable files are skipped with the reason logged. */
  list(): Promise<JournalEntry[]> {
    return readEntries(this.dir, 'Move journal', this.logger, 'move', decodeMoveFile, (entry) => entry.record);
  }

  /** Entries of moves that have not ended (as far as the journal knows). */
  async open(): Promise<JournalEntry[]> {
    return (await this.list()).filter((e) => e.record.endedAt === undefined);
  }

  /** Forgets ended moves older than `maxAgeMs` (by end time); open moves are always kept. */
  async prune(maxAgeMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const entry of await this.list()) {
      const ended = entry.record.endedAt ? Date.parse(entry.record.endedAt) : NaN;
      if (Number.isFinite(ended) && now - ended > maxAgeMs) {
        await rm(this.fileOf(entry.record.id), { force: true });
        removed++;
      }
    }
    return removed;
  }
}

function decodeMoveFile(text: string): JournalEntry {
  try {
    return decodeEntry(text);
  } catch (error) {
    throw new Error(`not a move entry (${(error as Error).message})`);
  }
}
