// What a plan carries and how long it should take, from the inventory alone (the Run Plan code lens):
// each move's bytes (memory of a live VM, its virtual disks' files), its duration as placement estimates
// it, and the plan's duration as the queue would run it within the hosts' limits and the plan's cap.
import type { HostReading } from '../hyperv/inventory';
import type { Vm } from '../hyperv/model';
import { estimateMs } from '../migration/placement';
import { limitsFrom, simulate, type HostLimits, type QueueOrder } from '../migration/queue';
import type { PlanFile } from './planFile';
import type { ResolvedMove } from './resolve';

export interface PlanEstimate {
  readonly moves: number;
  readonly bytes: number;
  /** When the last move should end, moves running side by side as the queue allows. */
  readonly durationMs: number;
}

const LIVE = ['Running', 'Paused', 'Saved'];

export function moveBytes(vm: Vm): number {
  const memory = LIVE.includes(vm.state) ? vm.memoryAssigned || vm.memoryStartup : 0;
  return memory + vm.disks.reduce((sum, disk) => sum + (disk.diskNumber === null ? (disk.fileSize ?? 0) : 0), 0);
}

export function queueOrder(plan: PlanFile): QueueOrder {
  return plan.order === 'as-written' ? 'fifo' : 'longest-first';
}

export function hostLimits(fleet: readonly HostReading[]): Record<string, HostLimits> {
  return Object.fromEntries(
    fleet.flatMap((reading) =>
      reading.ok
        ? [
            [
              reading.name,
              {
                vm: Math.max(1, reading.inventory.host.maximumVmMigrations),
                storage: Math.max(1, reading.inventory.host.maximumStorageMigrations),
              },
            ],
          ]
        : [],
    ),
  );
}

export function estimatePlan(plan: PlanFile, moves: readonly ResolvedMove[], fleet: readonly HostReading[]): PlanEstimate {
  const slotted = moves.map(({ vm, request }) => {
    const bytes = moveBytes(vm);
    return {
      source: request.source,
      destination: request.destination,
      movesStorage: vm.disks.some((d) => d.diskNumber === null && d.path),
      estimatedMs: estimateMs(bytes),
      bytes,
    };
  });
  const schedule = simulate(slotted, limitsFrom(hostLimits(fleet)), queueOrder(plan), plan.concurrency);
  return { moves: moves.length, bytes: slotted.reduce((sum, move) => sum + move.bytes, 0), durationMs: schedule.makespanMs };
}
