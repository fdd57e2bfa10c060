import type { HostEntry } from '../hyperv/fleet';
import type { Vm } from '../hyperv/model';
import { bytes, vendorName } from '../tree/format';
import type { HostSummary, VmSummary } from './protocol';

export function summarizeVm(vm: Vm): VmSummary {
  return {
    id: vm.id,
    name: vm.name,
    host: vm.host,
    state: vm.state,
    status: vm.status,
    memory: bytes(vm.memoryStartup),
    processors: vm.processorCount,
    version: vm.version,
    disks: vm.disks.map((d) => (d.diskNumber !== null ? `pass-through disk ${d.diskNumber}` : `${d.path ?? '?'}${d.fileSize !== null ? ` (${bytes(d.fileSize)})` : ''}`)),
    adapters: vm.adapters.map((a) => `${a.name} → ${a.switchName ?? 'not connected'}`),
    iso: vm.isoPaths,
    clustered: vm.isClustered,
  };
}

export function summarizeHost(entry: HostEntry): HostSummary {
  if (entry.state === 'error') return { name: entry.name, reachable: false, problem: entry.error.message };
  if (entry.state === 'loading') return { name: entry.name, reachable: true, problem: 'reading…' };
  const h = entry.inventory.host;
  return {
    name: entry.name,
    reachable: true,
    cluster: h.cluster ?? undefined,
    cpu: `${vendorName(h.cpuVendor)} · ${h.cpuName}`,
    memoryFree: bytes(h.memoryFree),
    diskFree: bytes(h.volumes.reduce((n, v) => n + v.freeSpace, 0)),
    migration: h.migrationEnabled ? (h.useAnyNetworkForMigration ? 'enabled, any network' : `enabled, ${h.migrationNetworks.join(', ') || 'no network'}`) : 'disabled',
    authentication: h.authenticationType,
    switches: h.switches.map((s) => s.name),
    versions: h.supportedVersions,
    vmCount: entry.inventory.vms.length,
  };
}
