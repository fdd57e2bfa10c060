// What placement counts: a VM's move size, a host's capacity, a move's duration, and the memory and disk the
// moves planned so far take on each host.

import { vendorName } from '../../hyperv/format';
import { hostKey } from '../../hyperv/hostName';
import type { HostFacts, Vm } from '../../hyperv/model';
import { volumeOf } from '../../hyperv/volumes';
import type { MovePlan } from '../types';
import type { MoveSize } from './facts';
import type { Candidate, Evaluation, HostCapacity } from './types';

const DEFAULT_LINK_BPS = 10_000_000_000;

export const LIVE = ['Running', 'Paused', 'Saved'];

export function vendorOf(cpuVendor: string): string {
  return cpuVendor ? vendorName(cpuVendor) : 'unknown';
}

/** The move's duration as Hyper-V (and the lab) takes it: a second of set-up, then the bytes over the slower link. */
export function estimateMs(bytes: number, ...links: readonly (number | null)[]): number {
  const known = links.filter((link): link is number => link !== null && link > 0);
  const bps = known.length > 0 ? Math.min(...known) : DEFAULT_LINK_BPS;
  return Math.round(1000 + (bytes * 8 * 1000) / bps);
}

export function capacityOf(host: HostFacts, linkSpeedBps: number | null): HostCapacity {
  return {
    name: host.name,
    cpuVendor: host.cpuVendor,
    memoryCapacity: host.memoryCapacity,
    memoryFree: host.memoryFree,
    volumes: host.volumes,
    virtualMachinePath: host.virtualMachinePath,
    switches: host.switches,
    limits: { vm: Math.max(1, host.maximumVmMigrations), storage: Math.max(1, host.maximumStorageMigrations) },
    linkSpeedBps,
  };
}

export function sizeFromInventory(vm: Vm): MoveSize {
  const memoryBytes = LIVE.includes(vm.state) ? vm.memoryAssigned || vm.memoryStartup : 0;
  const virtual = vm.disks.filter((disk) => disk.diskNumber === null && disk.path);
  const diskBytes = virtual.reduce((sum, disk) => sum + (disk.fileSize ?? 0), 0);
  return { memoryBytes, diskBytes, checkpointBytes: 0, bytes: memoryBytes + diskBytes, movesStorage: virtual.length > 0 };
}

/** What the moves planned so far take: memory by host, disk by host and volume. */
export interface Committed {
  memory: Map<string, number>;
  disk: Map<string, number>;
}

export const diskKey = (host: string, volume: string) => `${hostKey(host)}|${volume.toUpperCase()}`;

/** Counts a chosen move against its destination: its memory on the host, its files on the volume they go to. */
export function commit(
  committed: Committed,
  evaluation: Evaluation,
  chosen: Candidate & { plan: MovePlan },
  host: HostCapacity | undefined,
): void {
  if (!host) return;
  const key = hostKey(host.name);
  committed.memory.set(key, (committed.memory.get(key) ?? 0) + evaluation.vm.memoryBytes);
  const volume = volumeOf(chosen.plan.request.storagePath ?? host.virtualMachinePath, host.volumes);
  if (volume) {
    const dk = diskKey(host.name, volume.name);
    committed.disk.set(dk, (committed.disk.get(dk) ?? 0) + evaluation.vm.diskBytes + evaluation.vm.checkpointBytes);
  }
}
