// A plan's moves against the fleet as read: which VM each names, where it is now, whether its
// destination is a host of the fleet. What cannot be resolved is a problem on the plan's text, never an
// exception; only resolved moves are checked or run.
import type { HostReading } from '../hyperv/inventory';
import type { Vm, VmAdapter } from '../hyperv/model';
import { sameHost } from '../hyperv/hostName';
import type { MigrationRequest } from '../migration/types';
import { ADAPTER_FINDINGS, splitFindingId, type ApprovedFix, type PlanFile, type PlanMove, type PlanProblem } from './planFile';

/** An approved fix with the finding's id as the check gives it (an adapter by Hyper-V's Id, a drive as `SCSI 0:1`). */
export interface ResolvedFix extends ApprovedFix {
  readonly findingId: string;
}

export interface ResolvedMove {
  readonly move: PlanMove;
  readonly vm: Vm;
  /** The move's approved fixes, each with the id of the finding it is for. */
  readonly fixes: readonly ResolvedFix[];
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

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * An adapter as the admin sees it: its name, or `<name> #<n>` when the VM has several adapters of that name
 * (the n-th of them in Hyper-V's order, as Get-VMNetworkAdapter lists them).
 */
export function adapterLabel(adapters: readonly VmAdapter[], adapter: VmAdapter): string {
  const named = adapters.filter((a) => sameName(a.name, adapter.name));
  return named.length <= 1 ? adapter.name : `${adapter.name} #${named.indexOf(adapter) + 1}`;
}

/** The adapter a plan names, by its name (`#<n>` for one of several of that name) or its Hyper-V Id; or why none. */
function adapterNamed(adapters: readonly VmAdapter[], subject: { kind: 'adapter'; name: string } | { kind: 'adapter-id'; id: string }): VmAdapter | 'ambiguous' | undefined {
  if (subject.kind === 'adapter-id') return adapters.find((a) => sameName(a.id, subject.id));
  const named = adapters.filter((a) => sameName(a.name, subject.name));
  if (named.length === 1) return named[0];
  if (named.length > 1) return 'ambiguous';
  const nth = /^(.*) #(\d+)$/.exec(subject.name);
  return nth ? adapters.filter((a) => sameName(a.name, (nth[1] ?? '').trim()))[Number(nth[2]) - 1] : undefined;
}

/**
 * A finding's id as a plan writes it: an adapter by the name the admin sees instead of Hyper-V's Id (the
 * check's id names it by Id); every other id as it is.
 */
export function planFindingId(findingId: string, vm: Vm): string {
  const { kind, key } = splitFindingId(findingId);
  if (!ADAPTER_FINDINGS.includes(kind)) return findingId;
  const adapter = vm.adapters.find((a) => sameName(a.id, key));
  return adapter ? `${kind}:${adapterLabel(vm.adapters, adapter)}` : findingId;
}

/** Each approved fix of the move with the id of the finding it is for; an adapter the VM does not have (or has several of) is a problem on the fix. */
function resolveFixes(move: PlanMove, vm: Vm, problem: (message: string, code: string, severity: PlanProblem['severity'], span: PlanProblem['span']) => void): ResolvedFix[] {
  return move.fixes.map((approved) => {
    const { subject } = approved;
    const { kind } = splitFindingId(approved.finding);
    if (subject?.kind === 'drive') return { ...approved, findingId: `${kind}:${subject.controller}` };
    if (subject?.kind !== 'adapter' && subject?.kind !== 'adapter-id') return { ...approved, findingId: approved.finding };
    const adapters = vm.adapters.map((a) => `'${adapterLabel(vm.adapters, a)}'`);
    const found = adapterNamed(vm.adapters, subject);
    if (found === 'ambiguous') {
      const name = subject.kind === 'adapter' ? subject.name : '';
      problem(`${vm.name} has several adapters named '${name}': say which, as ${list(vm.adapters.filter((a) => sameName(a.name, name)).map((a) => `'${adapterLabel(vm.adapters, a)}'`))}.`, 'plan.ambiguous-adapter', 'error', approved.span);
      return { ...approved, findingId: approved.finding };
    }
    if (!found) {
      const named = subject.kind === 'adapter' ? `no network adapter '${subject.name}'` : `no network adapter with Id ${subject.id}`;
      problem(`${vm.name} has ${named} (${adapters.length > 0 ? `its adapters: ${list(adapters)}` : 'it has no adapters'}): this approval applies to nothing.`, 'plan.unknown-adapter', 'warning', approved.span);
      return { ...approved, findingId: approved.finding };
    }
    return { ...approved, findingId: `${kind}:${found.id}` };
  });
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
    const fixes = resolveFixes(move, vm, (message, code, severity, span) => problem(message, code, severity, span));
    const resolved: ResolvedMove = { move, vm, fixes, destination: destinationHost.name, request };
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
