// Network: each adapter's switch (or the one the plan picks) must exist on the destination; the fixes map
// it to another switch for the move, create the switch, or disconnect the adapter.
import * as l10n from '@vscode/l10n';
import type { Finding, FixOption, MovePlan } from '../types';
import { quote, same, type CheckContext, type Findings } from './context';

export function switchMissing(
  ctx: CheckContext,
  adapter: { id: string; name: string; switchName: string | null } | undefined,
  key: string,
  wanted: string,
  planned: boolean,
): Finding {
  const dst = ctx.dst;
  const switches = dst?.host.switches.map((s) => s.name) ?? [];
  const fixes: FixOption[] = [];
  if (switches.length > 0) {
    fixes.push({
      id: 'map-switch',
      title: l10n.t('Connect it to a switch of {0} for the move', ctx.destination),
      description: l10n.t(
        "The adapter is connected to the switch you pick on the moved VM only (on Compare-VM's report, as Hyper-V requires); {0} keeps '{1}' until it moves.",
        ctx.vmName,
        wanted,
      ),
      destructive: false,
      appliesTo: 'plan',
      choices: [{ name: 'switch', label: l10n.t('Switch on {0}', ctx.destination), options: switches }],
      args: { adapterId: key },
    });
  }
  // Private first: it changes nothing of the host's own networking. External binds a physical adapter.
  const adapters = dst?.host.freeNetAdapters ?? [];
  const types = adapters.length > 0 ? ['Private', 'Internal', 'External'] : ['Private', 'Internal'];
  fixes.push({
    id: 'create-switch',
    title: l10n.t('Create switch {0} on {1}', quote(wanted), ctx.destination),
    description:
      adapters.length > 0
        ? l10n.t(
            "Runs New-VMSwitch on {0}. Private reaches only its VMs; Internal its VMs and {0} itself; External binds the physical adapter you pick, and {0}'s own traffic over that adapter drops for a few seconds while the switch is made.",
            ctx.destination,
          )
        : l10n.t(
            'Runs New-VMSwitch on {0}. Private reaches only its VMs; Internal its VMs and {0} itself; External is not offered: no physical adapter of {0} is free (or its adapters could not be listed).',
            ctx.destination,
          ),
    destructive: adapters.length > 0,
    appliesTo: 'host',
    choices: [
      { name: 'switchType', label: l10n.t('Switch type'), options: types },
      ...(adapters.length > 0 ? [{ name: 'netAdapter', label: l10n.t('Physical adapter (External)'), options: adapters }] : []),
    ],
    args: { host: ctx.destination, switchName: wanted },
  });
  fixes.push({
    id: 'disconnect-adapter',
    title: l10n.t('Disconnect the adapter for the move'),
    description: l10n.t(
      'The moved VM arrives with this adapter disconnected: the guest loses this network until the adapter is connected to a switch on {0}. {1} keeps its connection until it moves.',
      ctx.destination,
      ctx.vmName,
    ),
    destructive: true,
    appliesTo: 'plan',
    args: { adapterId: key },
  });
  return {
    id: `network.switch-missing:${key}`,
    area: 'network',
    severity: 'blocker',
    title: planned
      ? l10n.t('Planned switch {0} does not exist on {1}', quote(wanted), ctx.destination)
      : l10n.t('Switch {0} does not exist on {1}', quote(wanted), ctx.destination),
    cause: switchMissingCause(ctx, adapter, wanted, planned),
    evidence: [
      ...(adapter
        ? [
            {
              source: `Get-VMNetworkAdapter (${ctx.vmName} on ${ctx.source})`,
              detail: `${quote(adapter.name)} → ${adapter.switchName ?? l10n.t('not connected')}${planned ? `; plan: → ${quote(wanted)}` : ''}`,
            },
          ]
        : []),
      ...(dst
        ? [
            {
              source: `Get-VMSwitch -ComputerName ${dst.host.name}`,
              detail: switches.length ? l10n.t('switches: {0}', switches.join(', ')) : l10n.t('no switches'),
            },
          ]
        : []),
    ],
    fixes,
  };
}

function switchMissingCause(ctx: CheckContext, adapter: { name: string } | undefined, wanted: string, planned: boolean): string {
  if (planned) {
    return adapter
      ? l10n.t(
          'The plan connects adapter {0} to {1}, which {2} does not have. Pick one of its switches or create it.',
          quote(adapter.name),
          quote(wanted),
          ctx.destination,
        )
      : l10n.t(
          'The plan connects adapter An adapter to {0}, which {1} does not have. Pick one of its switches or create it.',
          quote(wanted),
          ctx.destination,
        );
  }
  return adapter
    ? l10n.t(
        "Adapter {0} of {1} is connected to {2}, and {3} has no switch of that name, so Hyper-V cannot connect the adapter after the move. Connect it to one of {3}'s switches for the move, create the switch there, or disconnect the adapter.",
        quote(adapter.name),
        ctx.vmName,
        quote(wanted),
        ctx.destination,
      )
    : l10n.t(
        "Adapter An adapter of {0} is connected to {1}, and {2} has no switch of that name, so Hyper-V cannot connect the adapter after the move. Connect it to one of {2}'s switches for the move, create the switch there, or disconnect the adapter.",
        ctx.vmName,
        quote(wanted),
        ctx.destination,
      );
}

/** The plan's switch for an adapter: a name, null (disconnect), or undefined when the plan leaves it alone. */
export function plannedSwitch(plan: MovePlan | undefined, adapterId: string): string | null | undefined {
  if (!plan || !Object.prototype.hasOwnProperty.call(plan.adapterSwitches, adapterId)) return undefined;
  return plan.adapterSwitches[adapterId] ?? null;
}

export function network(ctx: CheckContext, findings: Findings): void {
  const { src, dst } = ctx;
  if (!src || !dst) return;
  for (const adapter of src.vm.adapters) {
    const chosen = plannedSwitch(ctx.plan, adapter.id);
    const wanted = chosen === undefined ? adapter.switchName : chosen;
    if (wanted === null) continue;
    if (dst.host.switches.some((s) => same(s.name, wanted))) continue;
    findings.add(switchMissing(ctx, adapter, adapter.id, wanted, chosen !== undefined));
  }
}
