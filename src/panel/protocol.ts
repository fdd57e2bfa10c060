// The one protocol between the migration panel and its webview; both sides import it. The extension owns
// the state and pushes whole snapshots (`state`); the webview renders them and asks (`FromWebview`).
import type { Vm } from '../hyperv/model';
import { MAX_MOVE_SAMPLES, type MoveSample } from '../migration/moveSamples';
import type { Area, Evidence, FailureExplanation, FixChoice, FixOption, MovePhase, Severity } from '../migration/types';

export type PanelIntent = 'check' | 'migrate' | 'copy' | 'moves';

/** A VM as the panel shows it: the inventory's names and state as they are, its sizes and devices in words. */
export interface VmSummary extends Pick<Vm, 'id' | 'name' | 'host' | 'state' | 'status' | 'version'> {
  readonly memory: string;
  readonly processors: number;
  readonly disks: readonly string[];
  readonly adapters: readonly string[];
  readonly iso: readonly string[];
  readonly clustered: boolean;
}

export interface HostSummary {
  readonly name: string;
  readonly reachable: boolean;
  readonly problem?: string;
  readonly cluster?: string;
  readonly cpu?: string;
  readonly memoryFree?: string;
  readonly diskFree?: string;
  readonly migration?: string;
  readonly authentication?: string;
  readonly switches?: readonly string[];
  readonly versions?: readonly string[];
  readonly vmCount?: number;
}

/** How a destination looks for one VM, from the preflight engine: the quick pick and the panel show the same. */
/** `maintenance`: the host is in maintenance (or entering it): not offered, not checked. */
export type ReadinessKind = 'source' | 'unchecked' | 'checking' | 'ready' | 'blocked' | 'unreachable' | 'failed' | 'maintenance';

export interface DestinationView {
  readonly host: string;
  readonly cluster?: string;
  readonly readiness: ReadinessKind;
  /** e.g. `ready`, `2 blockers`, `ready · 1 warning`, `unreachable`, `checking…`. */
  readonly summary: string;
}

/** What became of a finding the admin acted on. */
export type RowStatus =
  | { readonly kind: 'applying'; readonly message: string }
  | { readonly kind: 'fixed'; readonly message: string }
  | { readonly kind: 'stillFailing'; readonly message: string }
  | { readonly kind: 'fixFailed'; readonly message: string };

export type FixView = Pick<FixOption, 'id' | 'title' | 'description' | 'destructive' | 'appliesTo'> & {
  readonly choices: readonly FixChoice[];
};

export interface FindingRow {
  readonly id: string;
  readonly area: Area;
  /** `passed`: found by an earlier check of this destination and gone now (or an area without findings). */
  readonly severity: Severity | 'passed';
  readonly title: string;
  readonly cause: string;
  readonly evidence: readonly Evidence[];
  readonly fixes: readonly FixView[];
  /** `33012 (VMNetworkAdapter)`: the Compare-VM incompatibility behind the finding. */
  readonly compareVm?: string;
  readonly status?: RowStatus;
}

export interface AreaGroup {
  readonly area: Area;
  readonly title: string;
  readonly rows: readonly FindingRow[];
}

export interface CheckView {
  readonly status: 'checking' | 'done' | 'failed';
  /** Why the check itself failed (status `failed`). */
  readonly message?: string;
  readonly checkedAt?: string;
  readonly blockers: number;
  readonly warnings: number;
  readonly groups: readonly AreaGroup[];
}

export interface MoveOutcomeView {
  readonly phase: 'succeeded' | 'failed' | 'cancelled';
  /** e.g. `sql01 now runs on HV02.` or `web01 is running on HV01.` */
  readonly headline: string;
  readonly duration: string;
  readonly moved: string;
  readonly failure?: FailureExplanation;
  /** e.g. `web01 is running on HV01`, after a failure or a cancel. */
  readonly vmFoundOn?: string;
}

export type { MoveSample };
/** The most samples of one move the panel keeps and sends. */
export const MAX_SAMPLES = MAX_MOVE_SAMPLES;

export interface MoveView {
  readonly id: string;
  readonly vmId: string;
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly phase: MovePhase;
  readonly running: boolean;
  readonly percent: number;
  /** Formatted for the admin: `12 GB of 646 GB`, `1.2 GB/s`, `0:12`, `0:40` or `estimating…`. */
  readonly bytes: string;
  readonly throughput: string;
  readonly elapsed: string;
  readonly eta: string;
  readonly startedAt: string;
  readonly outcome?: MoveOutcomeView;
  /** Its progress over time, oldest first: one sample or none for a move re-attached after a reload. */
  readonly samples?: readonly MoveSample[];
}

/** One VM of the panel: its destination, the checklist, the plan, the move. */
export interface MigrationSection {
  readonly vm: VmSummary;
  readonly destination: string | null;
  readonly destinations: readonly DestinationView[];
  readonly check: CheckView | null;
  /** The move plan's choices in words, e.g. `Adapter 'Storage' → switch 'LAN1' on HV02`. */
  readonly plan: readonly string[];
  readonly move: MoveView | null;
  /** True while a check, fix or move start of this VM is under way: its buttons wait. */
  readonly busy: boolean;
  readonly migrate: { readonly enabled: boolean; readonly reason: string };
  /** A problem to show above the checklist, e.g. why a move could not start. */
  readonly notice?: string;
}

export interface PanelState {
  readonly intent: PanelIntent;
  readonly title: string;
  readonly lab: boolean;
  readonly vms: readonly VmSummary[];
  /** Every host of the fleet, as candidate destinations. */
  readonly fleet: readonly HostSummary[];
  readonly migrating: readonly string[];
  /** One per selected VM (check, migrate, copy). */
  readonly sections: readonly MigrationSection[];
  /** Moves of this session and those re-attached after a reload, newest first. */
  readonly moves: readonly MoveView[];
}

export type ToWebview = { readonly type: 'state'; readonly state: PanelState };

/** The values the admin picked for a fix's choices, by choice name. */
export type Choices = Readonly<Record<string, string>>;

export type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'showLog' }
  | { readonly type: 'choose'; readonly vmId: string; readonly host: string }
  | { readonly type: 'recheck'; readonly vmId: string }
  | { readonly type: 'checkDestinations'; readonly vmId: string }
  | { readonly type: 'applyFix'; readonly vmId: string; readonly findingId: string; readonly fixId: string; readonly choices: Choices }
  | { readonly type: 'showFixScript'; readonly vmId: string; readonly findingId: string; readonly fixId: string; readonly choices: Choices }
  | { readonly type: 'migrate'; readonly vmId: string }
  | { readonly type: 'retry'; readonly vmId: string }
  | { readonly type: 'cancel'; readonly moveId: string }
  | { readonly type: 'copyScript'; readonly vmId: string };

const MAX_TEXT = 1024;

function text(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TEXT ? v : undefined;
}

function choices(value: unknown): Choices | undefined {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 16) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (typeof v !== 'string' || k.length > 128 || v.length > MAX_TEXT) return undefined;
    out[k] = v;
  }
  return out;
}

/** Inbound messages are untrusted: only these shapes, with strings of sane length, are acted on. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const o = message as Record<string, unknown>;
  const type = o.type;
  switch (type) {
    case 'ready':
    case 'refresh':
    case 'showLog':
      return { type };
    case 'recheck':
    case 'checkDestinations':
    case 'migrate':
    case 'retry':
    case 'copyScript': {
      const vmId = text(o, 'vmId');
      return vmId ? { type, vmId } : undefined;
    }
    case 'choose': {
      const vmId = text(o, 'vmId');
      const host = text(o, 'host');
      return vmId && host ? { type, vmId, host } : undefined;
    }
    case 'cancel': {
      const moveId = text(o, 'moveId');
      return moveId ? { type, moveId } : undefined;
    }
    case 'applyFix':
    case 'showFixScript': {
      const vmId = text(o, 'vmId');
      const findingId = text(o, 'findingId');
      const fixId = text(o, 'fixId');
      const picked = choices(o.choices);
      return vmId && findingId && fixId && picked ? { type, vmId, findingId, fixId, choices: picked } : undefined;
    }
    default:
      return undefined;
  }
}

function sample(value: unknown): MoveSample | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { atMs, percent, throughput } = value as Record<string, unknown>;
  const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  if (!finite(atMs) || !finite(percent) || !finite(throughput)) return undefined;
  if (atMs < 0 || percent < 0 || percent > 100 || throughput < 0) return undefined;
  return { atMs, percent, throughput };
}

/**
 * A move's samples as the webview charts them: an array of at most MAX_SAMPLES samples, each with finite
 * numbers in range, in time order; anything else is not charted (undefined).
 */
export function parseSamples(value: unknown): MoveSample[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_SAMPLES) return undefined;
  const samples: MoveSample[] = [];
  for (const item of value) {
    const s = sample(item);
    if (!s || (samples.length > 0 && s.atMs < samples[samples.length - 1].atMs)) return undefined;
    samples.push(s);
  }
  return samples;
}
