// What placement answers: the VMs placed, the hosts rated for each (with the lines that made the rating), the
// VMs no host can take, and the hosts' capacity as placement counts it.

import type { Credential, PowerShellRunner } from '../../powershell/types';
import type { HostLimits } from '../queue';
import type { Finding, MovePlan, PreflightEngine, PreflightResult } from '../types';
import type { MoveSize } from './facts';
import type { HostRating, RatingLine } from './hostRating';

export interface PlacementContext {
  readonly runner: PowerShellRunner;
  /** The preflight engine (default: one over the runner). */
  readonly engine?: PreflightEngine;
  readonly credentialFor?: (host: string) => Credential | undefined;
  readonly signal?: AbortSignal;
  /** Checks made so far, of how many, for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Hosts in maintenance (maintenance.ts, closedHosts): rated "in maintenance", never chosen, not checked. */
  readonly maintenance?: readonly string[];
  /**
   * The switches a VM's adapters had on a host it left for maintenance (maintenance.ts, switchesAtHome): a move back
   * there connects an adapter to its own switch again rather than to another of the same type.
   */
  readonly switchesAtHome?: (vmId: string, host: string) => Readonly<Record<string, string | null>> | undefined;
}

export interface PlacedVm extends MoveSize {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly state: string;
  readonly clustered: boolean;
}

export type { RatingLine };

export interface Candidate extends HostRating {
  /** What the last check found (empty when the host was ruled out from the inventory alone). */
  readonly findings: readonly Finding[];
  /** The move plan with placement's choices (when the host was checked). */
  readonly plan?: MovePlan;
  /** Estimated duration of the move (the lab's and Hyper-V's: 1 s + bytes over the slower link). */
  readonly estimatedMs: number;
}

export interface VmPlacement {
  readonly vm: PlacedVm;
  readonly destination: string;
  /** The chosen host's rating and plan. */
  readonly chosen: Candidate & { readonly plan: MovePlan };
  /** Every host considered, best first (ready ones first). */
  readonly candidates: readonly Candidate[];
  readonly overridden: boolean;
}

export interface Unmovable {
  readonly vm: PlacedVm;
  /** In a sentence, host by host. */
  readonly why: string;
  readonly candidates: readonly Candidate[];
}

/** A host as placement counts it. */
export interface HostCapacity {
  readonly name: string;
  readonly cpuVendor: string;
  readonly memoryCapacity: number;
  readonly memoryFree: number;
  readonly volumes: readonly { readonly name: string; readonly freeSpace: number; readonly size: number }[];
  readonly virtualMachinePath: string;
  readonly switches: readonly { readonly name: string; readonly switchType: string }[];
  readonly limits: HostLimits;
  /** null when the host did not say. */
  readonly linkSpeedBps: number | null;
}

/** What the checks said for one VM and one host, before the planned moves are counted. */
export interface Option {
  readonly host: string;
  /** Ruled out from the inventory (unreachable host, processor vendor, configuration version, memory) without a check. */
  readonly ruledOut: readonly string[];
  readonly result?: PreflightResult;
  readonly plan?: MovePlan;
  readonly choices: readonly string[];
  /** Adapters whose switch exists by name on the host, of how many. */
  readonly switchesKept: number;
  readonly adapters: number;
}

export interface Evaluation {
  readonly vm: PlacedVm;
  readonly options: readonly Option[];
  /** Asked for by the admin ("Migrate…" with a destination). */
  readonly requested?: string;
}

/**
 * Placement's answer for a drain (or a "Migrate…" of many VMs): where each VM goes and what no host can take.
 * Not a plan file (src/plans) nor one move's plan (MovePlan).
 */
export interface PlacementPlan {
  /** The host being drained, for a drain. */
  readonly source?: string;
  /** Movable VMs, in the order given (the host's order for a drain), each with its destination. */
  readonly placements: readonly VmPlacement[];
  /** VMs no host can take, with why. */
  readonly unmovable: readonly Unmovable[];
  /** Every host involved, with its limits (for the queue). */
  readonly hosts: readonly HostCapacity[];
  readonly evaluations: readonly Evaluation[];
  /** Destinations the admin chose, by VM id (lower case). */
  readonly overrides: Readonly<Record<string, string>>;
  readonly plannedAt: string;
  /** Preflight checks made (each is up to two PowerShell round trips). */
  readonly checks: number;
}
