// The HA workflow's journal: one JSON file per workflow in the extension's storage, beside the move
// journal. A step is written as running before it runs and as it ended after, so after a reload (or a
// crash) the next extension host knows how far the workflow got: the role removed but the VM not moved,
// the VM moved but its role not yet added, and so on. Writes are atomic (the move journal's rule); a file
// that cannot be read as an entry is skipped with the reason logged.

import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { array, DecodeError, number, object, optionalString, string } from '../hyperv/decode';
import type { Logger } from '../powershell/types';
import type { HaPhase, HaStepId, HaStepStatus } from './haWorkflow';
import { decodePlan, writeAtomically } from './journal';
import type { MovePlan } from './types';

export interface HaJournalStep {
  readonly id: HaStepId;
  readonly status: HaStepStatus;
  readonly detail?: string;
}

/** What a workflow's run needs to be picked up by another extension host. */
export interface HaJournalEntry {
  readonly id: string;
  /** The extension host running it: another window leaves the workflow alone while that process lives. */
  readonly pid: number;
  readonly startedAt: string;
  /** The move as planned: the request (its storage path once checked), the adapters' switches, the DVDs to eject. */
  readonly plan: MovePlan;
  readonly sourceCluster: string;
  readonly role: string;
  readonly destinationCluster: string | null;
  /** The VM's state before the workflow (a running VM must be running at the end). */
  readonly vmState: string;
  /** The executor's move, once started. */
  readonly moveId: string | null;
  readonly steps: readonly HaJournalStep[];
  readonly phase: HaPhase;
  readonly summary?: string;
  readonly endedAt?: string;
}

const SUFFIX = '.json';
const ID = /^[A-Za-z0-9-]{1,64}$/;
const STEPS: readonly HaStepId[] = ['check', 'remove-role', 'move', 'add-role', 'restore-role', 'verify'];
const STATUSES: readonly HaStepStatus[] = ['pending', 'running', 'succeeded', 'failed', 'skipped'];
const PHASES: readonly HaPhase[] = ['ready', 'running', 'succeeded', 'failed', 'cancelled'];
/** Ended workflows are forgotten after this long. */
const RETENTION_MS = 30 * 24 * 3600 * 1000;

function oneOf<T extends string>(o: Readonly<Record<string, unknown>>, key: string, path: string, allowed: readonly T[]): T {
  const value = string(o, key, path);
  if (!(allowed as readonly string[]).includes(value)) throw new DecodeError(`${path}.${key}`, allowed.join('|'), value);
  return value as T;
}

/** An entry read back from its file's text; throws (DecodeError, SyntaxError) when it is not one. */
export function decodeHaEntry(text: string): HaJournalEntry {
  const path = 'haEntry';
  const o = object(JSON.parse(text) as unknown, path);
  const id = string(o, 'id', path);
  if (!ID.test(id)) throw new DecodeError(`${path}.id`, 'a workflow id', id);
  const summary = optionalString(o, 'summary', path);
  const endedAt = optionalString(o, 'endedAt', path);
  return {
    id,
    pid: number(o, 'pid', path),
    startedAt: string(o, 'startedAt', path),
    plan: decodePlan(o.plan, `${path}.plan`),
    sourceCluster: string(o, 'sourceCluster', path),
    role: string(o, 'role', path),
    destinationCluster: optionalString(o, 'destinationCluster', path),
    vmState: string(o, 'vmState', path),
    moveId: optionalString(o, 'moveId', path),
    steps: array(o, 'steps', path, (value, p) => {
      const step = object(value, p);
      const detail = optionalString(step, 'detail', p);
      return { id: oneOf(step, 'id', p, STEPS), status: oneOf(step, 'status', p, STATUSES), ...(detail !== null && { detail }) };
    }),
    phase: oneOf(o, 'phase', path, PHASES),
    ...(summary !== null && { summary }),
    ...(endedAt !== null && { endedAt }),
  };
}

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export class HaJournal {
  /** Writes in order: a later state never lands before an earlier one. */
  private last: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    private readonly logger: Logger = silent,
  ) {}

  /** Writes the entry atomically; resolves once it is on disk. */
  write(entry: HaJournalEntry): Promise<void> {
    if (!ID.test(entry.id)) throw new Error(`Not a workflow id: ${JSON.stringify(entry.id)}`);
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    const next = this.last.then(() => writeAtomically(this.dir, `${entry.id}${SUFFIX}`, text));
    this.last = next.catch(() => undefined);
    return next;
  }

  /** Every readable entry, oldest first; unreadable files are skipped with the reason logged. */
  async list(): Promise<HaJournalEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: HaJournalEntry[] = [];
    for (const name of names.filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.'))) {
      const file = join(this.dir, name);
      try {
        const entry = decodeHaEntry(await readFile(file, 'utf8'));
        if (`${entry.id}${SUFFIX}` !== name) throw new Error(`it holds workflow ${entry.id}, not the one its name says`);
        entries.push(entry);
      } catch (error) {
        this.logger.warn(`HA journal: skipped ${file}: ${(error as Error).message}`);
      }
    }
    return entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** Workflows that have not ended (as far as the journal knows); ended ones past their retention are forgotten. */
  async open(now = Date.now()): Promise<HaJournalEntry[]> {
    const entries = await this.list();
    for (const entry of entries) {
      const ended = entry.endedAt ? Date.parse(entry.endedAt) : NaN;
      if (Number.isFinite(ended) && now - ended > RETENTION_MS) await rm(join(this.dir, `${entry.id}${SUFFIX}`), { force: true });
    }
    return entries.filter((e) => e.endedAt === undefined);
  }
}
