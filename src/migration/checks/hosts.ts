// Hosts: a host that could not be read (unreachable, refused, a module missing, too slow) and a destination
// that is the VM's own host. Nothing else can be checked on a host that did not answer.
import * as l10n from '@vscode/l10n';
import type { PowerShellError } from '../../powershell/types';
import { hostIdPart } from '../compareVm';
import type { Finding, MigrationRequest } from '../types';

export function hostFinding(role: 'source' | 'destination', host: string, error: PowerShellError): Finding {
  const source = role === 'source';
  const kinds: Partial<Record<PowerShellError['kind'], () => [string, string, string]>> = {
    hostUnreachable: () => [
      'unreachable',
      l10n.t('{0} does not answer', host),
      source
        ? l10n.t(
            'The source host {0} could not be reached (WinRM/DNS/firewall), so nothing on it could be checked and no move can start.',
            host,
          )
        : l10n.t(
            'The destination host {0} could not be reached (WinRM/DNS/firewall), so nothing on it could be checked and no move can start.',
            host,
          ),
    ],
    accessDenied: () => [
      'access-denied',
      l10n.t('Access to {0} was refused', host),
      source
        ? l10n.t(
            'The source host {0} answered but refused this account. Moving a VM needs Hyper-V Administrators (or local Administrators) on both hosts; set credentials for the host if this account is not one.',
            host,
          )
        : l10n.t(
            'The destination host {0} answered but refused this account. Moving a VM needs Hyper-V Administrators (or local Administrators) on both hosts; set credentials for the host if this account is not one.',
            host,
          ),
    ],
    moduleMissing: () => [
      'module-missing',
      l10n.t('A PowerShell module is missing for {0}', host),
      source
        ? l10n.t(
            'The checks of the source host {0} need the Hyper-V PowerShell module where this extension runs (RSAT: Hyper-V Management Tools).',
            host,
          )
        : l10n.t(
            'The checks of the destination host {0} need the Hyper-V PowerShell module where this extension runs (RSAT: Hyper-V Management Tools).',
            host,
          ),
    ],
    timeout: () => [
      'error',
      l10n.t('{0} did not answer in time', host),
      source
        ? l10n.t('Reading the source host {0} took longer than allowed; the host may be overloaded or the network slow.', host)
        : l10n.t('Reading the destination host {0} took longer than allowed; the host may be overloaded or the network slow.', host),
    ],
  };
  const [slug, title, cause] = kinds[error.kind]?.() ?? [
    'error',
    l10n.t('{0} could not be read', host),
    source
      ? l10n.t('Reading the source host {0} failed, so its checks could not run.', host)
      : l10n.t('Reading the destination host {0} failed, so its checks could not run.', host),
  ];
  return {
    id: `hosts.${slug}:${hostIdPart(host)}`,
    area: 'hosts',
    severity: 'blocker',
    title,
    cause,
    evidence: [{ source: `PowerShell → ${host}`, detail: error.message }],
    fixes: [],
  };
}

/** The finding for a destination that is the VM's own host: nothing to check. */
export function sameHostFinding(request: MigrationRequest): Finding {
  return {
    id: 'hosts.same',
    area: 'hosts',
    severity: 'blocker',
    title: l10n.t('{0} is already on {1}', request.vmName, request.destination),
    cause: l10n.t('The destination is the host the VM runs on; choose another host.'),
    evidence: [{ source: l10n.t('the request'), detail: l10n.t('source {0}, destination {1}', request.source, request.destination) }],
    fixes: [],
  };
}
