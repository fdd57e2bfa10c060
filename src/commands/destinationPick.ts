import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { Vm } from '../hyperv/model';
import type { MigrationPanel } from '../panel/migrationPanel';
import type { MigrationSession } from '../panel/migrationSession';
import type { DestinationView, ReadinessKind } from '../panel/protocol';
import { inBackground } from '../logger';
import type { Logger } from '../powershell/types';
import { bytes, vendorName } from '../hyperv/format';
import type { MaintenanceMarks } from '../tree/maintenanceMarks';

/** What choosing a destination needs: the migration panel (each host's readiness), the fleet, the hosts in maintenance, the log. */
export interface DestinationContext {
  readonly panel: MigrationPanel;
  readonly fleet: Fleet;
  readonly marks: MaintenanceMarks;
  readonly logger: Logger;
}

interface DestinationItem extends vscode.QuickPickItem {
  readonly host: string;
}

const icons: Record<ReadinessKind, string> = {
  source: '$(home)',
  unchecked: '$(circle-large-outline)',
  checking: '$(loading~spin)',
  ready: '$(pass-filled)',
  blocked: '$(error)',
  unreachable: '$(debug-disconnect)',
  failed: '$(warning)',
  maintenance: '$(tools)',
};

function detail(fleet: Fleet, host: string): string {
  const entry = fleet.host(host);
  if (entry?.state !== 'ok') return entry?.state === 'error' ? entry.error.message : '';
  const h = entry.inventory.host;
  const disk = h.volumes.reduce((n, v) => n + v.freeSpace, 0);
  return [
    h.cluster ? vscode.l10n.t('cluster {0}', h.cluster) : undefined,
    vendorName(h.cpuVendor),
    vscode.l10n.t('{0} RAM free', bytes(h.memoryFree)),
    vscode.l10n.t('{0} disk free', bytes(disk)),
    h.switches.length > 0 ? vscode.l10n.t('switches {0}', h.switches.map((s) => s.name).join(', ')) : vscode.l10n.t('no switch'),
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

function item(fleet: Fleet, d: DestinationView): DestinationItem {
  return { label: d.host, description: `${icons[d.readiness]} ${d.summary}`, detail: detail(fleet, d.host), host: d.host };
}

/** A host in maintenance: listed with why, under "Not available", and not taken when accepted. */
function closedItem(fleet: Fleet, marks: MaintenanceMarks, host: string): DestinationItem {
  const why = marks.why(host) ?? '';
  return { label: host, description: `$(tools) ${vscode.l10n.t('Not available: {0}', why)}`, detail: detail(fleet, host), host };
}

/** Every destination the session offers, hosts in maintenance last under a separator (they are not offered). */
function items(fleet: Fleet, marks: MaintenanceMarks, views: readonly DestinationView[]): DestinationItem[] {
  const closed = views.filter((d) => marks.closed(d.host));
  return [
    ...views.filter((d) => !marks.closed(d.host)).map((d) => item(fleet, d)),
    ...(closed.length > 0
      ? [
          { label: vscode.l10n.t('Not available'), kind: vscode.QuickPickItemKind.Separator, host: '' },
          ...closed.map((d) => closedItem(fleet, marks, d.host)),
        ]
      : []),
  ];
}

/**
 * The destination quick pick: every other host, with the readiness the preflight engine computes for all
 * of them at once, filled in as each answers; a host in maintenance is listed as not available, with why.
 * Resolves to the host picked, or undefined when dismissed.
 */
export function pickDestination(
  { panel, fleet, marks }: DestinationContext,
  session: MigrationSession,
  title: string,
): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<DestinationItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('Destination host (readiness from the preflight checks)');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  let shown = '';
  const update = () => {
    const views = session.destinations().filter((d) => d.readiness !== 'source');
    const key = JSON.stringify([views, views.map((d) => marks.entry(d.host))]);
    if (key === shown) return;
    shown = key;
    const active = pick.activeItems[0]?.host;
    pick.items = items(fleet, marks, views);
    const again = pick.items.find((i) => i.host === active);
    if (again) pick.activeItems = [again];
    pick.busy = views.some((d) => d.readiness === 'checking');
  };
  const subscriptions = [panel.onDidChange(update), marks.onDidChange(update)];
  update();
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const host = pick.selectedItems[0]?.host ?? pick.activeItems[0]?.host;
      if (!host) return;
      if (marks.closed(host)) {
        pick.placeholder = vscode.l10n.t('{0} is in maintenance: choose another host', host);
        return;
      }
      resolve(host);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      for (const subscription of subscriptions) subscription.dispose();
      pick.dispose();
    });
    pick.show();
  });
}

/**
 * Opens the panel on the VMs and, for one VM, offers the destination quick pick on top of it (without
 * waiting for it: the panel shows the same readiness and takes the choice as well). Picking a host runs
 * its checklist in the panel.
 */
export function openWithDestinationPick(ctx: DestinationContext, intent: 'check' | 'migrate', vms: readonly Vm[]): void {
  const { panel, logger } = ctx;
  const sessions = panel.show(intent, vms);
  const [session] = sessions;
  if (sessions.length !== 1 || !session || session.moving) return;
  // Readiness as of now: a session kept from before (e.g. a move ended since) is checked again.
  if (!session.destinations().some((d) => d.readiness === 'checking'))
    inBackground(logger, vscode.l10n.t('Checking destinations for {0}', session.vm().name), panel.checkDestinations(session.vmId));
  const title =
    intent === 'check'
      ? vscode.l10n.t('Check the migration of {0} from {1} to…', session.vm().name, session.vm().host)
      : vscode.l10n.t('Migrate {0} from {1} to…', session.vm().name, session.vm().host);
  void pickDestination(ctx, session, title)
    .then((host) => (host ? panel.choose(session.vmId, host) : undefined))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`destination pick: ${message}`);
      void vscode.window.showErrorMessage(message);
    });
}
