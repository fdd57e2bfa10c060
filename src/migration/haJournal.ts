// The HA workflow's journal: one JSON file per workflow in the extension's storage, beside the move
// journal. A step is written as running before it runs and as it ended after, so after a reload (or a
// crash) the next extension host knows how far the workflow got: the role removed but the VM not moved,
// the VM moved but its role not yet added, and so on. Writes are atomic (the move journal's rule); a file
// that cannot be read as an entry is skipped with the reason logged.

import { choice, fields, list, nested, number, object, optionalString, string } from '../hyperv/decode';
import type { Logger } from '../powershell/types';
import type { HaPhase, HaStepId, HaStepStatus } from './haWorkflow';
import { decodeEnd, decodePlan, EntryJournal, entryId } from './journal';
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

const STEPS: readonly HaStepId[] = ['check', 'remove-role', 'move', 'add-role', 'restore-role', 'verify'];
const STATUSES: readonly HaStepStatus[] = ['pending', 'running', 'succeeded', 'failed', 'skipped'];
const PHASES: readonly HaPhase[] = ['ready', 'running', 'succeeded', 'failed', 'cancelled'];

/** An entry read back from its file's text; throws (DecodeError, SyntaxError) when it is not one. */
export function decodeHaEntry(text: string): HaJournalEntry {
  const path = 'haEntry';
  const o = object(JSON.parse(text) as unknown, path);
  return {
    id: entryId(o, path, 'a workflow id'),
    ...fields(o, path, {
      pid: number,
      startedAt: string,
      plan: nested(decodePlan),
      sourceCluster: string,
      role: string,
      destinationCluster: optionalString,
      vmState: string,
      moveId: optionalString,
      steps: list((value, p) => {
        const step = object(value, p);
        const detail = optionalString(step, 'detail', p);
        return { ...fields(step, p, { id: choice(STEPS), status: choice(STATUSES) }), ...(detail !== null && { detail }) };
      }),
      phase: choice(PHASES),
    }),
    ...decodeEnd(o, path),
  };
}

/** The HA workflows' journal. */
export class HaJournal extends EntryJournal<HaJournalEntry> {
  constructor(dir: string, logger?: Logger) {
    super(dir, decodeHaEntry, 'HA journal', logger);
  }
}
