// Progress of one move, computed from what the source host's migration job says (its percent and how
// long it has run) and what the start script read (the bytes the move carries): bytes moved, throughput,
// ETA. Also the plain sentences the panel shows when a move ends.

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

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
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
      return `Where ${vmName} is could not be confirmed${lookupProblem ? ` (${lookupProblem})` : ''}: look for it on ${source} and ${destination}.`;
    }
    if (sameHost(found.host, source)) {
      return found.state === 'Running'
        ? `${vmName} is still running on ${source}.`
        : `${vmName} is still on ${source}, but it is ${found.state}, not running.`;
    }
    return `${vmName} was found on ${found.host} (${found.state}).`;
  };
  switch (outcome.phase) {
    case 'succeeded':
      return `${vmName} moved to ${destination} in ${formatDuration(outcome.durationMs)} (${formatBytes(outcome.bytesMoved)} moved). ${
        found ? `It is ${found.state === 'Running' ? 'running' : found.state} on ${found.host}.` : ''
      }`.trim();
    case 'cancelled':
      return `The move was cancelled at ${outcome.percent} %. ${where()}`;
    case 'failed':
      return `The move failed${outcome.percent > 0 ? ` at ${outcome.percent} %` : ' before it started'}. ${where()}`;
  }
}
