// Progress of one move, computed from what the source host's migration job says (its percent and how
// long it has run) and what the start script read (the bytes the move carries): bytes moved, throughput,
// ETA. Also the plain sentences the panel shows when a move ends.

import * as l10n from '@vscode/l10n';
import { bytes, duration } from '../hyperv/format';
import { sameHost } from '../hyperv/hostName';
import type { MoveOutcome, MovePhase, MoveProgress } from './types';

export interface ProgressSample {
  readonly phase: MovePhase;
  /** The job's PercentComplete (0..100). */
  readonly percent: number;
  /** Memory + VHD files + checkpoints, read before the move; 0 when unknown (e.g. re-attached after a crash at start). */
  readonly bytesTotal: number;
  /** Since the move was started here (the journal's startedAt). */
  readonly elapsedMs: number;
  /** How long the host's job has run (its ElapsedTime), when it said; throughput and ETA are measured on it. */
  readonly jobElapsedMs: number | null;
}

/** Below this much measured transfer time, a rate is noise: no throughput or ETA yet. */
const MIN_MEASURED_MS = 200;

export function progressOf(sample: ProgressSample): MoveProgress {
  const percent = Math.min(100, Math.max(0, sample.percent));
  const bytesTotal = Math.max(0, sample.bytesTotal);
  const bytesMoved = Math.round((bytesTotal * percent) / 100);
  const elapsedMs = Math.max(0, sample.elapsedMs);
  const measuredMs = sample.jobElapsedMs !== null && sample.jobElapsedMs > 0 ? sample.jobElapsedMs : elapsedMs;
  const measured = measuredMs >= MIN_MEASURED_MS;
  const throughput = measured && bytesMoved > 0 ? (bytesMoved * 1000) / measuredMs : 0;
  let etaMs: number | null = null;
  if (sample.phase === 'succeeded') etaMs = 0;
  else if ((sample.phase === 'moving' || sample.phase === 'completing') && measured && percent > 0) {
    etaMs = Math.round((measuredMs * (100 - percent)) / percent);
  }
  return { phase: sample.phase, percent, bytesTotal, bytesMoved, throughput, elapsedMs, etaMs };
}

/** A running job's phase: the last percent is the switch-over to the destination. */
export function runningPhase(percent: number): 'moving' | 'completing' {
  return percent >= 99 ? 'completing' : 'moving';
}

/** Where the VM was found after the move ended; `null` when no host answered for it. */
export interface VmWhereabouts {
  readonly host: string;
  readonly state: string;
}

/**
 * The sentence the panel shows when a move ends: what happened and, after a failure or cancel, where the
 * VM is (the promise: running on its source), said plainly, including when it is not so.
 */
export function summarize(
  vmName: string,
  source: string,
  destination: string,
  outcome: Pick<MoveOutcome, 'phase' | 'durationMs' | 'bytesMoved'> & { readonly percent: number },
  found: VmWhereabouts | null,
  lookupProblem?: string,
): string {
  const where = (): string => {
    if (!found) {
      return lookupProblem
        ? l10n.t('Where {0} is could not be confirmed ({1}): look for it on {2} and {3}.', vmName, lookupProblem, source, destination)
        : l10n.t('Where {0} is could not be confirmed: look for it on {1} and {2}.', vmName, source, destination);
    }
    if (sameHost(found.host, source)) {
      return found.state === 'Running'
        ? l10n.t('{0} is still running on {1}.', vmName, source)
        : l10n.t('{0} is still on {1}, but it is {2}, not running.', vmName, source, found.state);
    }
    return l10n.t('{0} was found on {1} ({2}).', vmName, found.host, found.state);
  };
  switch (outcome.phase) {
    case 'succeeded': {
      const took = duration(outcome.durationMs);
      const moved = bytes(outcome.bytesMoved);
      if (!found) return l10n.t('{0} moved to {1} in {2} ({3} moved).', vmName, destination, took, moved);
      return found.state === 'Running'
        ? l10n.t('{0} moved to {1} in {2} ({3} moved). It is running on {4}.', vmName, destination, took, moved, found.host)
        : l10n.t('{0} moved to {1} in {2} ({3} moved). It is {4} on {5}.', vmName, destination, took, moved, found.state, found.host);
    }
    case 'cancelled':
      return l10n.t('The move was cancelled at {0} %. {1}', outcome.percent, where());
    case 'failed':
      return outcome.percent > 0
        ? l10n.t('The move failed at {0} %. {1}', outcome.percent, where())
        : l10n.t('The move failed before it started. {0}', where());
  }
}
