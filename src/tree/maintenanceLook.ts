// How a host in maintenance looks in the tree: its flags (the menus show Enter or Exit by them), icon,
// description and tooltip rows. Plain data, so it is tested in plain Node; nodes.ts makes the TreeItem.
// @vscode/l10n translates with the bundle VS Code chose (extension.ts configures it at activation).
import * as l10n from '@vscode/l10n';
import { utcMinute } from '../hyperv/format';
import type { MaintenanceMark } from '../migration/maintenance';

export interface MaintenanceLook {
  /** contextValue flags: `+maintenance` on every host with an entry, `+entering`/`+exiting` while VMs move (or may). */
  readonly flags: { readonly maintenance: true; readonly entering: boolean; readonly exiting: boolean };
  /** A codicon and a theme colour. */
  readonly icon: string;
  readonly color: string;
  /** Goes in front of the host's usual description. */
  readonly description: string;
  /** The tooltip's first line, then its rows (label, value), in plain text: nodes.ts escapes them. */
  readonly heading: string;
  readonly rows: readonly (readonly [string, string])[];
}

export function maintenanceLook(entry: MaintenanceMark): MaintenanceLook {
  // A return that does not run (cancelled, failed, or left by a reload) leaves the mark 'exiting', yet nothing moves;
  // a mark that does not say (written before marks named their return) is taken as still returning.
  const returning = entry.state === 'exiting' && entry.returnRunning !== false;
  const [description, heading] =
    entry.state === 'entering'
      ? [l10n.t('entering maintenance…'), l10n.t('{0} is entering maintenance: its VMs move off, and no VM is placed on it.', entry.host)]
      : returning
        ? [l10n.t('returning VMs…'), l10n.t('{0} is leaving maintenance: the VMs that left it are going back.', entry.host)]
        : entry.state === 'exiting'
          ? [
              l10n.t('in maintenance, return not finished'),
              l10n.t(
                '{0} is in maintenance: its return did not finish, and no VM is placed on it. Exit Maintenance… to try again.',
                entry.host,
              ),
            ]
          : [l10n.t('in maintenance'), l10n.t('{0} is in maintenance: no VM is placed on it.', entry.host)];
  const left = entry.origins.length;
  return {
    flags: { maintenance: true, entering: entry.state === 'entering', exiting: returning },
    icon: 'tools',
    color: entry.state === 'entering' || returning ? 'charts.yellow' : 'charts.orange',
    description,
    heading,
    rows: [
      [l10n.t('Since'), utcMinute(entry.since)],
      [l10n.t('By'), entry.by],
      [
        l10n.t('VMs that left it'),
        left === 0
          ? l10n.t('none yet')
          : `${left === 1 ? l10n.t('1 VM') : l10n.t('{0} VMs', left)}: ${entry.origins.map((o) => `${o.vmName} → ${o.movedTo}`).join(', ')}`,
      ],
    ],
  };
}
