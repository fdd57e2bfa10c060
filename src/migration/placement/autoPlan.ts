// The plan's own choices, where a blocker offers one placement can make alone: an adapter connected to another
// switch of the destination, an ISO ejected on the moved VM.

import * as l10n from '@vscode/l10n';
import type { HostFacts, Vm } from '../../hyperv/model';
import type { Finding, MovePlan } from '../types';
import type { HostCapacity } from './types';

interface AutoChoice {
  readonly plan: MovePlan;
  readonly choices: readonly string[];
}

/**
 * The plan's choices that blockers offer and placement can make alone: an adapter whose switch the host
 * lacks is connected to a switch of the host of the same type, preferably one no other adapter of the VM
 * uses (its networks stay apart as on the source); an ISO is ejected on the moved VM only. Undefined when
 * a blocker offers no such choice.
 */
export function autoPlan(
  findings: readonly Finding[],
  plan: MovePlan,
  vm: Vm,
  source: HostCapacity | undefined,
  destination: HostCapacity,
): AutoChoice | undefined {
  const blockers = findings.filter((finding) => finding.severity === 'blocker');
  if (blockers.length === 0) return undefined;
  const adapterSwitches: Record<string, string | null> = { ...plan.adapterSwitches };
  const ejectDvd = [...plan.ejectDvd];
  const choices: string[] = [];
  for (const finding of blockers) {
    const map = finding.fixes.find((option) => option.id === 'map-switch');
    const eject = finding.fixes.find((option) => option.id === 'eject-iso-on-move');
    if (map && typeof map.args?.adapterId === 'string') {
      const wanted = finding.fixes.find((option) => option.id === 'create-switch')?.args?.switchName;
      const wantedName = typeof wanted === 'string' ? wanted : '';
      const options = map.choices?.find((choice) => choice.name === 'switch')?.options ?? [];
      const wantedType = source?.switches.find((s) => s.name.toLowerCase() === wantedName.toLowerCase())?.switchType;
      const typeOf = (name: string) => destination.switches.find((s) => s.name === name)?.switchType;
      const others = new Set(
        vm.adapters.map((adapter) => adapter.switchName?.toLowerCase()).filter((name) => name && name !== wantedName.toLowerCase()),
      );
      const ranked = [...options].sort((a, b) => {
        const rank = (name: string) => (typeOf(name) === wantedType ? 0 : 2) + (others.has(name.toLowerCase()) ? 1 : 0);
        return rank(a) - rank(b);
      });
      const chosen = ranked[0];
      if (!chosen) return undefined;
      adapterSwitches[map.args.adapterId] = chosen;
      const adapterName = vm.adapters.find((adapter) => adapter.switchName?.toLowerCase() === wantedName.toLowerCase())?.name;
      const adapter = adapterName ? l10n.t("Adapter '{0}'", adapterName) : l10n.t('An adapter');
      choices.push(
        typeOf(chosen) && typeOf(chosen) === wantedType
          ? l10n.t(
              "{0} on '{1}' (not on {2}) is connected to '{3}', {4} like '{1}' on the moved VM.",
              adapter,
              wantedName || '?',
              destination.name,
              chosen,
              wantedType ?? '',
            )
          : l10n.t(
              "{0} on '{1}' (not on {2}) is connected to '{3}' on the moved VM.",
              adapter,
              wantedName || '?',
              destination.name,
              chosen,
            ),
      );
      continue;
    }
    if (eject && typeof eject.args?.controller === 'string') {
      if (!ejectDvd.includes(eject.args.controller)) ejectDvd.push(eject.args.controller);
      choices.push(l10n.t('The ISO in {0} is ejected on the moved VM only.', eject.args.controller));
      continue;
    }
    return undefined;
  }
  return { plan: { ...plan, adapterSwitches, ejectDvd }, choices };
}

/**
 * A VM moving back to a host it left for maintenance: each adapter whose switch there (`home`, the maintenance
 * store's record) differs from the one it has now is connected to it again, where the host still has that switch
 * (or left unconnected, as it was). Undefined when no adapter changes.
 */
export function switchesBack(
  vm: Vm,
  home: Readonly<Record<string, string | null>> | undefined,
  destination: HostFacts,
): { adapterSwitches: Record<string, string | null>; choices: string[] } | undefined {
  if (!home) return undefined;
  const adapterSwitches: Record<string, string | null> = {};
  const choices: string[] = [];
  for (const adapter of vm.adapters) {
    const before = home[adapter.id];
    if (before === undefined || before?.toLowerCase() === adapter.switchName?.toLowerCase()) continue;
    const there = before === null ? null : destination.switches.find((s) => s.name.toLowerCase() === before.toLowerCase())?.name;
    if (there === undefined) continue;
    adapterSwitches[adapter.id] = there;
    choices.push(
      there === null
        ? l10n.t("Adapter '{0}' is left unconnected on {1}, as it was before it left.", adapter.name, destination.name)
        : l10n.t(
            "Adapter '{0}' is connected to '{1}' on {2} again, its switch there before it left.",
            adapter.name,
            there,
            destination.name,
          ),
    );
  }
  return choices.length > 0 ? { adapterSwitches, choices } : undefined;
}
