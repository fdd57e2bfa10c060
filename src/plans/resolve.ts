// A plan's moves against the fleet as read: which VM each names, where it is now, whether its
// destination is a host of the fleet. What cannot be resolved is a problem on the plan's text, never an
// exception; only resolved moves are checked or run.
import type { HostReading } from '../hyperv/inventory';
import type { Vm } from '../hyperv/model';
import { sameHost } from '../hyperv/hostName';
import type { MigrationRequest } from '../migration/types';
import type { PlanFile, PlanMove, PlanProblem } from './planFile';

export interface ResolvedMove {
  readonly move: PlanMove;
  readonly vm: Vm;
  /** The host's name as the fleet spells it. */
  readonly destination: string;
  readonly request: MigrationRequest;
}

export interface ResolvedPlan {
  /** Moves that can be checked and run. */
  readonly moves: readonly ResolvedMove[];
  /** Moves with nothing to do (the VM is on its destination already). */
  readonly done: readonly ResolvedMove[];
  readonly problems: readonly PlanProblem[];
}


function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

/** Resolves every whole move of the plan on the fleet; the plan's own problems are not repeated. */
export function resolvePlan(plan: PlanFile, fleet: readonly HostReading[]): ResolvedPlan {
  const problems: PlanProblem[] = [];
  const moves: ResolvedMove[] = [];
  const done: ResolvedMove[] = [];
  const unread = fleet.filter((reading) => !reading.ok).map((reading) => reading.name);
  const vms = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : []));
  const firstOf = new Map<string, PlanMove>();

  for (const move of plan.moves) {
    const problem = (message: string, code: string, severity: PlanProblem['severity'] = 'error', span = move.anchor) =>
      problems.push({ span, severity, message, code, move: move.index });

    const destinationHost = fleet.find((reading) => sameHost(reading.name, move.destination));
    if (!destinationHost) {
      problem(`'${move.destination}' is not one of the hosts (${list(fleet.map((r) => r.name)) || 'none configured'}).`, 'plan.unknown-host', 'error', move.values.destination);
    } else if (!destinationHost.ok) {
      problem(`${destinationHost.name} could not be read, so this move cannot be checked: ${destinationHost.error.message}`, 'plan.host-unreadable', 'warning', move.values.destination);
    }
    if (move.source !== undefined && !fleet.some((reading) => sameHost(reading.name, move.source ?? ''))) {
      problem(`'${move.source}' is not one of the hosts (${list(fleet.map((r) => r.name)) || 'none configured'}).`, 'plan.unknown-host', 'error', move.values.source);
    }

    const named = vms.filter((vm) => vm.name.toLowerCase() === move.vm.toLowerCase());
    const fromSource = move.source === undefined ? named : named.filter((vm) => sameHost(vm.host, move.source ?? ''));
    let vm: Vm | undefined;
    if (named.length === 0) {
      const sourceUnread = move.source !== undefined && unread.some((name) => sameHost(name, move.source ?? ''));
      problem(
        sourceUnread || unread.length > 0
          ? `No VM '${move.vm}' on the hosts read (${list(unread)} could not be read).`
          : `No VM '${move.vm}' on any host of the fleet.`,
        'plan.unknown-vm',
        sourceUnread || unread.length > 0 ? 'warning' : 'error',
      );
    } else if (fromSource.length === 1) {
      vm = fromSource[0];
    } else if (fromSource.length > 1) {
      problem(`Several VMs are named '${move.vm}' (on ${list(fromSource.map((v) => v.host))}): add "source" to say which.`, 'plan.ambiguous-vm');
    } else if (named.length === 1) {
      vm = named[0];
      problem(`${move.vm} is on ${vm?.host ?? '?'} now, not on ${move.source ?? '?'}: the move starts from ${vm?.host ?? '?'}.`, 'plan.source-changed', 'warning', move.values.source);
    } else {
      problem(`No VM '${move.vm}' on ${move.source ?? '?'}; VMs of that name are on ${list(named.map((v) => v.host))}.`, 'plan.unknown-vm');
    }
    if (!vm) continue;

    const first = firstOf.get(vm.id.toLowerCase());
    if (first) {
      problem(`${vm.name} is moved twice: move ${first.index + 1} moves it already.`, 'plan.duplicate-vm');
      continue;
    }
    firstOf.set(vm.id.toLowerCase(), move);
    if (!destinationHost) continue;

    if (move.ha && !vm.isClustered) problem(`"ha" is on, but ${vm.name} is not a role of a failover cluster: it moves as any VM.`, 'plan.not-clustered', 'warning', move.values.ha);
    if (!move.ha && vm.isClustered) {
      problem(`${vm.name} is a role of a failover cluster: set "ha": true to move it with the HA workflow (role removed, moved, added back).`, 'plan.clustered', 'error');
    }
    const request: MigrationRequest = {
      vmId: vm.id,
      vmName: vm.name,
      source: vm.host,
      destination: destinationHost.name,
      ...(move.storagePath !== undefined && { storagePath: move.storagePath }),
      ...(move.vhds && { vhds: move.vhds }),
    };
    const resolved: ResolvedMove = { move, vm, destination: destinationHost.name, request };
    if (sameHost(vm.host, destinationHost.name)) {
      problem(`${vm.name} is on ${vm.host} already: nothing to move.`, 'plan.already-there', 'info');
      done.push(resolved);
      continue;
    }
    if (!destinationHost.ok || (!move.ha && vm.isClustered)) continue;
    moves.push(resolved);
  }
  return { moves, done, problems };
}
