import * as vscode from 'vscode';
import type { Fleet } from '../hyperv/fleet';
import type { FleetPanel } from '../panel/fleetPanel';
import { hostsFor } from './pick';

/**
 * Drain Host…: the panel plans where each VM of the host goes (ranked destinations with reasons, the
 * ones that cannot move listed with why); the admin overrides what they like, then starts the moves.
 * One host at a time: the host right-clicked, else a quick pick.
 */
export async function drainHost(panel: FleetPanel, fleet: Fleet, node: unknown): Promise<void> {
  const [host] = await hostsFor(fleet, node, undefined, vscode.l10n.t('Drain host: move every VM off'), false);
  if (!host) throw new vscode.CancellationError();
  await panel.drainHost(host);
}
