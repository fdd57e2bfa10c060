// A maintenance run as the maintenance job keeps it, and its view for the webview: each host's step with what
// it does or waits for, the VMs that left it and came back, those that could not, and those moved elsewhere by
// hand meanwhile (returned only when the admin says so). No 'vscode' here.
import * as l10n from '@vscode/l10n';
import type { Vm } from '../../hyperv/model';
import type { MigrationQueue, QueueSummary } from '../../migration/queue';
import type { MaintenanceHostView, MaintenancePhase, MaintenanceStep, MaintenanceView } from '../fleetProtocol';

export interface HostRun {
  readonly host: string;
  step: MaintenanceStep;
  detail: string;
  /** "web01 → HV02", as each move off the host succeeded. */
  readonly moved: string[];
  readonly returned: string[];
  notMoved: { readonly vmName: string; readonly why: string }[];
  readonly movedAway: {
    readonly vmId: string;
    readonly vmName: string;
    readonly movedTo: string;
    readonly now: string;
    returning: boolean;
  }[];
  /** The VMs (ids) of the return being planned. */
  returning: readonly string[];
  returnPlanned?: boolean;
  returnStarted?: boolean;
  /** Why the host could not be read when the admin said it was back (the run waits for it again). */
  unreadable?: string;
  /** Ends the wait for the admin ("Host Is Back"), while the run waits. */
  back?: () => void;
}

export interface Run {
  readonly kind: MaintenanceView['kind'];
  readonly hosts: readonly HostRun[];
  phase: Exclude<MaintenancePhase, 'paused'>;
  paused: boolean;
  waitingFor?: string;
  error?: string;
  readonly abort: AbortController;
  /** The queue of the drain or return being followed, to cancel it with the run. */
  queue?: MigrationQueue;
  /** Resolves `enter`/`exit`/`maintain` once the first plan is shown. */
  readonly shown: () => void;
  resumed?: () => void;
  done: Promise<void>;
}

export function runPhase(run: Run): MaintenancePhase {
  return run.paused && (run.phase === 'running' || run.phase === 'waiting') ? 'paused' : run.phase;
}

export function hostView(h: HostRun): MaintenanceHostView {
  return {
    host: h.host,
    step: h.step,
    detail: h.detail,
    moved: [...h.moved],
    returned: [...h.returned],
    notMoved: [...h.notMoved],
    movedAway: h.movedAway.map((m) => ({ ...m })),
  };
}

/** The VMs a queue did not move, with why. */
export function unmoved(summary: QueueSummary): { vmName: string; why: string }[] {
  return [...summary.failed.map((r) => ({ vmName: r.vmName, why: r.why ?? l10n.t('Failed.') })), ...summary.notMoved];
}

export function movedBytes(summary: QueueSummary | undefined): number {
  return summary?.moved.reduce((sum, r) => sum + (r.outcome?.bytesMoved ?? r.bytes), 0) ?? 0;
}

/** A VM's adapters and the switch each is connected to (null: none), as a maintenance origin keeps them. */
export function switchesOf(vm: Vm): Record<string, string | null> {
  return Object.fromEntries(vm.adapters.map((adapter) => [adapter.id, adapter.switchName]));
}
