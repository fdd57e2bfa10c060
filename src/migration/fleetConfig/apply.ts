// Configure Live Migration, applying: the plan's changes with fixed scripts whose preview is exactly what runs,
// and the Kerberos ticket refresh that lets a new delegation take effect without a reboot.
import * as l10n from '@vscode/l10n';
import { type PowerShellError, type PowerShellRunner } from '../../powershell/types';
import { onHostFix } from '../fixScript';
import configRefreshTicketsText from '../scripts/configRefreshTickets.ps1';
import { callOptions, type FleetConfigOptions } from './read';
import { changeScripts, type FleetConfigurationPlan } from './plan';

// ---- applying -----------------------------------------------------------------------------------------

export interface ChangeResult {
  readonly id: string;
  readonly title: string;
  readonly host: string;
  /** `skipped`: not run because the apply was cancelled first. */
  readonly status: 'applied' | 'failed' | 'skipped';
  readonly error?: PowerShellError;
}

export interface FleetApplyResult {
  /** Every change applied. Read the configuration again to see the matrix. */
  readonly ok: boolean;
  readonly results: readonly ChangeResult[];
}

/**
 * Runs the plan's changes one after another with their fixed scripts; a failed change does not stop the
 * others (they are independent). Read the configuration again afterwards: every pair should be ready.
 */
export async function applyFleetConfiguration(
  runner: PowerShellRunner,
  plan: FleetConfigurationPlan,
  signal?: AbortSignal,
  options: FleetConfigOptions = {},
): Promise<FleetApplyResult> {
  const results: ChangeResult[] = [];
  for (const c of plan.changes) {
    const script = changeScripts[c.kind] as (typeof changeScripts)[typeof c.kind] | undefined;
    if (!script) throw new Error(l10n.t('The plan holds a change of unknown kind {0}.', String(c.kind)));
    if (signal?.aborted) {
      results.push({ id: c.id, title: c.title, host: c.host, status: 'skipped' });
      continue;
    }
    const result = await runner.run(script, c.params, callOptions(c.host, options, signal));
    results.push(
      result.ok
        ? { id: c.id, title: c.title, host: c.host, status: 'applied' }
        : {
            id: c.id,
            title: c.title,
            host: c.host,
            status: signal?.aborted ? 'skipped' : 'failed',
            error: { ...result.error, target: result.error.target ?? c.host },
          },
    );
  }
  return { ok: results.every((r) => r.status === 'applied'), results };
}

// ---- Kerberos tickets ---------------------------------------------------------------------------------

export const refreshTicketsScript = onHostFix('configRefreshTickets', configRefreshTicketsText, { host: 'Host', inline: true });

export interface TicketRefresh {
  readonly host: string;
  readonly ok: boolean;
  readonly error?: PowerShellError;
}

/** The exact PowerShell refreshKerberosTickets runs for a host. */
export function refreshTicketsPreview(host: string): string {
  return refreshTicketsScript.preview({ Host: host });
}

/** Purges the computer account's Kerberos tickets on each host (klist purge -li 0x3e7), in parallel. */
export async function refreshKerberosTickets(
  runner: PowerShellRunner,
  hosts: readonly string[],
  signal?: AbortSignal,
  options: FleetConfigOptions = {},
): Promise<TicketRefresh[]> {
  return Promise.all(
    hosts.map(async (host): Promise<TicketRefresh> => {
      const result = await runner.run(refreshTicketsScript, { Host: host }, callOptions(host, options, signal));
      return result.ok ? { host, ok: true } : { host, ok: false, error: { ...result.error, target: result.error.target ?? host } };
    }),
  );
}
