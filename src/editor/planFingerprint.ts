// When a plan's check is stale: what the check of a plan depends on in the fleet, as one comparable string.
import { hostKey } from '../hyperv/hostName';
import type { PlanView } from './planController';

/** What a check of the plan depends on in the fleet: its VMs (where, state, networks) and their hosts' migration settings. */
export function fingerprint(view: PlanView): string {
  const hosts = new Set(view.resolved.moves.flatMap((m) => [hostKey(m.request.source), hostKey(m.request.destination)]));
  const facts = view.fleet
    .filter((reading) => hosts.has(hostKey(reading.name)))
    .map((reading) => {
      if (!reading.ok) return [reading.name, reading.error.kind];
      const h = reading.inventory.host;
      return [
        h.name,
        h.migrationEnabled,
        h.authenticationType,
        h.useAnyNetwork,
        h.networks,
        h.switches.map((s) => s.name),
        h.supportedVersions,
      ];
    });
  const vms = view.resolved.moves.map(({ vm }) => [
    vm.id,
    vm.host,
    vm.state,
    vm.version,
    vm.compatibilityForMigration,
    vm.adapters.map((a) => a.switchName),
    vm.isoPaths,
    vm.isClustered,
  ]);
  return JSON.stringify([facts, vms]);
}
