// Drain Host… and Migrate… for many VMs: plan first (placement: every VM rated on every other host, the
// unmovable ones listed with why before anything starts), then run the plan through the queue, which
// keeps every host within its migration limits, longest moves first.

import type { HostReading } from '../hyperv/inventory';
import type { Logger } from '../powershell/types';
import { journalQueue, type DrainKind } from './drainJournal';
import { planPlacement, type PlacementPlan, type PlacementContext } from './placement';
import { sameHost } from '../hyperv/hostName';
import { limitsFrom, MigrationQueue, type HostLimits, type QueueItem, type QueueOrder } from './queue';
import type { MoveExecutor, MovePlan } from './types';

/** Plans the drain of `host`: every VM on it placed on another host of the fleet, or listed as unmovable with why. */
export async function planDrain(ctx: PlacementContext, host: string, fleet: readonly HostReading[]): Promise<PlacementPlan> {
  const reading = fleet.find((r) => sameHost(r.name, host));
  if (!reading) throw new Error(`${host} is not one of the hosts read.`);
  if (!reading.ok) throw new Error(`${host} could not be read, so its VMs are unknown: ${reading.error.message}`);
  return planPlacement(
    ctx,
    fleet,
    reading.inventory.vms.map((vm) => ({ vm })),
    reading.name,
  );
}

/**
 * Plans "Migrate…" for many VMs (by id): each to the destination given, or to its best-rated host. A
 * move given with its `plan` (a plan file's move, with the admin's own choices) is checked as it is:
 * placement makes no choice of its own for it.
 */
export async function planMigration(
  ctx: PlacementContext,
  fleet: readonly HostReading[],
  wanted: readonly { readonly vmId: string; readonly destination?: string; readonly plan?: MovePlan }[],
): Promise<PlacementPlan> {
  const vms = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : []));
  return planPlacement(
    ctx,
    fleet,
    wanted.map(({ vmId, destination, plan }) => {
      const vm = vms.find((v) => v.id.toLowerCase() === vmId.toLowerCase());
      if (!vm) throw new Error(`No VM with id ${vmId} on the hosts read.`);
      return { vm, ...(destination && { destination }), ...(plan && { plan }) };
    }),
  );
}

/** The queue's view of a plan: one item per placed VM, and the hosts' limits. */
export function queueItems(plan: PlacementPlan): { items: QueueItem[]; limits: Record<string, HostLimits> } {
  const items = plan.placements.map((placement) => ({
    plan: placement.chosen.plan,
    bytes: placement.vm.bytes,
    estimatedMs: placement.chosen.estimatedMs,
    movesStorage: placement.vm.movesStorage,
  }));
  const limits = Object.fromEntries(plan.hosts.map((host) => [host.name, host.limits]));
  return { items, limits };
}

export interface RunOptions {
  readonly executor: MoveExecutor;
  /** Default longest-first. */
  readonly order?: QueueOrder;
  readonly retryDelayMs?: number;
  /** At most this many moves at once over the fleet. */
  readonly concurrency?: number;
  readonly logger?: Logger;
  /**
   * Journals the drain in `dir` (the extension's global storage) before it starts and as its moves go, so
   * after a reload the VMs still waiting for their turn are listed (drainJournal.ts, leftDrains).
   */
  readonly journal?: {
    readonly dir: string;
    readonly kind: DrainKind;
    readonly subject: string;
    /** Its entry's id, for whoever follows the drain by it (a new one by default). */
    readonly id?: string;
  };
}

/**
 * Runs a plan: the queue is started (journaled first, with `journal`) and returned, so the caller can follow
 * its rows, pause, resume or cancel it; `queue.done` resolves with the summary (the plan's unmovable VMs
 * listed as not moved).
 */
export function runDrain(plan: PlacementPlan, options: RunOptions): MigrationQueue {
  const { items, limits } = queueItems(plan);
  const queue = new MigrationQueue(items, {
    executor: options.executor,
    limits: limitsFrom(limits),
    ...(options.order && { order: options.order }),
    ...(options.retryDelayMs !== undefined && { retryDelayMs: options.retryDelayMs }),
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.logger && { logger: options.logger }),
    unmovable: plan.unmovable.map((u) => ({ vmId: u.vm.id, vmName: u.vm.name, source: u.vm.source, why: u.why })),
  });
  if (!options.journal) {
    void queue.start();
    return queue;
  }
  const { dir, kind, subject, id } = options.journal;
  journalQueue(queue, items, {
    dir,
    kind,
    subject,
    ...(id !== undefined && { id }),
    order: options.order ?? 'longest-first',
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    limits,
    ...(options.logger && { logger: options.logger }),
  });
  return queue;
}
