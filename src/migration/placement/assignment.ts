// Assigning: the VMs placed largest first (those the admin placed first), each on its best-rated host that
// still has room; the admin's override of one VM's destination; and the whole plan, read, checked and placed.

import * as l10n from '@vscode/l10n';
import { hostKey, sameHost } from '../../hyperv/hostName';
import type { HostReading } from '../../hyperv/inventory';
import { commit, type Committed } from './capacity';
import { evaluate, type Wanted } from './evaluation';
import { rank, rate } from './rating';
import type { Candidate, Evaluation, HostCapacity, PlacedVm, VmPlacement, PlacementContext, PlacementPlan, Unmovable } from './types';

function why(vm: PlacedVm, candidates: readonly Candidate[], overrideProblem?: string): string {
  if (candidates.length === 0) return l10n.t('No other host was read, so {0} has nowhere to go.', vm.name);
  const perHost = candidates.map((c) => {
    const first = (c.blockers[0] ?? l10n.t('not ready')).replace(/\.$/, '');
    return c.blockers.length > 1 ? l10n.t('{0}: {1} (and {2} more)', c.host, first, c.blockers.length - 1) : `${c.host}: ${first}`;
  });
  return `${overrideProblem ? `${overrideProblem} ` : ''}${l10n.t('No host can take {0}. {1}.', vm.name, perHost.join('; '))}`;
}

/**
 * Places the VMs: those the admin placed first, then largest first, each on its best-rated host that
 * still has room after the moves placed before it.
 */
export function assign(
  evaluations: readonly Evaluation[],
  hosts: readonly HostCapacity[],
  overrides: Readonly<Record<string, string>>,
): { placements: VmPlacement[]; unmovable: Unmovable[] } {
  const byKey = new Map(hosts.map((host) => [hostKey(host.name), host]));
  const committed: Committed = { memory: new Map(), disk: new Map() };
  const overrideOf = (evaluation: Evaluation) => overrides[evaluation.vm.id.toLowerCase()];
  const order = [...evaluations].sort((a, b) => Number(Boolean(overrideOf(b))) - Number(Boolean(overrideOf(a))) || b.vm.bytes - a.vm.bytes);
  const placements: VmPlacement[] = [];
  const unmovable: Unmovable[] = [];
  for (const evaluation of order) {
    const candidates = rank(evaluation.options.map((option) => rate(evaluation, option, byKey, committed)));
    const override = overrideOf(evaluation);
    const pick = override ? candidates.find((c) => sameHost(c.host, override)) : candidates[0];
    if (!pick?.ready || !pick.plan) {
      const problem = !override
        ? undefined
        : pick
          ? l10n.t('The chosen host {0} cannot take {1}: {2}', override, evaluation.vm.name, pick.blockers.join(' '))
          : l10n.t('The chosen host {0} cannot take {1}.', override, evaluation.vm.name);
      unmovable.push({ vm: evaluation.vm, why: why(evaluation.vm, candidates, problem), candidates });
      continue;
    }
    const chosen = { ...pick, plan: pick.plan };
    commit(committed, evaluation, chosen, byKey.get(hostKey(pick.host)));
    placements.push({ vm: evaluation.vm, destination: pick.host, chosen, candidates, overridden: Boolean(override) });
  }
  // In the order given (the host's order for a drain): what a first-in-first-out queue would follow.
  const position = new Map(evaluations.map((evaluation, i) => [evaluation.vm.id, i]));
  const byPosition = (a: { vm: PlacedVm }, b: { vm: PlacedVm }) => (position.get(a.vm.id) ?? 0) - (position.get(b.vm.id) ?? 0);
  return { placements: placements.sort(byPosition), unmovable: unmovable.sort(byPosition) };
}

/** The plan with one VM sent to the host the admin chose (a host its checks found ready). Throws with why otherwise. */
export function withDestination(plan: PlacementPlan, vmId: string, host: string): PlacementPlan {
  const evaluation = plan.evaluations.find((e) => e.vm.id.toLowerCase() === vmId.toLowerCase());
  if (!evaluation) throw new Error(l10n.t('VM {0} is not in this plan.', vmId));
  const option = evaluation.options.find((o) => sameHost(o.host, host));
  if (!option) throw new Error(l10n.t('{0} was not considered for {1}: plan again with it as the destination.', host, evaluation.vm.name));
  const overrides = { ...plan.overrides, [vmId.toLowerCase()]: option.host };
  const { placements, unmovable } = assign(plan.evaluations, plan.hosts, overrides);
  if (unmovable.some((u) => u.vm.id === evaluation.vm.id)) {
    const candidate = unmovable.find((u) => u.vm.id === evaluation.vm.id)?.candidates.find((c) => sameHost(c.host, host));
    throw new Error(
      l10n.t('{0} cannot take {1}: {2}', option.host, evaluation.vm.name, candidate?.blockers.join(' ') ?? l10n.t('not ready')),
    );
  }
  return { ...plan, placements, unmovable, overrides };
}

/** Reads, checks and places the VMs (each with the destination the admin chose, or ranked over every other host). */
export async function planPlacement(
  ctx: PlacementContext,
  fleet: readonly HostReading[],
  wanted: readonly Wanted[],
  source?: string,
): Promise<PlacementPlan> {
  const { evaluations, hosts, checks } = await evaluate(ctx, fleet, wanted);
  const overrides: Record<string, string> = {};
  for (const evaluation of evaluations) if (evaluation.requested) overrides[evaluation.vm.id.toLowerCase()] = evaluation.requested;
  const { placements, unmovable } = assign(evaluations, hosts, overrides);
  return { ...(source && { source }), placements, unmovable, hosts, evaluations, overrides, plannedAt: new Date().toISOString(), checks };
}
