// A plan's moves against the fleet as read: which VM each names, where it is now, whether its
// destination is a host of the fleet. What cannot be resolved is a problem on the plan's text, never an
// exception; only resolved moves are checked or run.
import * as l10n from '@vscode/l10n';
import type { HostReading } from '../hyperv/inventory';
import type { Vm, VmAdapter } from '../hyperv/model';
import { sameHost } from '../hyperv/hostName';
import { formatList, utcMinute } from '../hyperv/format';
import { closedHosts, type MaintenanceEntry } from '../migration/maintenance';
import type { MigrationRequest } from '../migration/types';
import { ADAPTER_FINDINGS, splitFindingId, type ApprovedFix, type PlanFile, type PlanMove, type PlanProblem } from './planFile';
import type { NewPlan } from './planText';

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
  /** The hosts of `"maintenance"` that are hosts of the fleet, as the fleet spells them, in the plan's order. */
  readonly maintenance: readonly string[];
  readonly problems: readonly PlanProblem[];
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
function adapterNamed(
  adapters: readonly VmAdapter[],
  subject: { kind: 'adapter'; name: string } | { kind: 'adapter-id'; id: string },
): VmAdapter | 'ambiguous' | undefined {
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
function resolveFixes(
  move: PlanMove,
  vm: Vm,
  problem: (message: string, code: string, severity: PlanProblem['severity'], span: PlanProblem['span']) => void,
): ResolvedFix[] {
  return move.fixes.map((approved) => {
    const { subject } = approved;
    const { kind } = splitFindingId(approved.finding);
    if (subject?.kind === 'drive') return { ...approved, findingId: `${kind}:${subject.controller}` };
    if (subject?.kind !== 'adapter' && subject?.kind !== 'adapter-id') return { ...approved, findingId: approved.finding };
    const adapters = vm.adapters.map((a) => `'${adapterLabel(vm.adapters, a)}'`);
    const found = adapterNamed(vm.adapters, subject);
    if (found === 'ambiguous') {
      const name = subject.kind === 'adapter' ? subject.name : '';
      problem(
        l10n.t(
          "{0} has several adapters named '{1}': say which, as {2}.",
          vm.name,
          name,
          formatList(vm.adapters.filter((a) => sameName(a.name, name)).map((a) => `'${adapterLabel(vm.adapters, a)}'`)),
        ),
        'plan.ambiguous-adapter',
        'error',
        approved.span,
      );
      return { ...approved, findingId: approved.finding };
    }
    if (!found) {
      const has = adapters.length > 0 ? l10n.t('its adapters: {0}', formatList(adapters)) : l10n.t('it has no adapters');
      const message =
        subject.kind === 'adapter'
          ? l10n.t("{0} has no network adapter '{1}' ({2}): this approval applies to nothing.", vm.name, subject.name, has)
          : l10n.t('{0} has no network adapter with Id {1} ({2}): this approval applies to nothing.', vm.name, subject.id, has);
      problem(message, 'plan.unknown-adapter', 'warning', approved.span);
      return { ...approved, findingId: approved.finding };
    }
    return { ...approved, findingId: `${kind}:${found.id}` };
  });
}

/** Why no VM goes to a host in maintenance now, or undefined when it takes VMs. */
function closedBecause(host: string, inMaintenance: readonly MaintenanceEntry[]): string | undefined {
  if (!closedHosts(inMaintenance).some((name) => sameHost(name, host))) return undefined;
  const entry = inMaintenance.find((e) => sameHost(e.host, host));
  return l10n.t(
    '{0} is in maintenance (since {1}, by {2}): no VM is placed on it until it leaves maintenance.',
    host,
    utcMinute(entry?.since ?? ''),
    entry?.by ?? '?',
  );
}

/**
 * Resolves every whole move of the plan on the fleet; the plan's own problems are not repeated. A move to a
 * host in maintenance (`inMaintenance`, the store's entries) does not run.
 */
export function resolvePlan(plan: PlanFile, fleet: readonly HostReading[], inMaintenance: readonly MaintenanceEntry[] = []): ResolvedPlan {
  const problems: PlanProblem[] = [];
  const known = (host: string) => fleet.find((reading) => sameHost(reading.name, host));
  const unknownHost = (host: string) =>
    l10n.t("'{0}' is not one of the hosts ({1}).", host, formatList(fleet.map((r) => r.name)) || l10n.t('none configured'));
  const maintenance: string[] = [];
  for (const { host, span } of plan.maintenance) {
    const reading = known(host);
    if (reading) maintenance.push(reading.name);
    else problems.push({ span, severity: 'error', message: unknownHost(host), code: 'plan.unknown-host' });
  }
  const moves: ResolvedMove[] = [];
  const done: ResolvedMove[] = [];
  const unread = fleet.filter((reading) => !reading.ok).map((reading) => reading.name);
  const vms = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : []));
  const firstOf = new Map<string, PlanMove>();

  for (const move of plan.moves) {
    const problem = (message: string, code: string, severity: PlanProblem['severity'] = 'error', span = move.anchor) =>
      problems.push({ span, severity, message, code, move: move.index });

    const destinationHost = known(move.destination);
    const closed = destinationHost && closedBecause(destinationHost.name, inMaintenance);
    if (!destinationHost) {
      problem(unknownHost(move.destination), 'plan.unknown-host', 'error', move.values.destination);
    } else if (closed) {
      problem(closed, 'plan.host-in-maintenance', 'error', move.values.destination);
    } else if (!destinationHost.ok) {
      problem(
        l10n.t('{0} could not be read, so this move cannot be checked: {1}', destinationHost.name, destinationHost.error.message),
        'plan.host-unreadable',
        'warning',
        move.values.destination,
      );
    }
    if (move.source !== undefined && !known(move.source))
      problem(unknownHost(move.source), 'plan.unknown-host', 'error', move.values.source);

    const named = vms.filter((vm) => vm.name.toLowerCase() === move.vm.toLowerCase());
    const fromSource = move.source === undefined ? named : named.filter((vm) => sameHost(vm.host, move.source ?? ''));
    let vm: Vm | undefined;
    if (named.length === 0) {
      const sourceUnread = move.source !== undefined && unread.some((name) => sameHost(name, move.source ?? ''));
      problem(
        sourceUnread || unread.length > 0
          ? l10n.t("No VM '{0}' on the hosts read ({1} could not be read).", move.vm, formatList(unread))
          : l10n.t("No VM '{0}' on any host of the fleet.", move.vm),
        'plan.unknown-vm',
        sourceUnread || unread.length > 0 ? 'warning' : 'error',
      );
    } else if (fromSource.length === 1) {
      vm = fromSource[0];
    } else if (fromSource.length > 1) {
      problem(
        l10n.t('Several VMs are named \'{0}\' (on {1}): add "source" to say which.', move.vm, formatList(fromSource.map((v) => v.host))),
        'plan.ambiguous-vm',
      );
    } else if (named.length === 1) {
      vm = named[0];
      problem(
        l10n.t('{0} is on {1} now, not on {2}: the move starts from {1}.', move.vm, vm?.host ?? '?', move.source ?? '?'),
        'plan.source-changed',
        'warning',
        move.values.source,
      );
    } else {
      problem(
        l10n.t("No VM '{0}' on {1}; VMs of that name are on {2}.", move.vm, move.source ?? '?', formatList(named.map((v) => v.host))),
        'plan.unknown-vm',
      );
    }
    if (!vm) continue;

    const first = firstOf.get(vm.id.toLowerCase());
    if (first) {
      problem(l10n.t('{0} is moved twice: move {1} moves it already.', vm.name, first.index + 1), 'plan.duplicate-vm');
      continue;
    }
    firstOf.set(vm.id.toLowerCase(), move);
    if (!destinationHost) continue;

    if (move.ha && !vm.isClustered)
      problem(
        l10n.t('"ha" is on, but {0} is not a role of a failover cluster: it moves as any VM.', vm.name),
        'plan.not-clustered',
        'warning',
        move.values.ha,
      );
    if (!move.ha && vm.isClustered) {
      problem(
        l10n.t(
          '{0} is a role of a failover cluster: set "ha": true to move it with the HA workflow (role removed, moved, added back).',
          vm.name,
        ),
        'plan.clustered',
        'error',
      );
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
      problem(l10n.t('{0} is on {1} already: nothing to move.', vm.name, vm.host), 'plan.already-there', 'info');
      done.push(resolved);
      continue;
    }
    if (!destinationHost.ok || closed || (!move.ha && vm.isClustered)) continue;
    moves.push(resolved);
  }
  return { moves, done, maintenance, problems };
}

/** The plan with each approved fix's finding named as the admin sees it (an adapter by its name, not Hyper-V's Id). */
export function readablePlan(plan: NewPlan, fleet: readonly HostReading[]): NewPlan {
  const vms = fleet.flatMap((reading) => (reading.ok ? reading.inventory.vms : []));
  return {
    ...plan,
    moves: plan.moves.map((move) => {
      const vm = vms.find((v) => v.name.toLowerCase() === move.vm.toLowerCase() && sameHost(v.host, move.source));
      return vm && move.fixes ? { ...move, fixes: move.fixes.map((fix) => ({ ...fix, finding: planFindingId(fix.finding, vm) })) } : move;
    }),
  };
}
