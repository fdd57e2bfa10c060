// The checklist's areas, in the order the panel shows them: their titles and what "passed" means for each.

import * as l10n from '@vscode/l10n';
import type { Area } from './types';

/**
 * The checklist's groups, in the order the panel shows them, and what "passed" means for each (made when
 * asked for, in the language the extension was activated with).
 */
export function areas(): readonly { readonly area: Area; readonly title: string; readonly passed: string }[] {
  return [
    { area: 'hosts', title: l10n.t('Hosts'), passed: l10n.t('Both hosts answer and have the Hyper-V module.') },
    {
      area: 'migration',
      title: l10n.t('Live migration'),
      passed: l10n.t('Live migration is enabled with a network on both hosts, and a slot is free.'),
    },
    {
      area: 'authentication',
      title: l10n.t('Authentication'),
      passed: l10n.t('Authentication and Kerberos delegation allow this direction.'),
    },
    { area: 'processor', title: l10n.t('Processor'), passed: l10n.t("The destination's processor can run this VM.") },
    { area: 'network', title: l10n.t('Network'), passed: l10n.t("Every adapter's switch exists on the destination.") },
    { area: 'version', title: l10n.t('Configuration version'), passed: l10n.t("The destination supports the VM's configuration version.") },
    { area: 'storage', title: l10n.t('Storage'), passed: l10n.t("The destination path exists and has room for the VM's files.") },
    { area: 'memory', title: l10n.t('Memory'), passed: l10n.t('The destination has enough free memory.') },
    {
      area: 'devices',
      title: l10n.t('Media and devices'),
      passed: l10n.t('No ISO, pass-through disk, Fibre Channel, assigned device or vTPM stands in the way.'),
    },
    { area: 'leftovers', title: l10n.t('Leftovers'), passed: l10n.t('No planned VM of an earlier move is left on the destination.') },
    {
      area: 'cluster',
      title: l10n.t('High availability'),
      passed: l10n.t('The VM is not a cluster role that has to stay in its cluster.'),
    },
    { area: 'other', title: l10n.t('Other (reported by Compare-VM)'), passed: '' },
  ];
}

export function areaTitle(area: Area): string {
  return areas().find((a) => a.area === area)?.title ?? area;
}
