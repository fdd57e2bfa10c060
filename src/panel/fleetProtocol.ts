// The one protocol between the fleet operations panel (Configure Live Migration, Drain Host / Migrate many,
// the HA workflow) and its webview; both sides import it. The extension owns the state and pushes whole
// snapshots (`state`); the webview renders them and asks (`FromFleetWebview`). Self-contained on purpose:
// the webview's type check sees nothing of the extension but this file and the core's view types it shares
// (hostRating.ts, which imports nothing).

import type { HostRating, RatingLine } from '../migration/placement/hostRating';

export type FleetJob = 'configure' | 'drain' | 'ha' | 'maintenance';

// ---- Configure Live Migration ------------------------------------------------------------------------

export type PairStatus = 'ready' | 'missing' | 'unknown';

/** One cell of the matrix: source (row) → destination (column). */
export interface MatrixCell {
  readonly source: string;
  readonly destination: string;
  readonly status: PairStatus;
  /** Short, for the cell: `ready`, or what is missing, e.g. `delegation · any protocol`. */
  readonly label: string;
  /** Every gap in a sentence (the tooltip and the detail under the matrix). */
  readonly gaps: readonly string[];
}

/** One host's live-migration settings as read. */
export interface ConfigHostView {
  readonly name: string;
  readonly read: boolean;
  /** Why the host (or its AD account) could not be read. */
  readonly problem?: string;
  readonly migrationEnabled: boolean;
  /** `any network`, `10.10.1.0/24`, or `none`. */
  readonly networks: string;
  readonly networksOk: boolean;
  readonly authentication: string;
  readonly kerberos: boolean;
  readonly performance: string;
  /** e.g. `2 live · 2 storage`. */
  readonly limits: string;
  /** The AD account's delegation, e.g. `any protocol · 8 entries`. */
  readonly delegation: string;
  readonly anyProtocol: boolean;
}

export interface ChangeResultView {
  readonly status: 'applied' | 'failed' | 'skipped';
  readonly message?: string;
}

/** One change of the plan: where, what, why, and the PowerShell it runs. */
export interface ConfigChangeView {
  readonly id: string;
  readonly host: string;
  readonly title: string;
  readonly why: string;
  /** Changes Active Directory (needs replication and a new Kerberos ticket). */
  readonly ad: boolean;
  readonly script: string;
  readonly result?: ChangeResultView;
}

export interface TicketView {
  readonly host: string;
  readonly ok: boolean;
  readonly message?: string;
}

export interface ConfigureView {
  /** The hosts asked for, in order: the matrix's rows and columns. */
  readonly hosts: readonly string[];
  /** What runs now, in words (`Reading 6 hosts…`), or null when idle. */
  readonly busy: string | null;
  /** Why the last step failed as a whole. */
  readonly error?: string;
  readonly readAt?: string;
  readonly hostRows: readonly ConfigHostView[];
  readonly cells: readonly MatrixCell[];
  readonly readyPairs: number;
  readonly pairs: number;
  readonly allReady: boolean;
  /** The smallest set of changes that makes every pair ready (empty when nothing is missing). */
  readonly changes: readonly ConfigChangeView[];
  /** What the admin must know: AD replication, new Kerberos tickets, hosts that could not be planned. */
  readonly notes: readonly string[];
  /** Pairs no change can fix because a host could not be read. */
  readonly unplanned: readonly string[];
  /**
   * The last apply: in a sentence (e.g. `12 of 12 changes applied. Read again: 30 of 30 pairs ready (5
   * before).`) and its changes, each with how it went.
   */
  readonly applied?: { readonly ok: boolean; readonly text: string; readonly changes: readonly ConfigChangeView[] };
  /** Hosts whose AD account the last apply changed: their tickets need a refresh. */
  readonly refreshHosts: readonly string[];
  readonly tickets?: readonly TicketView[];
}

// ---- Drain Host / Migrate many ------------------------------------------------------------------------

export type { RatingLine as RatingLineView };

/** A host as a destination for one VM, rated (placement's Candidate less its findings and plan). */
export interface CandidateView extends HostRating {
  /** e.g. `≈ 1:21`. */
  readonly estimate: string;
}

/** The VM a row of a drain is about, and the host it is on. */
export interface VmRowView {
  readonly vmId: string;
  readonly vmName: string;
  readonly source: string;
}

/** A VM that will move, with where and why there. */
export interface PlacementView extends VmRowView {
  readonly state: string;
  /** e.g. `4 GB memory · 120 GB disks`. */
  readonly size: string;
  readonly destination: string;
  readonly overridden: boolean;
  readonly candidates: readonly CandidateView[];
}

export interface UnmovableView extends VmRowView {
  readonly why: string;
  readonly candidates: readonly CandidateView[];
}

export type QueueRowState = 'queued' | 'starting' | 'moving' | 'succeeded' | 'failed' | 'cancelled' | 'not-started';

export interface QueueRowView extends VmRowView {
  readonly destination: string;
  readonly state: QueueRowState;
  readonly percent: number;
  /** e.g. `12 GB of 646 GB`. */
  readonly bytes: string;
  /** Why it waits, how it ended, or its phase and ETA. */
  readonly detail: string;
}

export type DrainPhase = 'planning' | 'planned' | 'running' | 'paused' | 'cancelling' | 'ended' | 'failed';

export interface DrainSummaryView {
  readonly text: string;
  readonly moved: readonly string[];
  readonly failed: readonly { readonly vmName: string; readonly why: string }[];
  readonly notMoved: readonly { readonly vmName: string; readonly why: string }[];
}

export interface DrainView {
  /** `drain`: every VM of a host; `many`: the VMs the admin selected; `plan`: the moves of a plan file. */
  readonly kind: 'drain' | 'many' | 'plan';
  /** The host drained, or the VMs' names. */
  readonly subject: string;
  readonly phase: DrainPhase;
  /** Checks made of how many, while planning. */
  readonly checked?: { readonly done: number; readonly total: number };
  readonly error?: string;
  /** A problem with the admin's last request (e.g. an override the host cannot take). */
  readonly notice?: string;
  readonly placements: readonly PlacementView[];
  readonly unmovable: readonly UnmovableView[];
  /** Each host's limits, e.g. `HV01: 2 live, 2 storage at once`. */
  readonly limits: readonly string[];
  readonly rows: readonly QueueRowView[];
  readonly summary?: DrainSummaryView;
}

// ---- the HA workflow ----------------------------------------------------------------------------------

export type HaStepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface HaStepView {
  readonly id: string;
  readonly title: string;
  readonly status: HaStepStatus;
  readonly detail?: string;
  readonly script: string;
}

export type HaViewPhase = 'preparing' | 'unavailable' | 'ready' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface HaMoveView {
  readonly percent: number;
  readonly phase: string;
  readonly bytes: string;
  readonly eta: string;
}

/** A warning or blocker the HA workflow's check found; the icon comes from `severity`, never from the (translated) text. */
export interface HaFindingView {
  readonly severity: 'blocker' | 'warning';
  readonly text: string;
}

export interface HaView {
  readonly vmId: string;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly sourceCluster: string;
  readonly destinationCluster: string | null;
  readonly role: string;
  readonly phase: HaViewPhase;
  /** Why the workflow does not apply (unavailable), or how it ended. */
  readonly message?: string;
  readonly steps: readonly HaStepView[];
  readonly move?: HaMoveView;
  /** Warnings and blockers the check found, in a line each. */
  readonly findings: readonly HaFindingView[];
}

// ---- maintenance windows ----------------------------------------------------------------------------

/** Where one host of a maintenance run is: its VMs leaving, waiting for the admin, its VMs going back, done. */
export type MaintenanceStep = 'pending' | 'entering' | 'waiting' | 'exiting' | 'done' | 'failed' | 'stopped';

/** A VM that left the host for its maintenance and was moved elsewhere by hand since: returned only when the admin asks. */
export interface MovedAwayView {
  readonly vmId: string;
  readonly vmName: string;
  /** Where maintenance sent it, and where it is now. */
  readonly movedTo: string;
  readonly now: string;
  /** The admin chose "Return anyway". */
  readonly returning: boolean;
}

export interface MaintenanceHostView {
  readonly host: string;
  readonly step: MaintenanceStep;
  /** What the step is doing or waits for, in a sentence. */
  readonly detail: string;
  /** VMs that left the host, each with where it went. */
  readonly moved: readonly string[];
  /** VMs that went back to it. */
  readonly returned: readonly string[];
  /** VMs that could not leave it, or could not go back, with why. */
  readonly notMoved: readonly { readonly vmName: string; readonly why: string }[];
  readonly movedAway: readonly MovedAwayView[];
}

export type MaintenancePhase = 'running' | 'waiting' | 'paused' | 'ended' | 'cancelled' | 'failed';

export interface MaintenanceView {
  /** One host entered or left, or several one by one. */
  readonly kind: 'enter' | 'exit' | 'rolling';
  readonly phase: MaintenancePhase;
  /** The host the admin is asked to patch and restart, while the run waits for it. */
  readonly waitingFor?: string;
  readonly hosts: readonly MaintenanceHostView[];
  readonly error?: string;
}

// ---- the snapshot and the messages --------------------------------------------------------------------

export interface FleetPanelState {
  readonly title: string;
  readonly lab: boolean;
  /** The job shown; the others stay reachable from the header while they exist. */
  readonly active: FleetJob | null;
  readonly configure: ConfigureView | null;
  readonly drain: DrainView | null;
  readonly ha: HaView | null;
  readonly maintenance: MaintenanceView | null;
}

export type ToFleetWebview = { readonly type: 'state'; readonly state: FleetPanelState };

export type FromFleetWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'showLog' }
  | { readonly type: 'show'; readonly job: FleetJob }
  | { readonly type: 'configureRead' }
  | { readonly type: 'configureShowScript' }
  | { readonly type: 'configureApply' }
  | { readonly type: 'configureRefreshTickets' }
  | { readonly type: 'configureShowTicketScript' }
  | { readonly type: 'drainOverride'; readonly vmId: string; readonly host: string }
  | { readonly type: 'drainStart' }
  | { readonly type: 'drainPause' }
  | { readonly type: 'drainResume' }
  | { readonly type: 'drainCancel' }
  | { readonly type: 'drainReplan' }
  | { readonly type: 'drainSaveAsPlan' }
  | { readonly type: 'haStart' }
  | { readonly type: 'haCancel' }
  | { readonly type: 'haShowScript' }
  | { readonly type: 'maintenanceHostIsBack'; readonly host: string }
  | { readonly type: 'maintenanceExit'; readonly host: string }
  | { readonly type: 'maintenanceReturnAnyway'; readonly vmId: string }
  | { readonly type: 'maintenancePause' }
  | { readonly type: 'maintenanceResume' }
  | { readonly type: 'maintenanceCancel' };

const MAX_TEXT = 256;
const JOBS: readonly FleetJob[] = ['configure', 'drain', 'ha', 'maintenance'];

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT ? v : undefined;
}

/** Inbound messages are untrusted: only these shapes, with strings of sane length, are acted on. */
export function parseFromFleetWebview(message: unknown): FromFleetWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const o = message as Record<string, unknown>;
  const type = o.type;
  switch (type) {
    case 'ready':
    case 'showLog':
    case 'configureRead':
    case 'configureShowScript':
    case 'configureApply':
    case 'configureRefreshTickets':
    case 'configureShowTicketScript':
    case 'drainStart':
    case 'drainPause':
    case 'drainResume':
    case 'drainCancel':
    case 'drainReplan':
    case 'drainSaveAsPlan':
    case 'haStart':
    case 'haCancel':
    case 'haShowScript':
    case 'maintenancePause':
    case 'maintenanceResume':
    case 'maintenanceCancel':
      return { type };
    case 'maintenanceHostIsBack':
    case 'maintenanceExit': {
      const host = text(o, 'host');
      return host ? { type, host } : undefined;
    }
    case 'maintenanceReturnAnyway': {
      const vmId = text(o, 'vmId');
      return vmId ? { type, vmId } : undefined;
    }
    case 'show': {
      const job = JOBS.find((j) => j === o.job);
      return job ? { type, job } : undefined;
    }
    case 'drainOverride': {
      const vmId = text(o, 'vmId');
      const host = text(o, 'host');
      return vmId && host ? { type, vmId, host } : undefined;
    }
    default:
      return undefined;
  }
}
